"""Which curricula a learner follows: the sections of their dashboard.

The default curriculum (`DEFAULT_CURRICULUM`) is followed by everyone, with no row: a learner
who follows nothing sees the dashboard they always did. Following another curriculum adds its
section; a row (`Following`) holds the choice.
"""

from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from catalog.models import Curriculum, default_curriculum_slug
from progress.models import Following


def is_followed_by_everyone(curriculum):
    return curriculum.slug == default_curriculum_slug()


def followed_curricula(learner):
    """The curricula the learner follows: the default first (everyone's), then the published
    ones they chose, in curriculum order; one query."""
    followed = Following.objects.filter(learner=learner, curriculum=OuterRef("pk"))
    default_slug = default_curriculum_slug()
    return list(
        Curriculum.objects.filter(Q(slug=default_slug) | (Q(is_published=True) & Exists(followed)))
        .annotate(is_default=Case(When(slug=default_slug, then=Value(0)), default=Value(1)))
        .order_by("is_default", "position", "title")
    )


def followed_curriculum_ids(learner):
    """The ids of the curricula the learner follows with a row (the default needs none)."""
    return set(Following.objects.for_learner(learner).curriculum_ids())


def follow(*, learner, curriculum):
    """Follow `curriculum` (once: following twice keeps one row); return whether it is
    followed now, which it always is."""
    if not is_followed_by_everyone(curriculum):
        try:
            with transaction.atomic():
                Following.objects.get_or_create(learner=learner, curriculum=curriculum)
        except IntegrityError:  # a racing request followed it a moment ago
            pass
    return True


def unfollow(*, learner, curriculum):
    """Stop following `curriculum`; return whether it is still followed (the default always
    is). The learner's progress in it stays: following only decides what the dashboard shows."""
    Following.objects.filter(learner=learner, curriculum=curriculum).delete()
    return is_followed_by_everyone(curriculum)

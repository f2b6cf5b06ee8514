"""What a learner's public profile shows: only what their privacy switches allow."""

from typing import NamedTuple

from django.db.models import Case, Exists, OuterRef, Q, Value, When

from accounts.activity import learner_activity
from catalog.models import Curriculum, Topic, default_curriculum_slug
from progress.learner import LearnerProgress, TopicProgress
from progress.models import DegreeAward, Following


class CurriculumTopics(NamedTuple):
    """A curriculum other than the default on the public profile, with its topics' bars."""

    curriculum: Curriculum
    topics: list[TopicProgress]


def topic_progress_by_curriculum(learner):
    """The learner's bars per topic: the default curriculum's (a list of TopicProgress), and
    for each other published curriculum they follow or have done something in, in curriculum
    order, a CurriculumTopics; two queries however many curricula (the learner's statuses, then
    the topics with their counts), and only those curricula's topics read."""
    progress = LearnerProgress(learner)
    done = progress.done_by_topic_id
    default_slug = default_curriculum_slug()
    followed = Following.objects.filter(learner=learner, curriculum=OuterRef("curriculum"))
    begun = Q(curriculum_id__in=list(progress.done_by_curriculum_id))
    topics = (
        Topic.objects.filter(
            Q(curriculum__slug=default_slug)
            | Q(curriculum__is_published=True) & (begun | Exists(followed))
        )
        .select_related("curriculum")
        .with_published_counts()
        .annotate(
            is_other=Case(When(curriculum__slug=default_slug, then=Value(0)), default=Value(1))
        )
        .order_by(
            "is_other",
            "curriculum__position",
            "curriculum__title",
            "curriculum_id",
            "position",
            "title",
        )
    )
    default_rows, others = [], {}
    for topic in topics:
        if not topic.published_resource_count:
            continue  # nothing to complete: a hidden topic, or a reading topic
        row = TopicProgress(topic, done.get(topic.pk, 0), topic.published_resource_count)
        if topic.curriculum.slug == default_slug:
            default_rows.append(row)
        else:
            others.setdefault(topic.curriculum_id, CurriculumTopics(topic.curriculum, []))
            others[topic.curriculum_id].topics.append(row)
    return default_rows, list(others.values())


def public_profile(profile):
    """The parts of `profile`'s learning that they chose to show, each loaded in one query."""
    learner = profile.user
    shown = {
        "profile": profile,
        "topics": None,
        "other_curricula": [],
        "activity": None,
        "badges": None,
    }
    if profile.show_badges:
        shown["badges"] = list(
            DegreeAward.objects.for_learner(learner).shared().valid().select_related("degree")
        )
    if profile.show_topic_progress:
        shown["topics"], shown["other_curricula"] = topic_progress_by_curriculum(learner)
    if profile.show_activity:
        shown["activity"] = learner_activity(learner, profile.zone)
    return shown


def profile_preview(profile, topics, url):
    """How the profile's link reads when shared: its name and the topics begun, with percents."""
    begun = [f"{row.topic.title} {row.percent}%" for row in topics or () if row.done]
    description = f"{profile.name} is learning the math for machine learning on mlmath"
    if begun:
        description += ": " + ", ".join(begun)
    return {
        "type": "profile",
        "url": url,
        "title": f"{profile.name} on mlmath",
        "description": description + ".",
    }

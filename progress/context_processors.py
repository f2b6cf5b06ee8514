"""Give every page the signed-in learner's progress, loaded lazily in one query per kind."""

from functools import cached_property

from django.db.models import Count
from django.utils.http import url_has_allowed_host_and_scheme

from progress.models import DegreeAward, Evidence, ResourceProgress


class LearnerProgress:
    """A learner's statuses for whatever a page shows; nothing is queried until a page asks."""

    def __init__(self, learner, **already_loaded):
        self.learner = learner
        # A view that has already loaded some of this (the dashboard) saves the queries.
        self.__dict__.update(already_loaded)

    @cached_property
    def by_resource_id(self):
        rows = ResourceProgress.objects.for_learner(self.learner).only(
            "id", "resource_id", "status", "note", "completed_at"
        )
        return {row.resource_id: row for row in rows}

    def for_resource(self, resource):
        return self.by_resource_id.get(resource.pk)

    @cached_property
    def completed_by_topic_id(self):
        rows = (
            ResourceProgress.objects.for_learner(self.learner)
            .completed()
            .values("resource__topic_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        return {row["resource__topic_id"]: row["count"] for row in rows}

    @cached_property
    def evidence_by_milestone_id(self):
        return {e.milestone_id: e for e in Evidence.objects.for_learner(self.learner)}

    def evidence_for(self, milestone):
        return self.evidence_by_milestone_id.get(milestone.pk)

    @cached_property
    def highest_award(self):
        return DegreeAward.objects.for_learner(self.learner).highest()

    def completed_in_topic(self, topic):
        return self.completed_by_topic_id.get(topic.pk, 0)


def learner_progress(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"learner_progress": None}
    return {
        "learner_progress": LearnerProgress(user),
        # Where progress forms send the learner back to without JavaScript.
        "progress_return_url": return_url(request),
    }


def first_safe_url(request, *urls):
    """The first of `urls` that points at this site (guards against open redirects), or None."""
    for url in urls:
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return None


def return_url(request):
    """The page the learner is on: for an HTMX request, the page that made it."""
    htmx = getattr(request, "htmx", None)
    current_url = htmx.current_url if htmx else None
    return first_safe_url(request, current_url) or request.get_full_path()

"""Give every page the signed-in learner's progress, loaded lazily in one query per kind."""

from functools import cached_property
from urllib.parse import urlsplit, urlunsplit

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


def safe_local_path(request, url):
    """`url` as a path on this site ("/topics/calculus/?page=2"), or None when it is not one.

    The one rule for where a `next` or an HTMX current URL may send the learner: this site
    only (no open redirects), and always a path starting with "/", never a bare word such as
    "account_login", which `redirect()` would look up as a URL name.
    """
    if not url or not is_on_this_site(request, url):
        return None
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    # Re-checked without the host: "http://ourhost//evil.example" must not become "//evil...".
    if not path.startswith("/") or not is_on_this_site(request, path):
        return None
    return path


def is_on_this_site(request, url):
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def first_safe_url(request, *urls):
    """The first of `urls` that is a safe local path (see `safe_local_path`), or None."""
    for url in urls:
        if path := safe_local_path(request, url):
            return path
    return None


def return_url(request):
    """The page the learner is on: for an HTMX request, the page that made it."""
    htmx = getattr(request, "htmx", None)
    current_url = htmx.current_url if htmx else None
    return first_safe_url(request, current_url) or request.get_full_path()

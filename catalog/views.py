"""Public catalog pages: the curriculum, one topic, the degrees, and search."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from catalog.caching import cache_page, cached_for_catalog_version
from catalog.forms import SearchForm
from catalog.models import Degree, Resource, Topic

TOPICS_PER_PAGE = 20
RESOURCES_PER_TOPIC_PREVIEW = 5
RESOURCES_PER_PAGE = 25
SEARCH_RESULTS_PER_PAGE = 25


class CountedPaginator(Paginator):
    """A Paginator told how many objects there are (read once per catalog version), so that a
    page whose rendered fragments are cached runs no COUNT query."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.count = count


def topic_with_published_count(slug):
    """The topic with `published_resource_count`, read once per catalog version and process:
    a learner's topic page is rendered again after each of their writes."""
    topic = cached_for_catalog_version(
        f"topic:{slug}",
        lambda: Topic.objects.with_published_counts().filter(slug=slug).first(),
    )
    if topic is None:
        raise Http404("No topic here.")
    return topic


@require_safe
@cache_page
def catalog_index(request):
    preview = Resource.objects.published().order_by("position", "title")[
        :RESOURCES_PER_TOPIC_PREVIEW
    ]
    topics = (
        Topic.objects.with_published_counts()
        .order_by("position", "title")
        .prefetch_related(Prefetch("resources", queryset=preview, to_attr="preview_resources"))
    )
    topic_count = cached_for_catalog_version("topic-count", Topic.objects.count)
    page = CountedPaginator(topics, TOPICS_PER_PAGE, count=topic_count).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/index.html", {"page": page, "degrees": Degree.objects.all()})


@require_safe
@cache_page
def topic_detail(request, slug):
    topic = topic_with_published_count(slug)
    resources = topic.resources.published().order_by("position", "title")
    page = CountedPaginator(
        resources, RESOURCES_PER_PAGE, count=topic.published_resource_count
    ).get_page(request.GET.get("page"))
    # Only read when the cached fragment that shows them has to be rendered again.
    neighbours = SimpleLazyObject(topic.neighbours)
    return render(
        request,
        "catalog/topic_detail.html",
        {
            "topic": topic,
            "page": page,
            "previous_topic": SimpleLazyObject(lambda: neighbours[0]),
            "next_topic": SimpleLazyObject(lambda: neighbours[1]),
        },
    )


@require_safe
@cache_page
def degree_list(request):
    degrees = list(Degree.objects.with_requirements())
    for lower_degree, degree in zip([None, *degrees], degrees, strict=False):
        degree.includes_degree = lower_degree
    return render(request, "catalog/degree_list.html", {"degrees": degrees})


@require_safe
@cache_page
def degree_detail(request, slug):
    degree = get_object_or_404(Degree.objects.with_requirements(), slug=slug)
    requirements = degree.requirements.all()
    return render(
        request,
        "catalog/degree_detail.html",
        {
            "degree": degree,
            "requirements": requirements,
            "milestones": [r.milestone for r in requirements if r.milestone],
            "lower_degree": Degree.objects.filter(rank__lt=degree.rank).order_by("-rank").first(),
            "higher_degree": Degree.objects.filter(rank__gt=degree.rank).order_by("rank").first(),
        },
    )


@require_safe
@cache_page  # which also says Vary: HX-Request (a whole page or only #results)
def search(request):
    form = SearchForm(request.GET)
    page = None
    if form.is_valid():
        resources = form.filter(Resource.objects.published().select_related("topic"))
        page = Paginator(resources, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    template = "catalog/search.html"
    # A history restore (back button after a cache miss) needs the whole page, not the partial.
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, {"form": form, "page": page, "terms": form.terms})

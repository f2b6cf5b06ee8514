"""Public catalog pages: the curriculum, one topic, the degrees, and search."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from catalog.caching import cache_page
from catalog.forms import SearchForm
from catalog.models import Degree, Resource, Topic

TOPICS_PER_PAGE = 20
RESOURCES_PER_TOPIC_PREVIEW = 5
RESOURCES_PER_PAGE = 25
SEARCH_RESULTS_PER_PAGE = 25


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
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/index.html",
        {
            "page": page,
            "degrees": Degree.objects.all(),
            "search_form": SearchForm(),
        },
    )


@require_safe
@cache_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    resources = topic.resources.published().order_by("position", "title")
    page = Paginator(resources, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
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

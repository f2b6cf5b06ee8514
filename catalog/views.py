"""Public catalog pages: the curriculum, one topic, the degrees, and search."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.forms import SearchForm
from catalog.models import Degree, Resource, Topic

TOPICS_PER_PAGE = 20
RESOURCES_PER_TOPIC_PREVIEW = 5
RESOURCES_PER_PAGE = 25
SEARCH_RESULTS_PER_PAGE = 25


@require_safe
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
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.prefetch_related("prerequisites"), slug=slug)
    resources = topic.resources.published().order_by("position", "title")
    page = Paginator(resources, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    previous_topic, next_topic = topic.neighbours()
    return render(
        request,
        "catalog/topic_detail.html",
        {
            "topic": topic,
            "page": page,
            "previous_topic": previous_topic,
            "next_topic": next_topic,
        },
    )


@require_safe
def degree_list(request):
    degrees = list(Degree.objects.with_requirements())
    for lower_degree, degree in zip([None, *degrees], degrees, strict=False):
        degree.includes_degree = lower_degree
    return render(request, "catalog/degree_list.html", {"degrees": degrees})


@require_safe
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
@vary_on_headers("HX-Request")  # the same URL answers with a whole page or only #results
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

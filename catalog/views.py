"""Public catalog pages: the curricula, a curriculum, one topic, the degrees, and search.

A curriculum's pages show the curriculum their URL names (`curriculum_page`): the default one
(`DEFAULT_CURRICULUM`) at the root, every other published one under `/<curriculum>/`; search
covers every published curriculum."""

from functools import wraps
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalog.forms import SearchForm
from catalog.models import (
    Curriculum,
    Degree,
    Listing,
    Requirement,
    Topic,
    curriculum_url,
    default_curriculum,
    default_curriculum_slug,
    published_curriculum,
    published_resources_by_topic,
    resource_placements,
    search_lexicon,
    searchable_topics,
)
from catalog.search import suggest_queries
from mlmath.caching import cache_page, cached_for_catalog_version

TOPICS_PER_PAGE = 20
RESOURCES_PER_TOPIC_PREVIEW = 5
RESOURCES_PER_PAGE = 25
SEARCH_RESULTS_PER_PAGE = 25


def cached_page(name, rows, per_page, *, count, number):
    """A page of catalog rows, read once per catalog version and process (`rows()` makes their
    QuerySet, on a miss only), given how many there are: a learner's page is rendered again
    after each of their writes, and should then cost only what depends on them."""
    paginator = Paginator([], per_page)
    paginator.count = count
    page = paginator.get_page(number)
    start = page.start_index() - 1 if count else 0
    page.object_list = cached_for_catalog_version(
        f"{name}:page:{page.number}", lambda: list(rows()[start : start + per_page])
    )
    return page


class WindowCountPaginator(Paginator):
    """A Paginator that reads a page and the number of objects in all in one query
    (`COUNT(*) OVER ()`), so search results cost no COUNT query of their own. A page number past
    the end, or absurdly large, takes Django's way: a COUNT, then the last page."""

    MAX_PAGE = 10_000

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if 1 <= number <= self.MAX_PAGE:
            bottom = (number - 1) * self.per_page
            rows = list(
                self.object_list.annotate(found_count=Window(Count("pk")))[
                    bottom : bottom + self.per_page
                ]
            )
            if rows or number == 1:
                self.count = rows[0].found_count if rows else 0
                return self._get_page(rows, number, self)
        return super().get_page(number)


class ShownCurriculum(NamedTuple):
    """The curriculum a page shows, by its slug: `curriculum` reads it (once per catalog
    version), None while the default one does not exist yet (a database not loaded)."""

    slug: str

    @property
    def curriculum(self):
        return default_curriculum() if self.is_default else published_curriculum(self.slug)

    @property
    def is_default(self):
        return self.slug == default_curriculum_slug()

    @property
    def index_url(self):
        return curriculum_url(self.slug, "index")

    @property
    def degree_list_url(self):
        return curriculum_url(self.slug, "degree_list")


def curriculum_page(view):
    """Give the view the curriculum its URL names, as `shown` (a ShownCurriculum).

    Unprefixed URLs are the default curriculum's; `/<default>/...` answers 301 to the
    unprefixed URL, and a curriculum that does not exist or is unpublished is not found.
    """

    @wraps(view)
    def wrapper(request, *args, curriculum=None, **kwargs):
        if curriculum is None:
            curriculum = default_curriculum_slug()
        elif curriculum == default_curriculum_slug():
            name = request.resolver_match.url_name.removeprefix("curriculum_")
            url = curriculum_url(curriculum, name, **kwargs)
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(url)
        elif published_curriculum(curriculum) is None:
            raise Http404("No curriculum here.")
        return view(request, *args, shown=ShownCurriculum(curriculum), **kwargs)

    return wrapper


def topic_for_page(curriculum_slug, slug):
    """The topic with `published_resource_count` and `published_resource_ids`, the
    prerequisites learners see and its neighbours in the curriculum, read once per catalog
    version and process. A topic hidden from learners (`Topic.objects.shown_to_learners`) is
    not found."""

    def read():
        topic = (
            Topic.objects.filter(curriculum__slug=curriculum_slug)
            .with_published_counts()
            .shown_to_learners()
            .filter(slug=slug)
            .first()
        )
        if topic is not None:
            topic.shown_prerequisites = list(
                topic.prerequisites.shown_to_learners().select_related("curriculum")
            )
            topic.previous_topic, topic.next_topic = topic.neighbours()
            topic.published_resource_ids = published_resources_by_topic().get(topic.pk, frozenset())
        return topic

    topic = cached_for_catalog_version(f"{curriculum_slug}:topic:{slug}", read)
    if topic is None:
        raise Http404("No topic here.")
    return topic


@require_safe
@cache_page
@curriculum_page
def catalog_index(request, *, shown):
    # Querysets are built only on a miss: building this one costs more than the page's hit.
    def topics_shown():
        return Topic.objects.filter(curriculum__slug=shown.slug).shown_to_learners()

    def topics():
        preview = (
            Listing.objects.published()
            .select_related("resource")
            .order_by("position", "resource__title")
        )
        return (
            topics_shown()
            .with_published_counts()
            .select_related("curriculum")
            .order_by("position", "title")
            .prefetch_related(
                Prefetch(
                    "listings",
                    queryset=preview[:RESOURCES_PER_TOPIC_PREVIEW],
                    to_attr="preview_listings",
                )
            )
        )

    page = cached_page(
        f"{shown.slug}:topics",
        topics,
        TOPICS_PER_PAGE,
        count=cached_for_catalog_version(
            f"{shown.slug}:topic-count", lambda: topics_shown().count()
        ),
        number=request.GET.get("page"),
    )
    degrees = cached_for_catalog_version(
        f"{shown.slug}:degrees",
        lambda: list(
            Degree.objects.filter(curriculum__slug=shown.slug).select_related("curriculum")
        ),
    )
    return render(
        request,
        "catalog/index.html",
        {"page": page, "degrees": degrees, "shown": shown},
    )


@require_safe
@cache_page
@curriculum_page
def topic_detail(request, slug, *, shown):
    topic = topic_for_page(shown.slug, slug)
    page = cached_page(
        f"{shown.slug}:topic:{slug}:resources",
        lambda: (
            topic.listings.published()
            .select_related("resource")
            .order_by("position", "resource__title")
        ),
        RESOURCES_PER_PAGE,
        count=topic.published_resource_count,
        number=request.GET.get("page"),
    )
    return render(
        request,
        "catalog/topic_detail.html",
        {"topic": topic, "page": page, "shown": shown},
    )


def degrees_with_requirements(curriculum_slug):
    """Every degree in rank order with its requirements, each knowing the degree below it
    (`includes_degree`) and above it (`higher_degree`); read once per catalog version."""

    def read():
        degrees = list(Degree.objects.filter(curriculum__slug=curriculum_slug).with_requirements())
        lower_degrees, higher_degrees = [None, *degrees][:-1], [*degrees[1:], None][: len(degrees)]
        for lower, degree, higher in zip(lower_degrees, degrees, higher_degrees, strict=True):
            degree.includes_degree, degree.higher_degree = lower, higher
        return degrees

    return cached_for_catalog_version(f"{curriculum_slug}:degrees-with-requirements", read)


def required_listings(degree):
    """The listings in the degree's curriculum of the published resources its own requirements
    name or count (a topic's), in curriculum order: what a learner's page of the degree shows as
    cards. Read once per catalog version and process."""

    def read():
        requirements = Requirement.objects.filter(degree=degree)
        return list(
            Listing.objects.in_curriculum(degree.curriculum_id)
            .published()
            .filter(
                Q(resource_id__in=requirements.values("resource_id"))
                | Q(topic_id__in=requirements.values("topic_id"))
            )
            .select_related("resource", "topic")
            .in_curriculum_order()
        )

    return cached_for_catalog_version(f"degree:{degree.pk}:listings", read)


@require_safe
@cache_page
@curriculum_page
def degree_list(request, *, shown):
    return render(
        request,
        "catalog/degree_list.html",
        {"degrees": degrees_with_requirements(shown.slug), "shown": shown},
    )


@require_safe
@cache_page
@curriculum_page
def degree_detail(request, slug, *, shown):
    degrees = degrees_with_requirements(shown.slug)
    degree = next((d for d in degrees if d.slug == slug), None)
    if degree is None:
        raise Http404("No degree here.")
    requirements = degree.requirements.all()
    return render(
        request,
        "catalog/degree_detail.html",
        {
            "shown": shown,
            "degree": degree,
            "requirements": requirements,
            "milestones": [r.milestone for r in requirements if r.milestone],
            "lower_degree": degree.includes_degree,
            "higher_degree": degree.higher_degree,
            # Only a learner's page shows them, with their progress (progress_tags).
            "required_listings": required_listings(degree) if request.user.is_authenticated else [],
        },
    )


class Place(NamedTuple):
    """Where a search result is listed, as its card names it: "in Calculus · ML math"."""

    topic_title: str
    curriculum_title: str
    url: str


def name_places(listings):
    """Give each listing (a search result) its resource's `places`: every topic of a published
    curriculum that lists it, in the curricula's order, from data read once per catalog
    version (no query per page)."""
    topics = searchable_topics()
    order = {topic.pk: index for index, topic in enumerate(topics)}
    by_id = {topic.pk: topic for topic in topics}
    placements = resource_placements()
    for listing in listings:
        placement = placements.get(listing.resource_id)
        topic_ids = sorted(
            (pk for pk in (placement.topic_ids if placement else ()) if pk in by_id),
            key=order.__getitem__,
        )
        listing.places = tuple(
            Place(by_id[pk].title, by_id[pk].curriculum.title, by_id[pk].get_absolute_url())
            for pk in topic_ids
        )


@require_safe
@cache_page  # which also says Vary: HX-Request (a whole page or only #results)
def search(request):
    form = SearchForm(request.GET)
    page = None
    suggestions = []
    if form.is_valid():
        listings = Listing.objects.in_published_curricula().published()
        listings = form.filter(listings.select_related("resource", "topic__curriculum"))
        page = WindowCountPaginator(listings, SEARCH_RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        page.object_list = list(page.object_list)
        name_places(page.object_list)
        if not page.paginator.count and form.terms:
            suggestions = suggest_queries(form.terms.words, search_lexicon())
    template = "catalog/search.html"
    # A history restore (back button after a cache miss) needs the whole page, not the partial.
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template += "#results"
    return render(
        request,
        template,
        {"form": form, "page": page, "terms": form.terms, "suggestions": suggestions},
    )


def published_curricula():
    """The published curricula in order, each with its size: `topic_count` (topics learners
    see) and `resource_count` (published resources listed); read once per catalog version."""

    def count_of(rows, curriculum_field):
        """How many of `rows` are the outer curriculum's, as a subquery (a resource is listed
        once per curriculum at most, so its listings count its resources)."""
        counted = (
            rows.filter(**{curriculum_field: OuterRef("pk")})
            .order_by()
            .values(curriculum_field)
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(counted), 0)

    def read():
        return list(
            Curriculum.objects.published()
            .annotate(
                topic_count=count_of(Topic.objects.shown_to_learners(), "curriculum"),
                resource_count=count_of(Listing.objects.published(), "topic__curriculum"),
            )
            .order_by("position", "title")
        )

    return cached_for_catalog_version("published-curricula", read)


@require_safe
@cache_page
def curriculum_list(request):
    return render(request, "catalog/curriculum_list.html", {"curricula": published_curricula()})

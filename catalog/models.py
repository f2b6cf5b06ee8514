"""What there is to learn: topics, their resources, and the degrees that require them."""

import graphlib
import uuid
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Concat, Lower
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.http import urlencode

from catalog import search
from catalog.canonical import canonical_url
from mlmath.caching import cached_for_catalog_version


class SlugManager(models.Manager):
    """Looks catalog rows up by slug, so fixtures reference slugs rather than ids."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CurriculumSlugManager(models.Manager):
    """Looks a curriculum's rows up by the curriculum's slug and their own: a topic, degree or
    milestone slug is unique only within its curriculum."""

    def get_by_natural_key(self, curriculum_slug, slug):
        return self.get(curriculum__slug=curriculum_slug, slug=slug)


class CatalogEntry(models.Model):
    """A titled catalog row with a unique slug: the slug is its natural key (fixtures and
    `SlugManager` name rows by it), the title is how it reads."""

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


class CurriculumEntry(CatalogEntry):
    """A catalog row of one curriculum (a topic, a degree, a milestone): its slug is unique
    within the curriculum, and its natural key is the curriculum's slug, then its own."""

    curriculum = models.ForeignKey(
        "Curriculum",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        help_text="The curriculum it belongs to.",
    )

    class Meta:
        abstract = True

    def natural_key(self):
        return (*self.curriculum.natural_key(), self.slug)

    natural_key.dependencies = ["catalog.curriculum"]


class CurriculumRowQuerySet(models.QuerySet):
    """Rows that belong to a curriculum (topics, degrees, milestones), scoped to one of them."""

    def in_curriculum(self, curriculum):
        return self.filter(curriculum=curriculum)

    def in_default_curriculum(self):
        """The rows of the curriculum the site shows at `/` (`DEFAULT_CURRICULUM`), in the same
        query (a join on its slug, no lookup of its own)."""
        return self.filter(curriculum__slug=default_curriculum_slug())


# Kept from curricula's slugs besides the URLconf's own first segments (see
# `reserved_curriculum_slugs`): pages planned at the root, and what servers put there.
RESERVED_PATH_SEGMENTS = frozenset(
    {"curricula", "api", "users", "static", "media", "sitemap", "robots", ".well-known"}
)


def url_first_segments(patterns):
    """The first path segments of these URL patterns, through includes at the root: "admin"
    for `path("admin/", ...)`; a pattern that starts with a converter takes any segment and
    names none."""
    segments = set()
    for pattern in patterns:
        route = str(pattern.pattern).removeprefix("^").removesuffix("$")
        if isinstance(pattern, URLResolver) and route in ("", "/"):
            segments |= url_first_segments(pattern.url_patterns)
            continue
        segment = route.split("/", 1)[0].replace("\\", "")
        if segment and "<" not in segment and "(" not in segment:
            segments.add(segment.lower())
    return segments


def reserved_curriculum_slugs():
    """Every first URL segment a curriculum's slug may not take, since curricula will live at
    `/<slug>/`: those the root URLconf routes (admin, accounts, topics, badges, ...), the
    static and media prefixes, and `RESERVED_PATH_SEGMENTS`."""
    prefixes = {
        url.strip("/").split("/", 1)[0].lower()
        for url in (settings.STATIC_URL, settings.MEDIA_URL)
        if url and "://" not in url and url.strip("/")
    }
    return frozenset(url_first_segments(get_resolver().url_patterns) | prefixes) | (
        RESERVED_PATH_SEGMENTS
    )


def validate_curriculum_slug(slug):
    if slug.lower() in reserved_curriculum_slugs():
        raise ValidationError(
            "“%(slug)s” is a part of the site's own addresses (like /%(slug)s/); choose another.",
            code="reserved",
            params={"slug": slug},
        )


class CurriculumQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Curriculum(CatalogEntry):
    """A study list made into topics, resources, degrees and milestones of its own (ML-math,
    imported from an awesome list, is the default). A resource may be listed in several
    curricula; a learner's progress on it is the same in all."""

    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_curriculum_slug],
        help_text="Used in the curriculum's URLs; not one of the site's own (admin, topics, ...).",
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown under the title."
    )
    guidance = models.TextField(
        blank=True, help_text="The curators' advice on working through it (Markdown)."
    )
    source_url = models.URLField(
        "source URL",
        max_length=500,
        blank=True,
        help_text="The list it comes from, e.g. the awesome list's repository.",
    )
    licence = models.CharField(
        max_length=100, blank=True, help_text="The source list's licence, e.g. MIT or CC0-1.0."
    )
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Unpublished curricula are for curators only, until they are ready.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order among the curricula; lower comes first."
    )
    curators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="curated_curricula",
        help_text="Staff who keep this curriculum.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SlugManager.from_queryset(CurriculumQuerySet)()

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "curricula"

    def get_absolute_url(self):
        return curriculum_url(self.slug, "index")


def default_curriculum_slug():
    """The slug of the curriculum the site shows at `/` (the `DEFAULT_CURRICULUM` setting)."""
    return settings.DEFAULT_CURRICULUM


def default_curriculum():
    """The curriculum the site shows at `/`, or None while there is none (a database that is
    not migrated yet); read once per catalog version and process."""
    slug = default_curriculum_slug()
    return cached_for_catalog_version(
        f"default-curriculum:{slug}", lambda: Curriculum.objects.filter(slug=slug).first()
    )


def published_curriculum(slug):
    """The published curriculum with this slug, or None; read once per catalog version and
    process. Learners and visitors see only published curricula (curators preview theirs in
    the admin)."""
    return (
        cached_for_catalog_version(
            f"published-curriculum:{slug}",
            lambda: Curriculum.objects.published().filter(slug=slug).first() or False,
        )
        or None
    )


def curriculum_slugs():
    """Every curriculum's slug by its id, read once per catalog version and process: what
    `get_absolute_url` of a curriculum's rows needs, without a query per row."""
    return cached_for_catalog_version(
        "curriculum-slugs", lambda: dict(Curriculum.objects.values_list("pk", "slug"))
    )


def curriculum_slug_of(row):
    """The slug of the curriculum of `row` (a topic, degree or milestone), read from the
    curriculum if it is loaded, else from `curriculum_slugs()`."""
    if type(row).curriculum.is_cached(row):
        return row.curriculum.slug
    slug = curriculum_slugs().get(row.curriculum_id)
    return slug if slug is not None else row.curriculum.slug


def curriculum_url(curriculum_slug, name, **kwargs):
    """The URL of one of a curriculum's pages (`name`: index, topic_detail, degree_list,
    degree_detail): the default curriculum's at the root (`/topics/<slug>/`), every other
    curriculum's under its slug (`/<curriculum>/topics/<slug>/`)."""
    if curriculum_slug == default_curriculum_slug():
        return reverse(f"catalog:{name}", kwargs=kwargs)
    return reverse(f"catalog:curriculum_{name}", kwargs={"curriculum": curriculum_slug, **kwargs})


def topic_shown_to_learners(topic="pk"):
    """The condition for a topic learners see: it lists a published resource, or it is a reading
    topic. `topic` names the topic from the rows filtered ("pk" for topics, "topic" for rows
    that point to one).

    Any other topic (a new one whose resources are still unpublished, one whose resources were
    all unpublished) is hidden: from the catalog, its own page, search, the dashboard and the
    links of other pages.
    """
    prefix = "" if topic == "pk" else f"{topic}__"
    published = Listing.objects.filter(topic=OuterRef(topic), resource__is_published=True)
    return Q(**{f"{prefix}is_reading": True}) | Exists(published)


class TopicQuerySet(CurriculumRowQuerySet):
    def with_published_counts(self):
        return self.annotate(
            published_resource_count=Count(
                "listings", filter=Q(listings__resource__is_published=True)
            )
        )

    def shown_to_learners(self):
        return self.filter(topic_shown_to_learners())


class Topic(CurriculumEntry):
    slug = models.SlugField(
        max_length=80, help_text="Used in the topic's URL; unique within its curriculum."
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown under the title."
    )
    guidance = models.TextField(
        blank=True, help_text="The curator's advice on studying this topic (Markdown)."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order in the curriculum; lower comes first."
    )
    is_reading = models.BooleanField(
        "reading topic",
        default=False,
        help_text=(
            "Shown to learners even without resources: its guidance and the topics it builds on "
            "(like Stochastic Processes, which ties Probability and Signal Processing together). "
            "Any other topic is hidden from learners until one of its resources is published."
        ),
    )
    prerequisites = models.ManyToManyField(
        "self",
        through="Prerequisite",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        help_text="Topics to study before this one.",
    )

    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Full-text index of the topic (PostgreSQL)."
    )

    objects = CurriculumSlugManager.from_queryset(TopicQuerySet)()

    class Meta:
        ordering = ["position", "title"]
        indexes = [
            models.Index(fields=["curriculum", "position", "title"], name="topic_curriculum_order")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "slug"],
                name="topic_slug_per_curriculum",
                violation_error_message="This curriculum has a topic with this slug already.",
            ),
        ]

    def get_absolute_url(self):
        return curriculum_url(curriculum_slug_of(self), "topic_detail", slug=self.slug)

    def neighbours(self):
        """The previous and next topics learners see, in curriculum order (either may be None)."""
        ordered = (
            Topic.objects.in_curriculum(self.curriculum_id)
            .shown_to_learners()
            .select_related("curriculum")
            .order_by("position", "title", "pk")
        )
        previous_topic = (
            ordered.filter(
                Q(position__lt=self.position)
                | Q(position=self.position, title__lt=self.title)
                | Q(position=self.position, title=self.title, pk__lt=self.pk)
            )
            .reverse()
            .first()
        )
        next_topic = ordered.filter(
            Q(position__gt=self.position)
            | Q(position=self.position, title__gt=self.title)
            | Q(position=self.position, title=self.title, pk__gt=self.pk)
        ).first()
        return previous_topic, next_topic


class PrerequisiteManager(models.Manager):
    def get_by_natural_key(
        self, topic_curriculum_slug, topic_slug, prerequisite_curriculum_slug, prerequisite_slug
    ):
        return self.get(
            from_topic__curriculum__slug=topic_curriculum_slug,
            from_topic__slug=topic_slug,
            to_topic__curriculum__slug=prerequisite_curriculum_slug,
            to_topic__slug=prerequisite_slug,
        )


class Prerequisite(models.Model):
    """A topic to study before another: `to_topic` before `from_topic` (the table Django made
    for `Topic.prerequisites`, declared so the database can refuse a topic as its own)."""

    from_topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    to_topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")

    objects = PrerequisiteManager()

    class Meta:
        db_table = "catalog_topic_prerequisites"
        ordering = ["from_topic", "to_topic"]
        default_permissions = ()  # edited with its topic, under the topic's permissions
        constraints = [
            models.UniqueConstraint(
                fields=["from_topic", "to_topic"], name="prerequisite_once_per_topic"
            ),
            models.CheckConstraint(
                condition=~Q(from_topic=F("to_topic")),
                name="prerequisite_not_the_topic_itself",
                violation_error_message="A topic cannot be its own prerequisite.",
            ),
        ]

    def __str__(self):
        return f"{self.to_topic} before {self.from_topic}"

    def natural_key(self):
        return (*self.from_topic.natural_key(), *self.to_topic.natural_key())

    natural_key.dependencies = ["catalog.topic"]


def prerequisites_error(topic, prerequisite_ids):
    """A ValidationError if these topic ids may not all come before `topic`, else None.

    A topic builds only on topics of its own curriculum, and may not be its own prerequisite,
    directly or through a chain of other topics.
    """
    prerequisite_ids = set(prerequisite_ids)
    elsewhere = (
        Topic.objects.filter(pk__in=prerequisite_ids - {topic.pk})
        .exclude(curriculum_id=topic.curriculum_id)
        .first()
    )
    if elsewhere is not None:
        return ValidationError(
            "“%(prerequisite)s” is in another curriculum: "
            "a topic builds only on topics of its own.",
            params={"prerequisite": elsewhere},
        )
    if topic.pk in prerequisite_ids:
        return ValidationError(
            "“%(topic)s” cannot be its own prerequisite.", params={"topic": topic}
        )
    prerequisites_of = {}
    for from_id, to_id in Topic.prerequisites.through.objects.values_list(
        "from_topic_id", "to_topic_id"
    ):
        prerequisites_of.setdefault(from_id, set()).add(to_id)
    prerequisites_of[topic.pk] = prerequisite_ids
    try:
        graphlib.TopologicalSorter(prerequisites_of).prepare()
    except graphlib.CycleError as error:
        # graphlib lists a cycle from prerequisite to dependant, ending where it starts; the
        # message reads the other way, from the topic being edited to what it would require.
        cycle = error.args[1][:-1][::-1]
        if topic.pk in cycle:
            start = cycle.index(topic.pk)
            cycle = cycle[start:] + cycle[:start]
        titles = dict(Topic.objects.filter(pk__in=cycle).values_list("pk", "title"))
        return ValidationError(
            "These prerequisites would make a cycle: %(chain)s.",
            params={"chain": " → ".join(titles[pk] for pk in [*cycle, cycle[0]])},
        )
    return None


class ResourceQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # A bulk write skips save(): each resource's identity is computed here instead.
        objs = list(objs)
        for resource in objs:
            resource.set_canonical_url()
        return super().bulk_create(objs, *args, **kwargs)

    def published(self):
        return self.filter(is_published=True)

    def in_main_listing_order(self):
        return self.order_by(*main_listing_order())


def main_listing_order():
    """The order of resources by their main listings (`Resource.main_listing`): the default
    curriculum's order, by topic, then within it; resources listed nowhere last. Expressions,
    so the admin can order any Resource QuerySet by them."""
    main_listing = Listing.objects.filter(resource=OuterRef("pk")).main_first()
    return [
        Subquery(main_listing.values("topic__position")[:1]).asc(nulls_last=True),
        Subquery(main_listing.values("position")[:1]).asc(nulls_last=True),
        "title",
        "pk",
    ]


class Resource(CatalogEntry):
    """A work to study (a course, a book, an article...), once however many curricula list it:
    where it is listed are its `listings`, and a learner's progress on it (status, note) is the
    same in every one."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        BOOK = "book", "Book"
        ARTICLE = "article", "Article"
        VIDEO = "video", "Video"
        DISCUSSION = "discussion", "Discussion"
        TOOL = "tool", "Tool"
        OTHER = "other", "Other"

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", "Introductory"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    url = models.URLField(
        "URL",
        max_length=500,
        help_text=(
            "The link as written, the one learners open. The same work spelled otherwise "
            "(www., a trailing slash, tracking parameters...) is this resource: see the "
            "canonical URL."
        ),
    )
    canonical_url = models.CharField(
        "canonical URL",
        max_length=500,
        unique=True,
        editable=False,
        help_text=(
            "The URL in one spelling (catalog/canonical.py): host in lower case, without www., "
            "a trailing slash, a fragment or tracking parameters. One resource per work."
        ),
    )
    provider = models.CharField(
        max_length=120, blank=True, help_text="Who offers it: Khan Academy, edX, ..."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COURSE)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.INTRODUCTORY)
    estimated_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Rough hours of study, if known."
    )
    note = models.TextField(blank=True, help_text="The curator's note on why it is here.")
    people = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who is behind it (authors, instructors), separated by commas: Gilbert Strang.",
    )
    keywords = models.CharField(
        max_length=500,
        blank=True,
        help_text=(
            "Words and phrases a learner may search for that the title and note do not say, "
            "separated by commas: singular value decomposition, least squares."
        ),
    )
    is_published = models.BooleanField(
        "published",
        default=True,
        help_text="Unpublished resources are invisible to learners and count for nothing.",
    )
    link_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    link_status_code = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    link_is_broken = models.BooleanField("broken link", default=False, editable=False)
    link_redirect_url = models.URLField(max_length=500, blank=True, editable=False)
    link_error = models.CharField(max_length=300, blank=True, editable=False)
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Full-text index of the resource (PostgreSQL)."
    )

    objects = SlugManager.from_queryset(ResourceQuerySet)()

    class Meta:
        ordering = ["title"]

    def save(self, *args, **kwargs):
        self.set_canonical_url()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "url" in update_fields:
            kwargs["update_fields"] = {*update_fields, "canonical_url"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        listing = self.main_listing
        return listing.get_absolute_url() if listing else reverse("catalog:index")

    def clean(self):
        self.set_canonical_url()
        # canonical_url is no form field, so its uniqueness is checked here: a second
        # spelling of a known work is refused, naming the resource it is.
        known = (
            Resource.objects.filter(canonical_url=self.canonical_url)
            .exclude(pk=self.pk)
            .only("title", "url")
            .first()
        )
        if known is not None:
            raise ValidationError(
                {
                    "url": ValidationError(
                        "This is the URL of a resource the catalog has already: “%(title)s” "
                        "(%(url)s). Edit that resource, or list it in this topic.",
                        code="unique",
                        params={"title": known.title, "url": known.url},
                    )
                }
            )

    def set_canonical_url(self):
        """The resource's identity, from its URL as written (`catalog.canonical.canonical_url`)."""
        self.canonical_url = canonical_url(self.url)

    @cached_property
    def main_listing(self):
        """Where the resource's links lead: its listing in the default curriculum, else in the
        first curriculum that lists it (None if none does). A page that shows many resources
        prefetches `listings` with `Listing.objects.main_first()`; then this reads no row."""
        if "listings" in getattr(self, "_prefetched_objects_cache", {}):
            return next(iter(self.listings.all()), None)
        return self.listings.main_first().select_related("topic").first()

    @property
    def keyword_list(self):
        return split_list(self.keywords)


class ListingQuerySet(models.QuerySet):
    def published(self):
        """Listings of published resources: what learners see of a topic."""
        return self.filter(resource__is_published=True)

    def in_curriculum(self, curriculum):
        return self.filter(topic__curriculum=curriculum)

    def in_default_curriculum(self):
        """Listings in topics of the curriculum the site shows at `/`, in the same query."""
        return self.filter(topic__curriculum__slug=default_curriculum_slug())

    def in_published_curricula(self):
        """Listings in topics of published curricula: what learners may find."""
        return self.filter(topic__curriculum__is_published=True)

    def in_curriculum_order(self):
        """Topic by topic in the curriculum's order, each topic's resources in the curator's."""
        return self.order_by(
            "topic__position", "topic__title", "topic_id", "position", "resource__title"
        )

    def main_first(self):
        """Listings in the default curriculum first, then the others by curriculum: the first
        of a resource's is its `main_listing` (`main_first_key` for loaded listings)."""
        in_default = Case(
            When(topic__curriculum__slug=default_curriculum_slug(), then=Value(0)),
            default=Value(1),
        )
        return self.order_by(
            in_default, "topic__curriculum__position", "topic__curriculum_id", "pk"
        )

    def search(self, query):
        """Listings whose resource, or topic, matches every word of the query by prefix or stem,
        best match first.

        The topic's text counts too, so "Fourier" finds the signal-processing courses and
        "eigen" the linear-algebra ones even where no title says it; a word also finds its
        synonyms' expansions ("SVD": "singular value decomposition") and the catalog's words
        one typing slip away from it (see `catalog.search`). `query` is the text a learner
        typed, or the `SearchTerms` that `search_terms` made of it.
        """
        terms = query if isinstance(query, search.SearchTerms) else search_terms(query)
        return search.search_listings(self, terms)


def main_first_key(listing):
    """`ListingQuerySet.main_first`'s order, for listings already loaded with their topic and
    its curriculum: sorted by it, a resource's first listing is its main one."""
    curriculum = listing.topic.curriculum
    return (
        curriculum.slug != default_curriculum_slug(),
        curriculum.position,
        curriculum.pk,
        listing.pk,
    )


class ListingManager(models.Manager.from_queryset(ListingQuerySet)):
    def get_by_natural_key(self, curriculum_slug, topic_slug, resource_slug):
        return self.get(
            topic__curriculum__slug=curriculum_slug,
            topic__slug=topic_slug,
            resource__slug=resource_slug,
        )


class Listing(models.Model):
    """A resource's place in a curriculum: the topic it is listed under, and its position there.

    A resource is listed at most once per curriculum, so that "its topic in this curriculum"
    (a card's "in Calculus", a search result, a topic's bar, next up) is one topic. The database
    cannot hold that rule (the curriculum is the topic's, not the listing's: a constraint would
    need a copy of it here, kept in step by hand), so `clean()` and the awesome-list import
    hold it.
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="listings")
    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        related_name="listings",
        help_text="Moving a resource to another topic keeps every learner's progress on it.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within its topic.")

    objects = ListingManager()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["topic", "position", "resource"], name="listing_topic_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "resource"],
                name="listing_once_per_topic",
                violation_error_message="The resource is listed in this topic already.",
            ),
        ]

    def __str__(self):
        return f"{self.resource} in {self.topic}"

    def get_absolute_url(self):
        return f"{self.topic.get_absolute_url()}#resource-{self.resource.slug}"

    def natural_key(self):
        return (*self.topic.natural_key(), self.resource.slug)

    natural_key.dependencies = ["catalog.topic", "catalog.resource"]

    def clean(self):
        if self.topic_id is None or self.resource_id is None:
            return
        elsewhere = (
            Listing.objects.filter(
                resource_id=self.resource_id, topic__curriculum_id=self.topic.curriculum_id
            )
            .exclude(pk=self.pk)
            .select_related("topic")
            .first()
        )
        if elsewhere is not None:
            raise ValidationError(
                {
                    "topic": ValidationError(
                        "“%(resource)s” is listed in this curriculum already, in “%(topic)s”: "
                        "a resource has one place in a curriculum (move that listing instead).",
                        code="listed_in_curriculum",
                        params={"resource": self.resource, "topic": elsewhere.topic},
                    )
                }
            )


def split_list(text):
    """The non-empty items of a comma-separated field, stripped: "a, b," is ["a", "b"]."""
    return [item.strip() for item in text.split(",") if item.strip()]


class SearchSynonymManager(models.Manager):
    def get_by_natural_key(self, term):
        return self.get(term=term)


class SearchSynonym(models.Model):
    """A word learners type (often an abbreviation) and what it also finds: "svd" finds
    "singular value decomposition" wherever the catalog says it."""

    term = models.CharField(
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(r"^[^\W_]+$", "One word of letters and digits, e.g. SVD or KL.")
        ],
        help_text="One word as learners type it, e.g. SVD (any case: it is kept in lower case).",
    )
    expansions = models.CharField(
        max_length=500,
        help_text=(
            "What the word also finds: words or phrases, separated by commas, e.g. "
            "singular value decomposition. A phrase matches its words in that order."
        ),
    )

    objects = SearchSynonymManager()

    class Meta:
        ordering = ["term"]
        verbose_name = "search synonym"
        constraints = [
            models.CheckConstraint(
                condition=Q(term=Lower("term")),
                name="search_synonym_term_lower_case",
                violation_error_message="The word is kept in lower case.",
            ),
        ]

    def __str__(self):
        return f"{self.term} → {self.expansions}"

    def get_absolute_url(self):
        return reverse("catalog:search") + "?" + urlencode({"q": self.term})

    def natural_key(self):
        return (self.term,)

    def clean(self):
        self.term = self.term.strip().lower()
        if not search.phrases_of(self.expansions):
            raise ValidationError(
                {"expansions": "Give at least one word or phrase, e.g. least squares."}
            )


class Placement(NamedTuple):
    """Where a resource is in the catalog, as a learner's rows are counted by it: the topics
    that list it (one per curriculum at most), their curricula, and whether it is published."""

    topic_ids: tuple[int, ...]
    curriculum_ids: tuple[int, ...]
    is_published: bool


def resource_placements():
    """Every resource's Placement, by id: read in one query, once per catalog version and
    process, so that a learner's page counts their rows without joining the catalog's tables."""

    def read():
        placements = {}
        rows = Resource.objects.order_by().values_list(
            "pk", "is_published", "listings__topic", "listings__topic__curriculum"
        )
        for pk, is_published, topic_id, curriculum_id in rows:
            topic_ids, curriculum_ids = placements[pk][:2] if pk in placements else ((), ())
            if topic_id is not None:
                topic_ids, curriculum_ids = (*topic_ids, topic_id), (*curriculum_ids, curriculum_id)
            placements[pk] = Placement(topic_ids, curriculum_ids, is_published)
        return placements

    return cached_for_catalog_version("resource-placements", read)


def published_resources_by_topic():
    """Every topic's published resources' ids, by topic id: from `resource_placements`, once per
    catalog version and process."""

    def read():
        by_topic = {}
        for resource_id, placement in resource_placements().items():
            if placement.is_published:
                for topic_id in placement.topic_ids:
                    by_topic.setdefault(topic_id, set()).add(resource_id)
        return {topic_id: frozenset(ids) for topic_id, ids in by_topic.items()}

    return cached_for_catalog_version("published-resources-by-topic", read)


def search_lexicon():
    """What search knows of the catalog's words (`catalog.search.SearchLexicon`): the synonyms,
    and the vocabulary of the published resources and their topics in the published curricula;
    read in one query, once per catalog version and process."""
    return cached_for_catalog_version("search-lexicon", _read_search_lexicon)


def _read_search_lexicon():
    def joined(*fields):
        parts = [part for name in fields for part in (Value(" "), name)][1:]
        return Concat(*parts, output_field=models.TextField())

    listed = Listing.objects.in_published_curricula().published()
    synonyms = SearchSynonym.objects.order_by().values_list(Value("synonym"), "term", "expansions")
    resources = (
        Resource.objects.filter(Exists(listed.filter(resource=OuterRef("pk"))))
        .order_by()
        .values_list(
            Value("text"), Value(""), joined("title", "provider", "note", "people", "keywords")
        )
    )
    topics = (
        Topic.objects.filter(Exists(listed.filter(topic=OuterRef("pk"))))
        .order_by()
        .values_list(Value("text"), Value(""), joined("title", "summary", "guidance"))
    )
    rows = list(synonyms.union(resources, topics, all=True))
    return search.SearchLexicon.from_texts(
        synonym_rows=[(term, expansions) for kind, term, expansions in rows if kind == "synonym"],
        texts=[text for kind, _, text in rows if kind == "text"],
    )


def searchable_topics():
    """The topics search offers and names (those learners see, in published curricula), each
    with its curriculum, in the curricula's order (the default one first) and then theirs;
    read in one query, once per catalog version and process."""

    def read():
        in_default = Case(
            When(curriculum__slug=default_curriculum_slug(), then=Value(0)), default=Value(1)
        )
        return list(
            Topic.objects.filter(curriculum__is_published=True)
            .shown_to_learners()
            .select_related("curriculum")
            .order_by(in_default, "curriculum__position", "curriculum_id", "position", "title")
        )

    return cached_for_catalog_version("searchable-topics", read)


def search_terms(query):
    """The query's words with what each also finds, ready for `ResourceQuerySet.search`."""
    words = search.query_terms(query)
    if not words:
        return search.SearchTerms(())
    return search.expand_terms(words, search_lexicon())


class DegreeQuerySet(CurriculumRowQuerySet):
    def with_requirements(self):
        """Degrees in rank order, each with its curriculum, its requirements and what they
        name, in two queries.

        A requirement's `topic_is_shown` says whether learners may open the topic it names, and
        `resource_topic_slug` where the resource it names is listed in the degree's curriculum
        (for `target_url`).
        """
        resource_topic = Listing.objects.filter(
            resource=OuterRef("resource_id"), topic__curriculum=OuterRef("degree__curriculum_id")
        ).values("topic__slug")[:1]
        requirements = (
            Requirement.objects.select_related(
                "resource", "topic__curriculum", "milestone__curriculum"
            )
            .annotate(
                topic_is_shown=topic_shown_to_learners("topic"),
                resource_topic_slug=Subquery(resource_topic),
            )
            .order_by("position", "pk")
        )
        return (
            self.select_related("curriculum")
            .order_by("rank")
            .prefetch_related(Prefetch("requirements", queryset=requirements))
        )


class Degree(CurriculumEntry):
    slug = models.SlugField(max_length=80, help_text="Unique within its curriculum.")
    public_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Permanent id in the badge documents (a slug may be edited; this never is).",
    )
    title = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(
        help_text=(
            "1 is the curriculum's first degree. Degrees are cumulative: each includes every "
            "lower one of its curriculum."
        ),
    )
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(
        blank=True, help_text="What the degree means, quoting the source list (Markdown)."
    )

    objects = CurriculumSlugManager.from_queryset(DegreeQuerySet)()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1), name="degree_rank_positive"),
            models.UniqueConstraint(
                fields=["curriculum", "slug"],
                name="degree_slug_per_curriculum",
                violation_error_message="This curriculum has a degree with this slug already.",
            ),
            models.UniqueConstraint(
                fields=["curriculum", "rank"],
                name="degree_rank_per_curriculum",
                violation_error_message="This curriculum has a degree of this rank already.",
            ),
        ]

    def get_absolute_url(self):
        return curriculum_url(curriculum_slug_of(self), "degree_detail", slug=self.slug)


class Milestone(CurriculumEntry):
    """A skill a learner proves with evidence (a Kaggle notebook, a merged pull request...)."""

    slug = models.SlugField(max_length=80, help_text="Unique within its curriculum.")
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What the learner should show.")
    evidence_hint = models.CharField(
        max_length=300,
        blank=True,
        help_text="What good evidence looks like, e.g. “a link to your Kaggle notebook”.",
    )
    position = models.PositiveIntegerField(default=0)

    objects = CurriculumSlugManager.from_queryset(CurriculumRowQuerySet)()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "slug"],
                name="milestone_slug_per_curriculum",
                violation_error_message="This curriculum has a milestone with this slug already.",
            ),
        ]

    def get_absolute_url(self):
        degree_list = curriculum_url(curriculum_slug_of(self), "degree_list")
        return f"{degree_list}#milestone-{self.slug}"


class RequirementWording(NamedTuple):
    """A requirement in words: `before`, the title of `target` (what it names), `after`."""

    before: str
    target: models.Model  # a Resource, a Topic or a Milestone
    after: str = ""

    def __str__(self):
        return " ".join(part for part in (self.before, self.target.title, self.after) if part)


class RequirementManager(models.Manager):
    def get_by_natural_key(self, slug, curriculum_slug, degree_slug):
        return self.get(
            slug=slug, degree__curriculum__slug=curriculum_slug, degree__slug=degree_slug
        )


def requirement_target(model, help_text):
    """One of the three things a requirement may name; what a requirement names is kept."""
    return models.ForeignKey(
        model,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requirements",
        help_text=help_text,
    )


class Requirement(models.Model):
    """One thing a degree asks for: a resource, N published resources of a topic, or a milestone."""

    degree = models.ForeignKey(Degree, on_delete=models.CASCADE, related_name="requirements")
    slug = models.SlugField(max_length=80, help_text="Identifies the requirement in its degree.")
    resource = requirement_target(
        Resource, "Complete this resource. Leave empty to require a topic or a milestone."
    )
    topic = requirement_target(Topic, "Complete published resources of this topic.")
    milestone = requirement_target(Milestone, "Show evidence of this skill.")
    min_count = models.PositiveSmallIntegerField(
        "at least",
        null=True,
        blank=True,
        help_text="How many of the topic's published resources. Empty means all of them.",
    )
    source_quote = models.TextField(
        blank=True, help_text="The sentence of the source list this requirement comes from."
    )
    position = models.PositiveIntegerField(default=0)

    objects = RequirementManager()

    class Meta:
        ordering = ["degree__rank", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["degree", "slug"], name="requirement_slug_per_degree"),
            models.CheckConstraint(
                condition=(
                    Q(resource__isnull=False, topic__isnull=True, milestone__isnull=True)
                    | Q(resource__isnull=True, topic__isnull=False, milestone__isnull=True)
                    | Q(resource__isnull=True, topic__isnull=True, milestone__isnull=False)
                ),
                name="requirement_exactly_one_target",
                violation_error_message=(
                    "A requirement names exactly one thing: a resource, a topic "
                    "(with an optional “at least” count) or a milestone."
                ),
            ),
            models.CheckConstraint(
                condition=Q(min_count__isnull=True) | Q(topic__isnull=False),
                name="requirement_min_count_only_for_topics",
                violation_error_message="“At least” applies only to a topic requirement.",
            ),
            models.CheckConstraint(
                condition=Q(min_count__isnull=True) | Q(min_count__gte=1),
                name="requirement_min_count_positive",
                violation_error_message="“At least” must be 1 or more (empty means all).",
            ),
        ]

    def __str__(self):
        return f"{self.degree}: {self.describe()}"

    def natural_key(self):
        return (self.slug, *self.degree.natural_key())

    natural_key.dependencies = [
        "catalog.degree",
        "catalog.milestone",
        "catalog.resource",
        "catalog.topic",
    ]

    def clean(self):
        """What a requirement names belongs to its degree's curriculum: a topic or milestone of
        it, or a resource listed in it."""
        if self.degree_id is None:
            return
        curriculum_id = self.degree.curriculum_id
        errors = {}
        for name in ("topic", "milestone"):
            target = getattr(self, name) if getattr(self, f"{name}_id") else None
            if target is not None and target.curriculum_id != curriculum_id:
                errors[name] = f"“{target}” is in another curriculum than the degree."
        if (
            self.resource_id
            and not self.resource.listings.filter(topic__curriculum_id=curriculum_id).exists()
        ):
            errors["resource"] = f"“{self.resource}” is not listed in the degree's curriculum."
        if errors:
            raise ValidationError(errors)

    def target_url(self):
        """Where a learner works on what it names: the milestone's or topic's page, or the
        resource on its topic's page in the degree's curriculum (from `resource_topic_slug`,
        which `Degree.objects.with_requirements()` reads with the requirement)."""
        if self.resource_id is None:
            return (self.milestone or self.topic).get_absolute_url()
        if not hasattr(self, "resource_topic_slug"):
            self.resource_topic_slug = (
                self.resource.listings.filter(topic__curriculum_id=self.degree.curriculum_id)
                .values_list("topic__slug", flat=True)
                .first()
            )
        if self.resource_topic_slug is None:
            return self.resource.get_absolute_url()
        topic_url = curriculum_url(
            curriculum_slug_of(self.degree), "topic_detail", slug=self.resource_topic_slug
        )
        return f"{topic_url}#resource-{self.resource.slug}"

    def wording(self):
        """How the requirement reads, around the title of what it names (for a link to it)."""
        if self.resource_id:
            return RequirementWording("Complete", self.resource)
        if self.milestone_id:
            return RequirementWording("Show evidence:", self.milestone)
        if self.min_count is None:
            return RequirementWording("Complete every", self.topic, "resource")
        noun = "resource" if self.min_count == 1 else "resources"
        return RequirementWording(f"Complete at least {self.min_count}", self.topic, noun)

    def describe(self):
        """The requirement in plain words: "Complete at least 2 Calculus resources"."""
        return str(self.wording())

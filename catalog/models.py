"""What there is to learn: topics, their resources, and the degrees that require them."""

import graphlib
import uuid
from typing import NamedTuple

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from django.utils.http import urlencode

from catalog import search
from mlmath.caching import cached_for_catalog_version


class SlugManager(models.Manager):
    """Looks catalog rows up by slug, so fixtures reference slugs rather than ids."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CatalogEntry(models.Model):
    """A titled catalog row with a unique slug: the slug is its natural key (fixtures and
    `SlugManager` name rows by it), the title is how it reads."""

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


def topic_shown_to_learners(topic="pk"):
    """The condition for a topic learners see: it has a published resource, or it is a reading
    topic. `topic` names the topic from the rows filtered ("pk" for topics, "topic" for rows
    that point to one).

    Any other topic (a new one whose resources are still unpublished, one whose resources were
    all unpublished) is hidden: from the catalog, its own page, search, the dashboard and the
    links of other pages.
    """
    prefix = "" if topic == "pk" else f"{topic}__"
    published = Resource.objects.filter(topic=OuterRef(topic), is_published=True)
    return Q(**{f"{prefix}is_reading": True}) | Exists(published)


class TopicQuerySet(models.QuerySet):
    def with_published_counts(self):
        return self.annotate(
            published_resource_count=Count("resources", filter=Q(resources__is_published=True))
        )

    def shown_to_learners(self):
        return self.filter(topic_shown_to_learners())


class Topic(CatalogEntry):
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in the topic's URL.")
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

    objects = SlugManager.from_queryset(TopicQuerySet)()

    class Meta:
        ordering = ["position", "title"]
        indexes = [models.Index(fields=["position", "title"], name="topic_curriculum_order")]

    def get_absolute_url(self):
        return reverse("catalog:topic_detail", kwargs={"slug": self.slug})

    def neighbours(self):
        """The previous and next topics learners see, in curriculum order (either may be None)."""
        ordered = Topic.objects.shown_to_learners().order_by("position", "title", "pk")
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
    def get_by_natural_key(self, topic_slug, prerequisite_slug):
        return self.get(from_topic__slug=topic_slug, to_topic__slug=prerequisite_slug)


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


def prerequisite_cycle_error(topic, prerequisite_ids):
    """A ValidationError if requiring these topic ids before `topic` would make a cycle, else None.

    A topic may not be its own prerequisite, directly or through a chain of other topics.
    """
    prerequisite_ids = set(prerequisite_ids)
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
    def published(self):
        return self.filter(is_published=True)

    def search(self, query):
        """Resources matching every word of the query by prefix or stem, best match first.

        The topic's text counts too, so "Fourier" finds the signal-processing courses and
        "eigen" the linear-algebra ones even where no title says it; a word also finds its
        synonyms' expansions ("SVD": "singular value decomposition") and the catalog's words
        one typing slip away from it (see `catalog.search`). `query` is the text a learner
        typed, or the `SearchTerms` that `search_terms` made of it.
        """
        terms = query if isinstance(query, search.SearchTerms) else search_terms(query)
        return search.search_resources(self, terms)


class Resource(CatalogEntry):
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
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="resources",
        help_text="Moving a resource to another topic keeps every learner's progress on it.",
    )
    title = models.CharField(max_length=200)
    url = models.URLField("URL", max_length=500, unique=True)
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
    position = models.PositiveIntegerField(default=0, help_text="Order within its topic.")
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
        ordering = ["position", "title"]
        indexes = [
            models.Index(
                fields=["topic", "is_published", "position", "title"],
                name="resource_topic_order",
            ),
        ]

    def get_absolute_url(self):
        return f"{self.topic.get_absolute_url()}#resource-{self.slug}"

    @property
    def keyword_list(self):
        return split_list(self.keywords)


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
    """Where a resource is in the catalog, as a learner's rows are counted by it."""

    topic_id: int
    is_published: bool


def resource_placements():
    """Every resource's Placement, by id: read in one query, once per catalog version and
    process, so that a learner's page counts their rows without joining the catalog's table."""
    return cached_for_catalog_version(
        "resource-placements",
        lambda: {
            pk: Placement(topic_id, is_published)
            for pk, topic_id, is_published in Resource.objects.order_by().values_list(
                "pk", "topic_id", "is_published"
            )
        },
    )


def search_lexicon():
    """What search knows of the catalog's words (`catalog.search.SearchLexicon`): the synonyms,
    and the vocabulary of published resources and their topics; read in one query, once per
    catalog version and process."""
    return cached_for_catalog_version("search-lexicon", _read_search_lexicon)


def _read_search_lexicon():
    def joined(*fields):
        parts = [part for name in fields for part in (Value(" "), name)][1:]
        return Concat(*parts, output_field=models.TextField())

    synonyms = SearchSynonym.objects.order_by().values_list(Value("synonym"), "term", "expansions")
    resources = (
        Resource.objects.published()
        .order_by()
        .values_list(
            Value("text"), Value(""), joined("title", "provider", "note", "people", "keywords")
        )
    )
    topics = (
        Topic.objects.filter(Exists(Resource.objects.published().filter(topic=OuterRef("pk"))))
        .order_by()
        .values_list(Value("text"), Value(""), joined("title", "summary", "guidance"))
    )
    rows = list(synonyms.union(resources, topics, all=True))
    return search.SearchLexicon.from_texts(
        synonym_rows=[(term, expansions) for kind, term, expansions in rows if kind == "synonym"],
        texts=[text for kind, _, text in rows if kind == "text"],
    )


def search_terms(query):
    """The query's words with what each also finds, ready for `ResourceQuerySet.search`."""
    words = search.query_terms(query)
    if not words:
        return search.SearchTerms(())
    return search.expand_terms(words, search_lexicon())


class DegreeQuerySet(models.QuerySet):
    def with_requirements(self):
        """Degrees in rank order, each with its requirements and what they name, in two queries.

        A requirement's `topic_is_shown` says whether learners may open the topic it names.
        """
        requirements = (
            Requirement.objects.select_related("resource__topic", "topic", "milestone")
            .annotate(topic_is_shown=topic_shown_to_learners("topic"))
            .order_by("position", "pk")
        )
        return self.order_by("rank").prefetch_related(
            Prefetch("requirements", queryset=requirements)
        )


class Degree(CatalogEntry):
    slug = models.SlugField(max_length=80, unique=True)
    public_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Permanent id in the badge documents (a slug may be edited; this never is).",
    )
    title = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(
        unique=True,
        help_text="1 is the first degree. Degrees are cumulative: each includes every lower one.",
    )
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(
        blank=True, help_text="What the degree means, quoting the source list (Markdown)."
    )

    objects = SlugManager.from_queryset(DegreeQuerySet)()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1), name="degree_rank_positive"),
        ]

    def get_absolute_url(self):
        return reverse("catalog:degree_detail", kwargs={"slug": self.slug})


class Milestone(CatalogEntry):
    """A skill a learner proves with evidence (a Kaggle notebook, a merged pull request...)."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What the learner should show.")
    evidence_hint = models.CharField(
        max_length=300,
        blank=True,
        help_text="What good evidence looks like, e.g. “a link to your Kaggle notebook”.",
    )
    position = models.PositiveIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["position", "title"]

    def get_absolute_url(self):
        return reverse("catalog:degree_list") + f"#milestone-{self.slug}"


class RequirementWording(NamedTuple):
    """A requirement in words: `before`, the title of `target` (what it names), `after`."""

    before: str
    target: models.Model  # a Resource, a Topic or a Milestone
    after: str = ""

    def __str__(self):
        return " ".join(part for part in (self.before, self.target.title, self.after) if part)


class RequirementManager(models.Manager):
    def get_by_natural_key(self, slug, degree_slug):
        return self.get(slug=slug, degree__slug=degree_slug)


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

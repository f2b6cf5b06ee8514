"""Which degrees a learner has earned: a plain function over plain data, plus its loaders.

`evaluate_degrees` knows nothing of HTTP, templates or the ORM. `degree_credit` reads what of
a learner's work counts toward a degree (in one written-out statement, `progress.statements`,
judged by `is_done` and `is_accepted`, the rules of what counts), and `load_degree_specs` reads the
catalog into the plain shapes `evaluate_degrees` takes; each runs a fixed number of queries.
`degree_credit(learner).evaluate(load_degree_specs())` is what the award service and the
dashboard both ask (`credit_from_rows` counts the same from rows a page loaded already).
The smaller rules beside them are asked by every page that shows them:
`cumulative_requirements` (what a degree asks, with what it inherits), `specs_in_curriculum`
(the degrees a page about one curriculum shows), `next_degree` (the degree a learner works
toward), `resources_to_meet` (which resources would meet it, the study plan's and next up's),
`award_standing` (how an award's evidence holds up) and `percent_done` (every bar's and pill's
percent).
"""

from dataclasses import dataclass, field

from django.db import models

from catalog.models import (
    Degree,
    Listing,
    curriculum_url,
    default_curriculum_slug,
    published_resources_by_topic,
    resource_placements,
)
from mlmath.caching import cached_for_catalog_version
from progress.models import Evidence, Status, is_accepted, is_done
from progress.statements import learner_credit_values


@dataclass(frozen=True)
class RequirementSpec:
    """One requirement, as data: exactly one of `resource_id`, `topic_id`, `milestone_id` is set."""

    key: str
    description: str = ""  # how it reads: Requirement.describe(), "Complete Keras"
    url: str = ""  # where on the site the learner works on it
    resource_id: int | None = None
    resource_title: str = ""
    resource_published: bool = True
    topic_id: int | None = None
    topic_title: str = ""
    min_count: int | None = None  # None: every published resource of the topic
    topic_resource_ids: frozenset[int] = frozenset()  # the topic's published resources
    milestone_id: int | None = None
    milestone_title: str = ""
    milestone_slug: str = ""


@dataclass(frozen=True)
class DegreeSpec:
    slug: str  # unique within its curriculum
    title: str
    rank: int  # within its curriculum
    requirements: tuple[RequirementSpec, ...] = ()
    id: int | None = None  # the Degree's
    curriculum_id: int | None = None
    curriculum_slug: str = ""

    def get_absolute_url(self):
        return curriculum_url(
            self.curriculum_slug or default_curriculum_slug(), "degree_detail", slug=self.slug
        )


@dataclass(frozen=True)
class RequirementResult:
    spec: RequirementSpec
    done: int
    needed: int
    known: int = 0  # how many of `done` the learner already knew (completions count first)

    @property
    def met(self):
        return self.done >= self.needed

    @property
    def remaining(self):
        """What is left, in plain words ("" when met): the requirement as it reads, or for a
        topic how many more of its resources."""
        if self.met:
            return ""
        spec = self.spec
        if spec.resource_id is not None and not spec.resource_published:
            return f"{spec.resource_title} is not available right now"
        if spec.topic_id is None:
            return spec.description
        missing = self.needed - self.done
        noun = "resource" if missing == 1 else "resources"
        return f"Complete {missing} more {spec.topic_title} {noun}"


@dataclass(frozen=True)
class DegreeResult:
    degree: DegreeSpec
    requirements: tuple[RequirementResult, ...] = field(default_factory=tuple)

    @property
    def met(self):
        return all(result.met for result in self.requirements)

    @property
    def done(self):
        return sum(min(result.done, result.needed) for result in self.requirements)

    @property
    def needed(self):
        return sum(result.needed for result in self.requirements)

    @property
    def percent(self):
        return 100 if self.needed == 0 else percent_done(self.done, self.needed)

    @property
    def remaining(self):
        return [result.remaining for result in self.requirements if not result.met]

    @property
    def met_count(self):
        """How many of its requirements (inherited ones included) are met."""
        return sum(1 for result in self.requirements if result.met)

    @property
    def unmet_requirements(self):
        return tuple(result for result in self.requirements if not result.met)

    @property
    def milestone_ids(self):
        """The milestones this degree asks evidence for, its inherited ones included."""
        return [r.spec.milestone_id for r in self.requirements if r.spec.milestone_id is not None]

    @property
    def own_requirements(self):
        """The requirements this degree adds to the ones below it (its own, which come last)."""
        own_count = len(self.degree.requirements)
        return self.requirements[len(self.requirements) - own_count :] if own_count else ()


def percent_done(done, total):
    """`done` of `total` as a whole percent, 0 when there is nothing to do. Python's round()
    (half to even: 1 of 8 is 12%, 3 of 8 is 38%) for every percent the site shows."""
    return round(100 * done / total) if total else 0


@dataclass(frozen=True)
class ResourceCounts:
    """Resources that count, told apart: done here, and known already (self-attested)."""

    completed: int = 0
    known: int = 0

    @property
    def done(self):
        return self.completed + self.known


@dataclass(frozen=True)
class DegreeCredit:
    """What of a learner's work counts toward degrees.

    `done_resource_ids` are the resources that count: completed, or already known (which the
    learner attests, like evidence); `known_resource_ids` are those of them already known.
    """

    done_resource_ids: frozenset[int] = frozenset()
    evidenced_milestone_ids: frozenset[int] = frozenset()
    known_resource_ids: frozenset[int] = frozenset()

    @property
    def completed_resource_ids(self):
        return self.done_resource_ids - self.known_resource_ids

    def done_among(self, resource_ids):
        """How many of these resources count (a topic's bar)."""
        return len(self.done_resource_ids.intersection(resource_ids))

    def counts_among(self, resource_ids):
        """Of these resources, how many the learner completed and how many they knew."""
        done = self.done_resource_ids.intersection(resource_ids)
        known = len(done & self.known_resource_ids)
        return ResourceCounts(completed=len(done) - known, known=known)

    def evaluate(self, degrees):
        """`evaluate_degrees` for this credit."""
        return evaluate_degrees(
            self.done_resource_ids,
            degrees,
            self.evidenced_milestone_ids,
            known_resource_ids=self.known_resource_ids,
        )


def degree_credit(learner, among=None):
    """What counts toward a degree for `learner`, in one query; of the resources `among` only,
    unless None (a completion reads only those it can change anything for:
    `credit_after_completing`).

    Resources count while they are published, completed or already known (`is_done`);
    milestone evidence counts unless a curator rejected it (`is_accepted`). Everything that
    shows or awards degrees asks this function; every completion does, so its statement is
    written out (`progress.statements`), and whether a resource is published is read where the
    degree rules are, once per catalog version (`resource_placements`, `load_degree_specs`).
    """
    resource_statuses, evidence_states = learner_credit_values(learner.pk, among)
    placements = resource_placements()
    return credit_from_rows(
        (
            (resource_id, status, placements[resource_id].is_published)
            for resource_id, status in resource_statuses
            if resource_id in placements
        ),
        evidence_states,
    )


def credit_after_completing(learner, placement):
    """The learner's `degree_credit` over the resources a completion at `placement` (a catalog
    Placement) can change anything for: those the degrees of its curricula count (what the
    award check evaluates, and what the panel that celebrates an award shows) and those of its
    topics (the bars the write's answer shows). However long the learner's history, a
    completion reads only these rows."""
    curriculum_ids = placement.curriculum_ids if placement else ()
    specs = [spec for spec in load_degree_specs() if spec.curriculum_id in curriculum_ids]
    among = requirement_resource_ids(spec for degree in specs for spec in degree.requirements)
    by_topic = published_resources_by_topic()
    for topic_id in placement.topic_ids if placement else ():
        among.update(by_topic.get(topic_id, ()))
    return degree_credit(learner, among)


def credit_from_rows(resource_rows, evidence_states):
    """What `degree_credit` reads, counted from rows a page has loaded already (a degree page
    loads the learner's rows for its cards and their evidence for its milestones), by the same
    rules one row at a time: `resource_rows` as (resource id, status, resource is published),
    `evidence_states` as {milestone id: state}."""
    done, known = set(), set()
    for resource_id, status, resource_is_published in resource_rows:
        if is_done(status, resource_is_published):
            done.add(resource_id)
            if status == Status.KNOWN:
                known.add(resource_id)
    return DegreeCredit(
        done_resource_ids=frozenset(done),
        evidenced_milestone_ids=frozenset(
            milestone_id for milestone_id, state in evidence_states.items() if is_accepted(state)
        ),
        known_resource_ids=frozenset(known),
    )


def evaluate_requirement(spec, done_resource_ids, evidenced_milestone_ids, known_resource_ids):
    if spec.milestone_id is not None:
        return RequirementResult(
            spec=spec, done=int(spec.milestone_id in evidenced_milestone_ids), needed=1
        )
    if spec.resource_id is not None:
        done = int(spec.resource_published and spec.resource_id in done_resource_ids)
        known = int(done and spec.resource_id in known_resource_ids)
        return RequirementResult(spec=spec, done=done, needed=1, known=known)
    done_in_topic = spec.topic_resource_ids & done_resource_ids
    completed_in_topic = len(done_in_topic - known_resource_ids)
    needed = len(spec.topic_resource_ids) if spec.min_count is None else spec.min_count
    done = min(len(done_in_topic), needed)
    return RequirementResult(
        spec=spec, done=done, needed=needed, known=max(0, done - completed_in_topic)
    )


def evaluate_degrees(done_resource_ids, degrees, evidenced_milestone_ids=(), known_resource_ids=()):
    """Each degree's met and unmet requirements for a learner, lowest rank first.

    `done_resource_ids` are the learner's resources that count (completed or already known),
    `known_resource_ids` those of them already known, `evidenced_milestone_ids` the
    milestones with evidence that is not rejected; `degrees` are DegreeSpecs. Known resources
    count exactly as completed ones; they are told apart only in what a result says.
    Degrees are cumulative: a degree's requirements include those of every lower rank, so a
    learner who meets a degree meets every degree below it.
    """
    done = frozenset(done_resource_ids)
    evidenced = frozenset(evidenced_milestone_ids)
    known = frozenset(known_resource_ids) & done
    return [
        DegreeResult(
            degree=degree,
            requirements=tuple(
                evaluate_requirement(spec, done, evidenced, known)
                for spec in cumulative_requirements(degrees, degree.rank, degree.curriculum_id)
            ),
        )
        for degree in sorted(degrees, key=lambda d: (d.curriculum_slug, d.rank))
    ]


def requirement_resource_ids(requirements):
    """Every published resource these requirements can count (named ones and topics')."""
    ids = set()
    for spec in requirements:
        if spec.resource_id is not None and spec.resource_published:
            ids.add(spec.resource_id)
        ids.update(spec.topic_resource_ids)
    return ids


def cumulative_requirements(degrees, rank, curriculum_id=None):
    """What the degree of `rank` in the curriculum of `curriculum_id` asks: the requirements of
    every lower degree of that curriculum, lowest first, then its own (degrees are cumulative).
    `degrees` are DegreeSpecs."""
    return tuple(
        requirement
        for degree in sorted(degrees, key=lambda d: d.rank)
        if degree.curriculum_id == curriculum_id and degree.rank <= rank
        for requirement in degree.requirements
    )


def specs_in_curriculum(degrees, curriculum_slug):
    """Those of `degrees` (DegreeSpecs) of one curriculum, by its slug: what a page about that
    curriculum evaluates and shows, and what its next degree is chosen among."""
    return [degree for degree in degrees if degree.curriculum_slug == curriculum_slug]


def next_degree(results, held_slugs=()):
    """The degree a learner works toward next, as its result in `results` (`evaluate_degrees`'
    answer): the lowest-ranked one they neither hold nor meet, or None. Next up and the study
    plan list what it needs, the dashboard shows it first, and the panel that celebrates an
    award says what it needs."""
    held = set(held_slugs)
    ordered = sorted(results, key=lambda result: result.degree.rank)
    return next((r for r in ordered if not r.met and r.degree.slug not in held), None)


def resources_to_meet(result, open_resource_ids):
    """The resources whose completion would meet the unmet resource and topic requirements of
    `result` (a DegreeResult), in the order of `open_resource_ids`: the published resources the
    learner has not done, in the order to take them. Each resource a requirement names, and for
    a topic as many of its open resources as it still lacks, first those another requirement
    names (one completion can count twice). Milestones, and resources not open (unpublished),
    are not resources to take."""
    open_ids = list(dict.fromkeys(open_resource_ids))
    is_open = set(open_ids)
    chosen = set()
    for requirement in result.unmet_requirements:
        if requirement.spec.resource_id in is_open:
            chosen.add(requirement.spec.resource_id)
    for requirement in result.unmet_requirements:
        in_topic = [rid for rid in open_ids if rid in requirement.spec.topic_resource_ids]
        missing = requirement.needed - requirement.done - len(chosen.intersection(in_topic))
        for resource_id in (rid for rid in in_topic if rid not in chosen):
            if missing <= 0:
                break
            chosen.add(resource_id)
            missing -= 1
    return [resource_id for resource_id in open_ids if resource_id in chosen]


def highest_met(results):
    met = [result for result in results if result.met]
    return met[-1] if met else None


def load_degree_specs():
    """The catalog's degrees, of every curriculum, as DegreeSpecs: three queries whatever the
    catalog's size, once per catalog version and process (they change only when the catalog
    does). A page about one curriculum keeps its own (`specs_in_curriculum`); awards are
    recorded for every curriculum's."""
    return cached_for_catalog_version("degree-specs", read_degree_specs)


def read_degree_specs():
    degrees = list(Degree.objects.with_requirements())
    topic_ids = {r.topic_id for d in degrees for r in d.requirements.all() if r.topic_id}
    published_by_topic = {}
    for topic_id, resource_id in (
        Listing.objects.published()
        .filter(topic_id__in=topic_ids)
        .values_list("topic_id", "resource_id")
    ):
        published_by_topic.setdefault(topic_id, set()).add(resource_id)
    return [
        DegreeSpec(
            slug=degree.slug,
            title=degree.title,
            rank=degree.rank,
            requirements=tuple(
                _requirement_spec(requirement, published_by_topic)
                for requirement in degree.requirements.all()
            ),
            id=degree.pk,
            curriculum_id=degree.curriculum_id,
            curriculum_slug=degree.curriculum.slug,
        )
        for degree in degrees
    ]


def _requirement_spec(requirement, published_by_topic):
    milestone, resource, topic = requirement.milestone, requirement.resource, requirement.topic
    return RequirementSpec(
        key=f"{requirement.degree_id}:{requirement.slug}",
        description=requirement.describe(),
        url=requirement.target_url(),
        milestone_id=requirement.milestone_id,
        milestone_title=milestone.title if milestone else "",
        milestone_slug=milestone.slug if milestone else "",
        resource_id=requirement.resource_id,
        resource_title=resource.title if resource else "",
        resource_published=resource.is_published if resource else True,
        topic_id=requirement.topic_id,
        topic_title=topic.title if topic else "",
        min_count=requirement.min_count,
        topic_resource_ids=frozenset(published_by_topic.get(requirement.topic_id, ())),
    )


class Standing(models.TextChoices):
    """How well an earned degree's milestone evidence holds up."""

    VERIFIED = "verified", "Verified"  # every milestone's evidence verified by a curator
    SELF_ATTESTED = "self_attested", "Self-attested"  # some evidence not reviewed yet
    REJECTED = "rejected", "Rests on rejected evidence"  # some milestone's evidence rejected
    INCOMPLETE = "incomplete", "Incomplete"  # a milestone without evidence (withdrawn, or new)


def award_standing(evidence_states):
    """The Standing of an award, given the state of the learner's evidence for each milestone
    its degree asks for (None or "" where they have none)."""
    states = [state or None for state in evidence_states]
    if Evidence.State.REJECTED in states:
        return Standing.REJECTED
    if None in states:
        return Standing.INCOMPLETE
    if all(state == Evidence.State.VERIFIED for state in states):
        return Standing.VERIFIED
    return Standing.SELF_ATTESTED

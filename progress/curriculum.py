"""What a learner should do next: a plain function over the curriculum's order and prerequisites
and the degree rules (`progress.degrees`)."""

from dataclasses import dataclass

from progress.degrees import next_degree, resources_to_meet


@dataclass(frozen=True)
class CurriculumItem:
    resource_id: int
    topic_id: int


@dataclass(frozen=True)
class NextStep:
    """One item of next up: a resource to take or a milestone to show evidence for, and why it
    is there: the lowest degree not met that asks for it ("" when none does) and whether the
    learner has started it."""

    resource_id: int | None = None
    milestone_id: int | None = None
    degree_title: str = ""
    in_progress: bool = False


def in_curriculum_order(items, prerequisites, done_ids, in_progress_ids):
    """The resources left to take, as ids, in the order to take them.

    `items` are CurriculumItems in curriculum order (topic order, then the curator's order in
    the topic); `prerequisites` maps a topic id to the ids of the topics it builds on;
    `done_ids` are the resources that count (completed or already known). Resources already
    in progress come first; then untouched resources of topics whose prerequisites are all
    done; then those of topics that still wait on another.
    """
    open_by_topic = {}
    for item in items:
        if item.resource_id not in done_ids:
            open_by_topic.setdefault(item.topic_id, []).append(item.resource_id)

    def ready(topic_id):
        return not any(open_by_topic.get(p) for p in prerequisites.get(topic_id, ()))

    started = [i.resource_id for i in items if i.resource_id in in_progress_ids]
    untouched = [
        i for i in items if i.resource_id not in done_ids and i.resource_id not in in_progress_ids
    ]
    ready_now = [i.resource_id for i in untouched if ready(i.topic_id)]
    blocked = [i.resource_id for i in untouched if not ready(i.topic_id)]
    return started + ready_now + blocked


def next_up(items, prerequisites, done_ids, in_progress_ids, degree_results, limit=5):
    """What to work on next, as NextSteps: first everything the next degree still needs, then
    the rest of the curriculum, `limit` steps in all unless that degree needs more.

    The next degree is the lowest one not met (`next_degree` of `degree_results`, the learner's
    DegreeResults); it needs the resources that `resources_to_meet` chooses, in curriculum
    order (`in_curriculum_order`, whose arguments come first here), then evidence for each of
    its milestones still without it. Once it is met, the degree above it is next. Every step
    names the lowest degree not met that asks for it, if any.
    """
    order = in_curriculum_order(items, prerequisites, done_ids, in_progress_ids)
    unmet = sorted((r for r in degree_results if not r.met), key=lambda r: r.degree.rank)
    degree_of = {}
    for result in unmet:
        for resource_id in resources_to_meet(result, order):
            degree_of.setdefault(resource_id, result.degree.title)

    def resource_step(resource_id):
        return NextStep(
            resource_id=resource_id,
            degree_title=degree_of.get(resource_id, ""),
            in_progress=resource_id in in_progress_ids,
        )

    target = next_degree(degree_results)
    needed = resources_to_meet(target, order) if target else []
    milestone_ids = dict.fromkeys(
        r.spec.milestone_id
        for r in (target.unmet_requirements if target else ())
        if r.spec.milestone_id is not None
    )
    for_next_degree = [resource_step(resource_id) for resource_id in needed] + [
        NextStep(milestone_id=milestone_id, degree_title=target.degree.title)
        for milestone_id in milestone_ids
    ]
    needed_ids = set(needed)
    rest = [resource_step(resource_id) for resource_id in order if resource_id not in needed_ids]
    return (for_next_degree + rest)[: max(limit, len(for_next_degree))]

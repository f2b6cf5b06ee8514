"""What a learner should do next: a plain function over the curriculum's order and prerequisites."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CurriculumItem:
    resource_id: int
    topic_id: int


def next_up(items, prerequisites, done_ids, in_progress_ids, limit=5):
    """The next few resources to work on, as resource ids.

    `items` are CurriculumItems in curriculum order (topic order, then the curator's order in
    the topic); `prerequisites` maps a topic id to the ids of the topics it builds on;
    `done_ids` are the resources that count (completed or already known). Resources already
    in progress come first; then untouched resources of topics whose prerequisites are all
    done. Only if nothing is ready (say, every open topic still waits on another) do blocked
    topics' resources follow.
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
    return (started + ready_now + blocked)[:limit]

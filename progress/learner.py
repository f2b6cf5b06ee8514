"""The signed-in learner's state for one page, loaded lazily and once per kind.

Every fragment of a page (resource cards, topic bars, milestones, the header badge, the
dashboard) asks the same `LearnerProgress`, so a page reads each kind of row once whatever
it shows.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from catalog.models import Topic
from progress.degrees import degree_credit, percent_done
from progress.models import DegreeAward, Evidence, ResourceProgress


@dataclass(frozen=True)
class TopicProgress:
    """How far a learner is in one topic: completions that count, of its published resources."""

    topic: Topic
    completed: int
    published: int

    @property
    def percent(self):
        return percent_done(self.completed, self.published)


class LearnerProgress:
    """A learner's statuses, evidence and awards; nothing is queried until a page asks."""

    def __init__(self, learner):
        self.learner = learner

    @cached_property
    def by_resource_id(self):
        rows = ResourceProgress.objects.for_learner(self.learner).only(
            "id", "resource_id", "status", "note", "completed_at"
        )
        return {row.resource_id: row for row in rows}

    def for_resource(self, resource):
        return self.by_resource_id.get(resource.pk)

    def for_resource_ids(self, resource_ids):
        """The learner's rows for these resources only (a page's worth, in one query), so a
        page costs the same however long the learner's history is."""
        if "by_resource_id" in self.__dict__:
            return {rid: self.by_resource_id.get(rid) for rid in resource_ids}
        loaded = self.__dict__.setdefault("_rows_by_resource_id", {})
        missing = [rid for rid in resource_ids if rid not in loaded]
        if missing:
            rows = (
                ResourceProgress.objects.for_learner(self.learner)
                .filter(resource_id__in=missing)
                .only("id", "resource_id", "status", "note", "completed_at")
            )
            found = {row.resource_id: row for row in rows}
            loaded.update({rid: found.get(rid) for rid in missing})
        return {rid: loaded[rid] for rid in resource_ids}

    @cached_property
    def credit(self):
        """What of the learner's work counts toward degrees (see `degree_credit`)."""
        return degree_credit(self.learner)

    @cached_property
    def completed_by_topic_id(self):
        """Completions that count, per topic, counted by the database."""
        rows = (
            ResourceProgress.objects.for_learner(self.learner)
            .completed()
            .values("resource__topic_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        return {row["resource__topic_id"]: row["count"] for row in rows}

    def completed_in_topic(self, topic):
        return self.completed_in_topic_id(topic.pk)

    def completed_in_topic_id(self, topic_id):
        return self.completed_by_topic_id.get(topic_id, 0)

    def with_completed_counts(self, topics):
        """`topics` (a Topic QuerySet) annotated with `completed_count`, the learner's
        completions that count, for pages that list topics in one query."""
        completed_in_topic = (
            ResourceProgress.objects.for_learner(self.learner)
            .completed()
            .filter(resource__topic=OuterRef("pk"))
            .values("resource__topic")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return topics.annotate(completed_count=Coalesce(Subquery(completed_in_topic), 0))

    @cached_property
    def evidence_by_milestone_id(self):
        return {e.milestone_id: e for e in Evidence.objects.for_learner(self.learner)}

    def evidence_for(self, milestone):
        return self.evidence_by_milestone_id.get(milestone.pk)

    @cached_property
    def awards(self):
        """The learner's valid (not revoked) awards, lowest degree first."""
        return list(
            DegreeAward.objects.for_learner(self.learner)
            .valid()
            .select_related("degree")
            .order_by("degree__rank")
        )

    @property
    def highest_award(self):
        return self.awards[-1] if self.awards else None

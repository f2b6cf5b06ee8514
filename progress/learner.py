"""The signed-in learner's state for one page, loaded lazily and once per kind.

Every fragment of a page (resource cards, topic bars, milestones, the header badge, the
dashboard) asks the same `LearnerProgress`, so a page reads each kind of row once whatever
it shows.
"""

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import chain

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from catalog.models import Topic, resource_placements
from mlmath.caching import cached_for_versions
from mlmath.versions import learner_awards_key
from progress.degrees import credit_from_rows, degree_credit, percent_done
from progress.following import followed_curriculum_ids
from progress.models import DegreeAward, Evidence, ResourceProgress, is_done
from progress.statements import learner_rows


@dataclass(frozen=True)
class TopicProgress:
    """How far a learner is in one topic: resources that count (completed or already known),
    of its published resources."""

    topic: Topic
    done: int
    published: int

    @property
    def percent(self):
        return percent_done(self.done, self.published)


class LearnerProgress:
    """A learner's statuses, evidence and awards; nothing is queried until a page asks."""

    def __init__(self, learner):
        self.learner = learner

    @cached_property
    def statuses(self):
        """The status of every row of the learner's, by resource id: what their topic bars and
        a degree page's credit are counted from (`resource_placements` says where each
        resource is). Read with the rows of the first cards the page shows, if it shows any."""
        return learner_rows(self.learner.pk, [])[0]

    @cached_property
    def _rows_by_resource_id(self):
        return {}

    def for_resource_ids(self, resource_ids, *, with_statuses=True):
        """The learner's rows (`ShownRow`s, or None) for these resources: read for the
        resources a page shows, with `statuses` in the same statement (unless `with_statuses`
        is false: a page that counts nothing beyond these rows), so that a page costs about the
        same however long the learner's history."""
        rows = self._rows_by_resource_id
        missing = [resource_id for resource_id in resource_ids if resource_id not in rows]
        if missing:
            if "statuses" in self.__dict__ or not with_statuses:
                _, found = learner_rows(self.learner.pk, missing, with_statuses=False)
            else:
                self.statuses, found = learner_rows(self.learner.pk, missing)
            for resource_id in missing:
                rows[resource_id] = found.get(resource_id)
        return {resource_id: rows[resource_id] for resource_id in resource_ids}

    def for_resource(self, resource):
        return self.for_resource_ids([resource.pk])[resource.pk]

    @cached_property
    def credit(self):
        """What of the learner's work counts toward degrees (see `degree_credit`)."""
        return degree_credit(self.learner)

    @cached_property
    def credit_from_page_rows(self):
        """`credit`, counted from the learner's statuses and evidence, for a page that loads
        both anyway (a degree page shows its resources' cards and its milestones' evidence): no
        query beyond those two."""
        placements = resource_placements()
        return credit_from_rows(
            (
                (resource_id, status, placements[resource_id].is_published)
                for resource_id, status in self.statuses.items()
                if resource_id in placements
            ),
            {mid: evidence.state for mid, evidence in self.evidence_by_milestone_id.items()},
        )

    @cached_property
    def done_placements(self):
        """Where each of the learner's resources that count is (completed or already known, and
        published): the topic bars and curriculum bars are counted from these."""
        placements = resource_placements()
        return [
            placement
            for resource_id, status in self.statuses.items()
            if (placement := placements.get(resource_id)) is not None
            and is_done(status, placement.is_published)
        ]

    @cached_property
    def done_by_topic_id(self):
        """Resources that count (completed or already known, and published), per topic."""
        return dict(Counter(chain.from_iterable(p.topic_ids for p in self.done_placements)))

    @cached_property
    def done_by_curriculum_id(self):
        """Resources that count (completed or already known, and published), per curriculum
        that lists them: a resource listed in two curricula counts in both."""
        return dict(Counter(chain.from_iterable(p.curriculum_ids for p in self.done_placements)))

    @cached_property
    def followed_curriculum_ids(self):
        """The curricula the learner follows with a row (the default needs none)."""
        return followed_curriculum_ids(self.learner)

    def done_in_topic(self, topic):
        """A topic's bar: from every status, where the page read them (the home page's bars), or
        else from the learner's rows for the topic's resources alone (a topic page, which read
        most or all of them for its cards), so that it costs the same however long their history."""
        published_resource_ids = getattr(topic, "published_resource_ids", None)
        if "statuses" in self.__dict__ or published_resource_ids is None:
            return self.done_in_topic_id(topic.pk)
        return self.done_among(published_resource_ids)

    def done_among(self, published_resource_ids):
        """How many of these published resources count, from the learner's rows for these
        resources alone (those the page read already, and the others in one query): a topic's
        bar on its page, or after a write that read no credit."""
        rows = self.for_resource_ids(list(published_resource_ids), with_statuses=False)
        return sum(is_done(row.status, resource_is_published=True) for row in rows.values() if row)

    def done_in_topic_id(self, topic_id):
        return self.done_by_topic_id.get(topic_id, 0)

    def with_done_counts(self, topics):
        """`topics` (a Topic QuerySet) annotated with `done_count`, the learner's resources
        that count, for pages that list topics in one query."""
        done_in_topic = (
            ResourceProgress.objects.for_learner(self.learner)
            .done()
            .filter(resource__listings__topic=OuterRef("pk"))
            .values("resource__listings__topic")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return topics.annotate(done_count=Coalesce(Subquery(done_in_topic), 0))

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

    @cached_property
    def latest_award(self):
        """The award the learner earned last (the highest of those earned at once), or None:
        the one a page celebrates after the write that earned it."""
        return max(self.awards, key=lambda a: (a.awarded_at, a.degree.rank), default=None)

    @cached_property
    def highest_award(self):
        """The learner's highest valid award (the header's badge on every page they see), read
        once per version of their awards and process."""
        return (
            cached_for_versions(
                [learner_awards_key(self.learner.pk)],
                f"highest-award:{self.learner.pk}",
                lambda: self.awards[-1] if self.awards else False,
            )
            or None
        )

"""Everything the learner's dashboard shows, gathered in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from catalog.models import Milestone, Resource, Topic
from progress.context_processors import LearnerProgress
from progress.curriculum import CurriculumItem, next_up
from progress.degrees import award_standing, degree_credit, load_degree_specs
from progress.models import Activity, DegreeAward, Evidence, ResourceProgress, Status

NEXT_UP_COUNT = 5
RECENT_ACTIVITY_COUNT = 8


@dataclass(frozen=True)
class TopicProgress:
    topic: Topic
    completed: int
    published: int

    @property
    def percent(self):
        return round(100 * self.completed / self.published) if self.published else 0


def build_dashboard(learner):
    credit = degree_credit(learner)
    completed_ids = credit.completed_resource_ids
    learner_status = ResourceProgress.objects.for_learner(learner).filter(resource=OuterRef("pk"))
    published = list(
        Resource.objects.published()
        .annotate(status=Subquery(learner_status.values("status")[:1]))
        .order_by("topic__position", "topic__title", "topic_id", "position", "title")
        .values_list("id", "topic_id", "status")
    )
    in_progress_ids = {rid for rid, _, status in published if status == Status.IN_PROGRESS}
    skipped_ids = {rid for rid, _, status in published if status == Status.SKIPPED}
    topics = list(Topic.objects.order_by("position", "title").prefetch_related("prerequisites"))
    completed_by_topic, published_by_topic = {}, {}
    for resource_id, topic_id, _ in published:
        published_by_topic[topic_id] = published_by_topic.get(topic_id, 0) + 1
        if resource_id in completed_ids:
            completed_by_topic[topic_id] = completed_by_topic.get(topic_id, 0) + 1
    topic_progress = [
        TopicProgress(
            topic, completed_by_topic.get(topic.pk, 0), published_by_topic.get(topic.pk, 0)
        )
        for topic in topics
    ]

    next_ids = next_up(
        [CurriculumItem(resource_id, topic_id) for resource_id, topic_id, _ in published],
        {topic.pk: {p.pk for p in topic.prerequisites.all()} for topic in topics},
        done_ids=completed_ids | skipped_ids,
        in_progress_ids=in_progress_ids,
        limit=NEXT_UP_COUNT,
    )
    next_resources = Resource.objects.select_related("topic").in_bulk(next_ids)

    evidence_by_milestone_id = {
        evidence.milestone_id: evidence for evidence in Evidence.objects.for_learner(learner)
    }
    evidence_states = {mid: e.state for mid, e in evidence_by_milestone_id.items()}
    degree_results = credit.evaluate(load_degree_specs())
    awards = {
        award.degree.slug: award
        for award in DegreeAward.objects.for_learner(learner).valid().select_related("degree")
    }
    for result in degree_results:
        if result.degree.slug in awards:
            awards[result.degree.slug].standing = award_standing(result, evidence_states)
    highest_award = max(awards.values(), key=lambda a: a.degree.rank, default=None)

    total_published = len(published)
    return {
        "learner_progress": LearnerProgress(
            learner,
            evidence_by_milestone_id=evidence_by_milestone_id,
            highest_award=highest_award,
        ),
        "completed_count": len(completed_ids),
        "in_progress_count": len(in_progress_ids),
        "published_count": total_published,
        "overall_percent": round(100 * len(completed_ids) / total_published)
        if total_published
        else 0,
        "topic_progress": topic_progress,
        "degree_results": [(result, awards.get(result.degree.slug)) for result in degree_results],
        "highest_award": highest_award,
        "milestones": Milestone.objects.all(),
        "next_up": [next_resources[rid] for rid in next_ids if rid in next_resources],
        "recent_activity": Activity.objects.for_learner(learner).select_related("resource")[
            :RECENT_ACTIVITY_COUNT
        ],
    }

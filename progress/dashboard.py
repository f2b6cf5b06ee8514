"""Everything the learner's dashboard shows, gathered in a fixed number of queries: the
default curriculum's topics, degrees and next up (`in_default_curriculum()`), and the
learner's activity."""

from typing import NamedTuple

from django.db.models import OuterRef, Subquery

from catalog.models import Listing, Milestone, Topic, default_curriculum_slug
from progress.curriculum import CurriculumItem, NextStep, next_up
from progress.degrees import (
    DegreeResult,
    Standing,
    award_standing,
    load_degree_specs,
    next_degree,
    percent_done,
    specs_in_curriculum,
)
from progress.learner import TopicProgress
from progress.models import Activity, DegreeAward, ResourceProgress, Status

NEXT_UP_COUNT = 5
RECENT_ACTIVITY_COUNT = 8


class NextUpItem(NamedTuple):
    """An item of next up: its step, and the resource (as listed in the curriculum) or the
    milestone it names."""

    step: NextStep
    listing: Listing | None
    milestone: Milestone | None


class DegreeRow(NamedTuple):
    """A degree on the dashboard: how far the learner is, their award and how it stands."""

    result: DegreeResult
    award: DegreeAward | None
    standing: Standing | None  # for a held award


def build_dashboard(learner_progress):
    """The dashboard's context for the learner of `learner_progress` (a LearnerProgress)."""
    learner = learner_progress.learner
    credit = learner_progress.credit

    topics = list(
        learner_progress.with_done_counts(
            Topic.objects.in_default_curriculum().with_published_counts()
        )
        .order_by("position", "title")
        .prefetch_related("prerequisites")
    )
    # Only topics with something to complete: a hidden topic, or a reading topic without
    # resources, has no progress to show.
    topic_progress = [
        TopicProgress(topic, topic.done_count, topic.published_resource_count)
        for topic in topics
        if topic.published_resource_count
    ]

    learner_status = ResourceProgress.objects.for_learner(learner).filter(
        resource=OuterRef("resource")
    )
    curriculum = list(
        Listing.objects.in_default_curriculum()
        .published()
        .annotate(status=Subquery(learner_status.values("status")[:1]))
        .in_curriculum_order()
        .values_list("resource_id", "topic_id", "status")
    )
    in_progress_ids = {rid for rid, _, status in curriculum if status == Status.IN_PROGRESS}
    degree_results = credit.evaluate(
        specs_in_curriculum(load_degree_specs(), default_curriculum_slug())
    )
    next_steps = next_up(
        [CurriculumItem(resource_id, topic_id) for resource_id, topic_id, _ in curriculum],
        {topic.pk: {p.pk for p in topic.prerequisites.all()} for topic in topics},
        done_ids=credit.done_resource_ids,
        in_progress_ids=in_progress_ids,
        degree_results=degree_results,
        limit=NEXT_UP_COUNT,
    )
    next_listings = {
        listing.resource_id: listing
        for listing in Listing.objects.in_default_curriculum()
        .filter(resource_id__in=[s.resource_id for s in next_steps if s.resource_id is not None])
        .select_related("resource", "topic")
    }
    milestones = list(Milestone.objects.in_default_curriculum())
    milestone_by_id = {milestone.pk: milestone for milestone in milestones}

    evidence_states = {
        milestone_id: evidence.state
        for milestone_id, evidence in learner_progress.evidence_by_milestone_id.items()
    }
    shown_degree_ids = {result.degree.id for result in degree_results}
    awards = {
        award.degree.slug: award
        for award in learner_progress.awards
        if award.degree_id in shown_degree_ids
    }
    degree_rows = []
    for result in degree_results:
        award = awards.get(result.degree.slug)
        standing = (
            award_standing(evidence_states.get(mid) for mid in result.milestone_ids)
            if award
            else None
        )
        degree_rows.append(DegreeRow(result, award, standing))
    highest_award = learner_progress.highest_award
    next_result = next_degree(degree_results, awards)

    published_count = sum(topic.published_resource_count for topic in topics)
    return {
        "learner_progress": learner_progress,
        "completed_count": len(credit.completed_resource_ids),
        "known_count": len(credit.known_resource_ids),
        "in_progress_count": len(in_progress_ids),
        "published_count": published_count,
        "overall_percent": percent_done(len(credit.done_resource_ids), published_count),
        "topic_progress": topic_progress,
        "degree_results": degree_results,
        "degree_rows": degree_rows,
        "highest_award": highest_award,
        # The dashboard shows the next degree to earn first, with only what remains for it.
        "next_degree_slug": next_result.degree.slug if next_result else None,
        "milestones": milestones,
        "next_up": [
            NextUpItem(
                step, next_listings.get(step.resource_id), milestone_by_id.get(step.milestone_id)
            )
            for step in next_steps
        ],
        "recent_activity": Activity.objects.for_learner(learner).select_related("resource")[
            :RECENT_ACTIVITY_COUNT
        ],
    }

"""Everything the learner's dashboard shows, gathered in a fixed number of queries: for each
curriculum they follow (the default first, `progress.following`), its topics, degrees and next
up; and the learner's activity."""

from typing import NamedTuple

from django.db.models import OuterRef, Subquery

from catalog.models import Curriculum, Listing, Milestone, Topic, default_curriculum_slug
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
from progress.following import followed_curricula
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


class CurriculumSection(NamedTuple):
    """One followed curriculum on the dashboard: its topics' bars, its degrees and next up."""

    curriculum: Curriculum | None  # None while the default one does not exist yet
    topic_progress: list[TopicProgress]
    degree_results: list[DegreeResult]
    degree_rows: list[DegreeRow]
    next_degree_slug: str | None
    next_up: list[NextUpItem]
    milestones: list[Milestone]
    published_count: int
    done_count: int

    @property
    def percent(self):
        return percent_done(self.done_count, self.published_count)


def build_dashboard(learner_progress):
    """The dashboard's context for the learner of `learner_progress` (a LearnerProgress): the
    default curriculum's section as the page always showed it, then a section per other
    curriculum they follow (`other_sections`); the same queries however many they follow."""
    learner = learner_progress.learner
    credit = learner_progress.credit
    default_slug = default_curriculum_slug()
    followed = followed_curricula(learner)
    slugs = list(dict.fromkeys([default_slug, *(c.slug for c in followed)]))

    topics = list(
        learner_progress.with_done_counts(
            Topic.objects.filter(curriculum__slug__in=slugs)
            .select_related("curriculum")
            .with_published_counts()
        )
        .order_by("position", "title")
        .prefetch_related("prerequisites")
    )
    learner_status = ResourceProgress.objects.for_learner(learner).filter(
        resource=OuterRef("resource")
    )
    listed = list(
        Listing.objects.filter(topic__curriculum__slug__in=slugs)
        .published()
        .annotate(status=Subquery(learner_status.values("status")[:1]))
        .in_curriculum_order()
        .values_list("resource_id", "topic_id", "topic__curriculum__slug", "status")
    )
    in_progress_ids = {row[0] for row in listed if row[3] == Status.IN_PROGRESS}
    specs = load_degree_specs()
    held_awards = learner_progress.awards

    plans = {}
    for slug in slugs:
        own_topics = [topic for topic in topics if topic.curriculum.slug == slug]
        degree_results = credit.evaluate(specs_in_curriculum(specs, slug))
        next_steps = next_up(
            [CurriculumItem(rid, tid) for rid, tid, in_slug, _ in listed if in_slug == slug],
            {topic.pk: {p.pk for p in topic.prerequisites.all()} for topic in own_topics},
            done_ids=credit.done_resource_ids,
            in_progress_ids=in_progress_ids,
            degree_results=degree_results,
            limit=NEXT_UP_COUNT,
        )
        plans[slug] = (own_topics, degree_results, next_steps)

    wanted_ids = {s.resource_id for *_, steps in plans.values() for s in steps if s.resource_id}
    next_listings = {
        (listing.topic.curriculum.slug, listing.resource_id): listing
        for listing in Listing.objects.filter(
            topic__curriculum__slug__in=slugs, resource_id__in=wanted_ids
        ).select_related("resource", "topic__curriculum")
    }
    milestones = list(
        Milestone.objects.filter(curriculum__slug__in=slugs).select_related("curriculum")
    )
    milestone_by_id = {milestone.pk: milestone for milestone in milestones}
    evidence_states = {
        milestone_id: evidence.state
        for milestone_id, evidence in learner_progress.evidence_by_milestone_id.items()
    }
    curriculum_by_slug = {curriculum.slug: curriculum for curriculum in followed}

    def section(slug):
        own_topics, degree_results, next_steps = plans[slug]
        shown_degree_ids = {result.degree.id for result in degree_results}
        awards = {
            award.degree.slug: award for award in held_awards if award.degree_id in shown_degree_ids
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
        next_result = next_degree(degree_results, awards)
        topic_progress = [
            # Only topics with something to complete: a hidden topic, or a reading topic
            # without resources, has no progress to show.
            TopicProgress(topic, topic.done_count, topic.published_resource_count)
            for topic in own_topics
            if topic.published_resource_count
        ]
        return CurriculumSection(
            curriculum=curriculum_by_slug.get(slug),
            topic_progress=topic_progress,
            degree_results=degree_results,
            degree_rows=degree_rows,
            next_degree_slug=next_result.degree.slug if next_result else None,
            next_up=[
                NextUpItem(
                    step,
                    next_listings.get((slug, step.resource_id)),
                    milestone_by_id.get(step.milestone_id),
                )
                for step in next_steps
            ],
            milestones=[m for m in milestones if m.curriculum.slug == slug],
            published_count=sum(topic.published_resource_count for topic in own_topics),
            # A resource is listed once per curriculum at most: its topics' counts add up.
            done_count=sum(row.done for row in topic_progress),
        )

    default = section(default_slug)
    return {
        "learner_progress": learner_progress,
        "completed_count": len(credit.completed_resource_ids),
        "known_count": len(credit.known_resource_ids),
        "in_progress_count": len(in_progress_ids),
        "published_count": default.published_count,
        "overall_percent": percent_done(len(credit.done_resource_ids), default.published_count),
        "topic_progress": default.topic_progress,
        # Whose learner record (CLR) the default curriculum's topics link: once there is one.
        "record_curriculum_slug": default_slug if default.done_count else None,
        "degree_results": default.degree_results,
        "degree_rows": default.degree_rows,
        "highest_award": learner_progress.highest_award,
        # The dashboard shows the next degree to earn first, with only what remains for it.
        "next_degree_slug": default.next_degree_slug,
        "milestones": default.milestones,
        "next_up": default.next_up,
        "other_sections": [section(slug) for slug in slugs if slug != default_slug],
        "recent_activity": Activity.objects.for_learner(learner).select_related("resource")[
            :RECENT_ACTIVITY_COUNT
        ],
    }

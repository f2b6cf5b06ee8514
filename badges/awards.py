"""A shared award and everything its page and documents say, read in a fixed number of queries.

The share page, the Open Badges documents and the baked images all start here, so that what
they say about an award (who, which degree, what it asks, which evidence) is one account.
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import ngettext

from accounts.models import display_name
from progress.degrees import (
    ResourceCounts,
    award_standing,
    cumulative_requirements,
    degree_credit,
    load_degree_specs,
    requirement_resource_ids,
)
from progress.models import DegreeAward, Evidence

REVIEW_WORDS = {
    Evidence.State.VERIFIED: "Verified by a curator",
    Evidence.State.SUBMITTED: "Self-attested",
    Evidence.State.REJECTED: "Rejected by a curator",
}


def shared_award_or_404(public_id, *, signable=False):
    """The shared award with this public id; a private one is a 404, just like an unknown id.

    `signable`: a 404 too once its learner deleted their account (there is no one to sign a
    credential for).
    """
    awards = DegreeAward.objects.shared().select_related("degree__curriculum", "learner__profile")
    if signable:
        # With its status list index (every award has one), which its Data Integrity form names.
        awards = awards.filter(learner__isnull=False).select_related("status_list_entry")
    try:
        return awards.get(public_id=public_id)
    except DegreeAward.DoesNotExist:
        raise Http404("No shared badge has this id.") from None


def criteria_narrative(degree_title, requirements):
    lines = [f"To earn the {degree_title} degree, a learner must:", ""]
    lines += [f"- {spec.description}" for spec in requirements]
    lines += [
        "",
        "Learners mark the resources they complete, or that they already know: a resource "
        "already known counts like a completed one, on the learner's word, and curators may "
        "review it. Milestone evidence is a public link that counts when submitted "
        "(self-attested), and curators may verify or reject it.",
    ]
    return "\n".join(lines)


def degree_criteria_narrative(degree):
    """The criteria narrative of `degree`'s badge, as the catalog states it now."""
    requirements = cumulative_requirements(load_degree_specs(), degree.rank, degree.curriculum_id)
    return criteria_narrative(degree.title, requirements)


def resources_narrative(counts):
    """What stands behind a badge's resource requirements, told apart: "Behind this badge:
    4 resources completed on mlmath and 1 resource the learner already knew (self-attested)."."""
    completed = ngettext(
        "%(count)d resource completed on mlmath",
        "%(count)d resources completed on mlmath",
        counts.completed,
    ) % {"count": counts.completed}
    if not counts.known:
        return f"Behind this badge: {completed} (none marked already known)."
    known = ngettext(
        "%(count)d resource the learner already knew (self-attested)",
        "%(count)d resources the learner already knew (self-attested)",
        counts.known,
    ) % {"count": counts.known}
    return f"Behind this badge: {completed} and {known}."


def award_resource_counts(award, requirements, credit=None):
    """The learner's resources that count toward these requirements of the award's degree,
    completed and known (one query, none when their `credit` is given); None once the learner
    deleted their account."""
    if award.learner_id is None:
        return None
    credit = credit or degree_credit(award.learner)
    return credit.counts_among(requirement_resource_ids(requirements))


def award_resources_narrative(award, credit=None):
    """`resources_narrative` of an award (degree and learner loaded), for its credential;
    `credit`, the learner's `degree_credit` when the caller read it already."""
    requirements = cumulative_requirements(
        load_degree_specs(), award.degree.rank, award.degree.curriculum_id
    )
    counts = award_resource_counts(award, requirements, credit)
    return resources_narrative(counts) if counts is not None else ""


@dataclass(frozen=True)
class MilestoneEvidence:
    title: str
    url: str = ""
    description: str = ""
    state: str = ""  # an Evidence.State value; empty when the learner has none

    @property
    def review_words(self):
        return REVIEW_WORDS.get(self.state, "No evidence")


@dataclass(frozen=True)
class SharedBadge:
    award: DegreeAward
    display_name: str
    requirements: tuple
    milestones: tuple[MilestoneEvidence, ...]
    resource_counts: ResourceCounts | None = None  # None once the account is deleted

    @property
    def resources_narrative(self):
        return resources_narrative(self.resource_counts) if self.resource_counts else ""

    @property
    def degree(self):
        return self.award.degree

    @property
    def requirement_sentences(self):
        return [spec.description for spec in self.requirements]

    @property
    def criteria_narrative(self):
        return criteria_narrative(self.degree.title, self.requirements)

    @property
    def standing(self):
        """How the badge's milestone evidence holds up (a `Standing`, with its label)."""
        return award_standing(milestone.state for milestone in self.milestones)

    @property
    def accepted_evidence(self):
        """Evidence that backs the badge: every milestone's link a curator did not reject."""
        return [m for m in self.milestones if m.url and m.state != Evidence.State.REJECTED]


def learner_name(learner):
    return display_name(learner) if learner is not None else "A former learner"


def load_shared_badge(award):
    """Everything a badge says, for an award loaded by `shared_award_or_404` (five queries)."""
    requirements = cumulative_requirements(
        load_degree_specs(), award.degree.rank, award.degree.curriculum_id
    )
    milestone_ids = [spec.milestone_id for spec in requirements if spec.milestone_id is not None]
    evidence_by_milestone = {}
    if award.learner_id is not None and milestone_ids:
        evidence_by_milestone = {
            evidence.milestone_id: evidence
            for evidence in Evidence.objects.filter(
                learner_id=award.learner_id, milestone_id__in=milestone_ids
            )
        }
    milestones = []
    for spec in requirements:
        if spec.milestone_id is None:
            continue
        evidence = evidence_by_milestone.get(spec.milestone_id)
        milestones.append(
            MilestoneEvidence(
                title=spec.milestone_title,
                url=evidence.url if evidence else "",
                description=evidence.description if evidence else "",
                state=evidence.state if evidence else "",
            )
        )
    return SharedBadge(
        award=award,
        display_name=learner_name(award.learner),
        requirements=requirements,
        milestones=tuple(milestones),
        resource_counts=award_resource_counts(award, requirements),
    )

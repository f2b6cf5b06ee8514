"""The study plan: hours left for the next degree, and when the weekly goal gets there.

`plan_next_degree` is a plain function over degree results and resource estimates;
`load_plan_resources` reads the estimates it needs in one query.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import ngettext

from catalog.models import Listing
from progress.degrees import next_degree, resources_to_meet
from progress.models import ResourceProgress

# Hours counted for a resource whose curators have not estimated it
# (docs/learners.md, "Study plan").
DEFAULT_RESOURCE_HOURS = 5


@dataclass(frozen=True)
class PlanResource:
    id: int
    hours: int | None  # the curators' estimate, None when missing
    done: bool  # completed, or already known: it counts


@dataclass(frozen=True)
class StudyPlan:
    degree_title: str = ""
    hours_left: int = 0
    resources_left: int = 0
    without_estimate: int = 0
    milestones_left: int = 0
    unavailable: int = 0
    weekly_goal_hours: int = 0
    finish_on: datetime.date | None = None
    default_hours: int = DEFAULT_RESOURCE_HOURS

    @property
    def all_met(self):
        return not self.degree_title

    @property
    def sentence(self):
        if self.all_met:
            return "You have met every degree's requirements."
        if not self.resources_left:
            return f"No resources left for {self.degree_title}."
        finish = f"{self.finish_on.day} {self.finish_on:%B} {self.finish_on.year}"
        left = ngettext(
            "About %(hours)d hour left for %(degree)s",
            "About %(hours)d hours left for %(degree)s",
            self.hours_left,
        ) % {"hours": self.hours_left, "degree": self.degree_title}
        pace = ngettext(
            "at %(hours)d hour a week", "at %(hours)d hours a week", self.weekly_goal_hours
        ) % {"hours": self.weekly_goal_hours}
        return f"{left}: {pace}, around {finish}."

    @property
    def caveats(self):
        """What the estimate leaves out, said plainly."""
        notes = []
        if self.without_estimate:
            notes.append(self._guess_caveat())
        if self.milestones_left:
            notes.append(
                ngettext(
                    "Not counted: %(count)d milestone to show with evidence, which takes as "
                    "long as the project you choose.",
                    "Not counted: %(count)d milestones to show with evidence, which take as "
                    "long as the projects you choose.",
                    self.milestones_left,
                )
                % {"count": self.milestones_left}
            )
        if self.unavailable:
            notes.append(
                ngettext(
                    "%(count)d required resource is not available right now.",
                    "%(count)d required resources are not available right now.",
                    self.unavailable,
                )
                % {"count": self.unavailable}
            )
        return notes

    def _guess_caveat(self):
        guessed, left = self.without_estimate, self.resources_left
        values = {"count": guessed, "left": left, "hours": self.default_hours}
        counts_as = (
            ngettext(
                "it counts as %(hours)d hour", "it counts as %(hours)d hours", self.default_hours
            )
            if guessed == 1
            else ngettext(
                "each counts as %(hours)d hour",
                "each counts as %(hours)d hours",
                self.default_hours,
            )
        )
        if guessed == left:
            which = ngettext(
                "All of it is a guess: the resource left has no estimate yet",
                "All of it is a guess: the %(count)d resources left have no estimate yet",
                guessed,
            )
        else:
            which = ngettext(
                "Some of it is a guess: %(count)d of the %(left)d resources left has no "
                "estimate yet",
                "Some of it is a guess: %(count)d of the %(left)d resources left have no "
                "estimate yet",
                guessed,
            )
        return f"{which % values}, so {counts_as % values}."


def plan_next_degree(
    degree_results, resources, weekly_goal_hours, today, default_hours=DEFAULT_RESOURCE_HOURS
):
    """Plan for the lowest degree not met yet.

    `resources` maps resource id to PlanResource, in curriculum order. The resources planned are
    those `resources_to_meet` chooses: for a topic, its first resources not done (completed or
    known), preferring ones another requirement of the degree already names.
    """
    target = next_degree(degree_results)
    if target is None:
        return StudyPlan(weekly_goal_hours=weekly_goal_hours, default_hours=default_hours)
    open_ids = [resource_id for resource_id, resource in resources.items() if not resource.done]
    chosen = [resources[resource_id] for resource_id in resources_to_meet(target, open_ids)]
    unmet = [requirement.spec for requirement in target.unmet_requirements]
    milestones = sum(1 for spec in unmet if spec.milestone_id is not None)
    unavailable = sum(
        1
        for spec in unmet
        if spec.resource_id is not None
        and not (spec.resource_published and spec.resource_id in resources)
    )
    hours = sum(default_hours if r.hours is None else r.hours for r in chosen)
    days = math.ceil(hours * 7 / weekly_goal_hours) if weekly_goal_hours else 0
    return StudyPlan(
        degree_title=target.degree.title,
        hours_left=hours,
        resources_left=len(chosen),
        without_estimate=sum(1 for r in chosen if r.hours is None),
        milestones_left=milestones,
        unavailable=unavailable,
        weekly_goal_hours=weekly_goal_hours,
        finish_on=today + datetime.timedelta(days=days),
        default_hours=default_hours,
    )


def load_plan_resources(learner, degree_results):
    """The published resources the next degree's unmet requirements name, in curriculum order,
    with whether each counts for the learner already (completed or known): one query."""
    return load_plans_resources(learner, [degree_results])[0]


def load_plans_resources(learner, degree_results_lists):
    """`load_plan_resources` for several curricula at once (a list of degree results for each):
    a list of their resources in the same order, in one query however many curricula, none
    when no next degree has a resource left to plan."""
    wanted = []  # (curriculum id, resource ids) per list of results
    for degree_results in degree_results_lists:
        result = next_degree(degree_results)
        ids = set()
        for requirement in result.requirements if result else ():
            if not requirement.met:
                ids.update(requirement.spec.topic_resource_ids)
                if requirement.spec.resource_id is not None:
                    ids.add(requirement.spec.resource_id)
        wanted.append((result.degree.curriculum_id if ids else None, ids))
    ids_by_curriculum = {}
    for curriculum_id, ids in wanted:
        if curriculum_id is not None:
            ids_by_curriculum.setdefault(curriculum_id, set()).update(ids)
    found = {curriculum_id: {} for curriculum_id in ids_by_curriculum}
    if ids_by_curriculum:
        done = ResourceProgress.objects.for_learner(learner).done()
        rows = (
            Listing.objects.filter(topic__curriculum_id__in=ids_by_curriculum)
            .published()
            .filter(resource_id__in=set().union(*ids_by_curriculum.values()))
            .annotate(done=Exists(done.filter(resource=OuterRef("resource"))))
            .in_curriculum_order()
            .values_list("topic__curriculum_id", "resource_id", "resource__estimated_hours", "done")
        )
        for curriculum_id, pk, hours, is_done in rows:
            if pk in ids_by_curriculum[curriculum_id]:
                found[curriculum_id][pk] = PlanResource(pk, hours, is_done)
    return [
        {pk: row for pk, row in found.get(curriculum_id, {}).items() if pk in ids}
        for curriculum_id, ids in wanted
    ]

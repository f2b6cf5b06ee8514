"""Pieces of the accounts app that other apps' pages show (the dashboard's streaks and plan)."""

from typing import NamedTuple

from django import template

from accounts.activity import learner_activity, local_today
from accounts.models import profile_for
from accounts.plan import StudyPlan, load_plans_resources, plan_next_degree

register = template.Library()


@register.inclusion_tag("accounts/includes/activity.html")
def activity_panel(learner, heading="Your activity"):
    profile = profile_for(learner)
    return {
        "activity": learner_activity(learner, profile.zone),
        "heading": heading,
        "zone_name": profile.time_zone,
    }


class DashboardPlans(NamedTuple):
    """The dashboard's study plans: the default curriculum's, and each other section's (None
    for a curriculum without degrees) beside its section."""

    default: StudyPlan
    sections: list[tuple[object, StudyPlan | None]]


@register.simple_tag
def study_plans(learner, degree_results, sections=()):
    """The plan for the next degree of the default curriculum (its `degree_results`) and of
    each other curriculum's dashboard section, from the degree results the dashboard already
    computed; one more query for the resources' estimates, however many curricula. Each plan
    counts the whole weekly goal."""
    sections = list(sections)
    result_lists = [list(degree_results), *(list(s.degree_results) for s in sections)]
    profile = profile_for(learner)
    today = local_today(profile.zone)
    plans = [
        plan_next_degree(results, resources, profile.weekly_goal_hours, today)
        for results, resources in zip(
            result_lists, load_plans_resources(learner, result_lists), strict=True
        )
    ]
    return DashboardPlans(
        default=plans[0],
        sections=[
            (section, plan if section.degree_results else None)
            for section, plan in zip(sections, plans[1:], strict=True)
        ],
    )

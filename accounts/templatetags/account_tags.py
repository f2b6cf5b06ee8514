"""Pieces of the accounts app that other apps' pages show (the dashboard's streaks and plan)."""

from django import template

from accounts.activity import learner_activity, local_today
from accounts.models import profile_for
from accounts.plan import load_plan_resources, plan_next_degree

register = template.Library()


@register.inclusion_tag("accounts/includes/activity.html")
def activity_panel(learner, heading="Your activity"):
    profile = profile_for(learner)
    return {
        "activity": learner_activity(learner, profile.zone),
        "heading": heading,
        "zone_name": profile.time_zone,
    }


@register.inclusion_tag("accounts/includes/study_plan.html")
def study_plan(learner, degree_results):
    """The plan for the next degree, from the degree results the dashboard already computed;
    one more query for the resources' estimates."""
    results = list(degree_results)
    profile = profile_for(learner)
    plan = plan_next_degree(
        results,
        load_plan_resources(learner, results),
        profile.weekly_goal_hours,
        local_today(profile.zone),
    )
    return {"plan": plan}

"""Pieces of the accounts app that other apps' pages show (the dashboard's streaks and plan)."""

from django import template

from accounts.activity import learner_activity
from accounts.models import profile_for

register = template.Library()


@register.inclusion_tag("accounts/includes/activity.html")
def activity_panel(learner, heading="Your activity"):
    profile = profile_for(learner)
    return {
        "activity": learner_activity(learner, profile.zone),
        "heading": heading,
        "zone_name": profile.time_zone,
    }

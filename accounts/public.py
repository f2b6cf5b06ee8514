"""What a learner's public profile shows: only what their privacy switches allow."""

from accounts.activity import learner_activity
from catalog.models import Topic
from progress.learner import LearnerProgress, TopicProgress
from progress.models import DegreeAward


def public_profile(profile):
    """The parts of `profile`'s learning that they chose to show, each loaded in one query."""
    learner = profile.user
    shown = {"profile": profile, "topics": None, "activity": None, "badges": None}
    if profile.show_badges:
        shown["badges"] = list(
            DegreeAward.objects.for_learner(learner).shared().valid().select_related("degree")
        )
    if profile.show_topic_progress:
        done = LearnerProgress(learner).done_by_topic_id
        shown["topics"] = [
            TopicProgress(topic, done.get(topic.pk, 0), topic.published_resource_count)
            for topic in Topic.objects.in_default_curriculum()
            .with_published_counts()
            .order_by("position", "title")
            if topic.published_resource_count
        ]
    if profile.show_activity:
        shown["activity"] = learner_activity(learner, profile.zone)
    return shown


def profile_preview(profile, topics, url):
    """How the profile's link reads when shared: its name and the topics begun, with percents."""
    begun = [f"{row.topic.title} {row.percent}%" for row in topics or () if row.done]
    description = f"{profile.name} is learning the math for machine learning on mlmath"
    if begun:
        description += ": " + ", ".join(begun)
    return {
        "type": "profile",
        "url": url,
        "title": f"{profile.name} on mlmath",
        "description": description + ".",
    }

"""What a learner's public profile shows: only what their privacy switches allow."""

from dataclasses import dataclass

from accounts.activity import learner_activity
from catalog.models import Topic
from progress.learner import LearnerProgress
from progress.models import DegreeAward


@dataclass(frozen=True)
class TopicShare:
    topic: Topic
    completed: int
    published: int

    @property
    def percent(self):
        return round(100 * self.completed / self.published) if self.published else 0


def public_profile(profile):
    """The parts of `profile`'s learning that they chose to show, each loaded in one query."""
    learner = profile.user
    shown = {"profile": profile, "topics": None, "activity": None, "badges": None}
    if profile.show_badges:
        shown["badges"] = list(
            DegreeAward.objects.for_learner(learner).shared().valid().select_related("degree")
        )
    if profile.show_topic_progress:
        completed = LearnerProgress(learner).completed_by_topic_id
        shown["topics"] = [
            TopicShare(topic, completed.get(topic.pk, 0), topic.published_resource_count)
            for topic in Topic.objects.with_published_counts().order_by("position", "title")
            if topic.published_resource_count
        ]
    if profile.show_activity:
        shown["activity"] = learner_activity(learner, profile.zone)
    return shown

"""Template tags through which catalog pages show the signed-in learner's progress."""

from django import template

from progress.forms import EvidenceForm, NoteForm

register = template.Library()


@register.simple_tag(takes_context=True)
def progress_for(context, resource):
    """The learner's ResourceProgress for a resource, or None (also for visitors)."""
    learner_progress = context.get("learner_progress")
    return learner_progress.for_resource(resource) if learner_progress else None


@register.simple_tag(takes_context=True)
def evidence_for(context, milestone):
    """The learner's Evidence for a milestone, or None (also for visitors)."""
    learner_progress = context.get("learner_progress")
    return learner_progress.evidence_for(milestone) if learner_progress else None


@register.simple_tag(takes_context=True)
def completed_in_topic(context, topic):
    """How many of a topic's resources the learner has completed (0 for visitors)."""
    learner_progress = context.get("learner_progress")
    return learner_progress.completed_in_topic(topic) if learner_progress else 0


@register.inclusion_tag("progress/includes/topic_progress.html", takes_context=True)
def topic_progress(context, topic, published_count, oob=False, completed=None):
    """A topic's bar; `completed` when the caller has counted the learner's completions."""
    learner_progress = context.get("learner_progress")
    if completed is None:
        completed = completed_in_topic(context, topic)
    return {
        "show": learner_progress is not None,
        "topic": topic,
        "completed": completed,
        "published_count": published_count,
        "oob": oob,
    }


@register.simple_tag
def note_form_for(resource, progress, bound_form=None):
    """The note form of a resource card: the one that failed validation, else a fresh one."""
    return bound_form or NoteForm(resource=resource, instance=progress)


@register.simple_tag
def evidence_form_for(milestone, evidence, bound_form=None):
    """The evidence form of a milestone: the one that failed validation, else a fresh one."""
    return bound_form or EvidenceForm(milestone=milestone, instance=evidence)

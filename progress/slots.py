"""Fill the learner-dependent slots of cached catalog fragments (see `catalog.fragments`).

Each filler gets every slot of its kind on the page at once and answers from the page's
`LearnerProgress`, which loads the learner's statuses in one query. The buttons and progress
bars themselves are cached too, per resource and state (most learners' rows look alike),
with the CSRF token and the return URL written in per request.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from catalog.caching import LOCAL_TIMEOUT, catalog_version, local_cache, local_key
from catalog.fragments import register_slot_filler
from catalog.models import Resource, Topic

CSRF_SENTINEL = "mlmathcsrftokenslot"
RETURN_URL_SENTINEL = "mlmathreturnurlslot"


def rows_for(context, learner_progress, args):
    """The learner's rows for the slots' resources; a response for one resource that the view
    just wrote passes that row on (`resource`, `progress`), so nothing is read again."""
    resource, progress = context.get("resource"), context.get("progress")
    ids = {int(arg) for arg in args}
    if resource is not None and ids == {resource.pk} and "progress" in context:
        return {resource.pk: progress}
    return learner_progress.for_resource_ids(ids)


def resource_status_classes(context, args):
    learner_progress = context.get("learner_progress")
    if not learner_progress:
        return {}
    rows = rows_for(context, learner_progress, args)
    classes = {}
    for arg in args:
        progress = rows[int(arg)]
        classes[arg] = f" resource--{progress.status}" if progress else ""
    return classes


def cached_renders(context, keys_by_arg, render_missing):
    """HTML per slot argument from the local cache; `render_missing(args)` renders the rest."""
    if catalog_version(context.get("request")) is None:
        return render_missing(list(keys_by_arg))
    found = local_cache().get_many(set(keys_by_arg.values()))
    missing = [arg for arg, key in keys_by_arg.items() if key not in found]
    if missing:
        rendered = render_missing(missing)
        local_cache().set_many({keys_by_arg[arg]: rendered[arg] for arg in missing}, LOCAL_TIMEOUT)
        found.update({keys_by_arg[arg]: rendered[arg] for arg in missing})
    return {arg: found[key] for arg, key in keys_by_arg.items()}


def resource_controls(context, args):
    learner_progress = context.get("learner_progress")
    if not learner_progress:
        return {}
    version = catalog_version(context.get("request"))
    rows = rows_for(context, learner_progress, args)
    progress_by_arg = {arg: rows[int(arg)] for arg in set(args)}
    note_form = context.get("note_form")
    if note_form is not None:  # a form with errors is this request's alone: never cached
        csrf_token, return_url = context.get("csrf_token"), context.get("progress_return_url")
    else:
        csrf_token, return_url = CSRF_SENTINEL, RETURN_URL_SENTINEL

    def render_missing(missing):
        resource = context.get("resource")
        if resource is not None and [int(arg) for arg in missing] == [resource.pk]:
            resources = {resource.pk: resource}
        else:
            resources = Resource.objects.in_bulk([int(arg) for arg in missing])
        return {
            arg: render_to_string(
                "progress/includes/resource_controls.html",
                {
                    "resource": resources[int(arg)],
                    "progress": progress_by_arg[arg],
                    "note_form": note_form,
                    "csrf_token": csrf_token,
                    "progress_return_url": return_url,
                },
            )
            for arg in missing
            if int(arg) in resources
        }

    if note_form is not None:
        return render_missing(list(progress_by_arg))
    time_zone = timezone.get_current_timezone_name()
    keys_by_arg = {
        arg: local_key(
            version,
            "resource-controls",
            arg,
            progress.status if progress else "",
            # The day it shows, not the instant: every completion on a day looks the same.
            timezone.localdate(progress.completed_at) if progress and progress.completed_at else "",
            progress.note if progress else "",
            time_zone,
        )
        for arg, progress in progress_by_arg.items()
    }
    rendered = cached_renders(context, keys_by_arg, render_missing)
    csrf_token = str(context.get("csrf_token", ""))
    return_url = escape(context.get("progress_return_url") or "")
    return {
        arg: html.replace(CSRF_SENTINEL, csrf_token).replace(RETURN_URL_SENTINEL, return_url)
        for arg, html in rendered.items()
    }


def topic_progress_bars(context, args):
    """Args are "topic id:published count"."""
    learner_progress = context.get("learner_progress")
    if not learner_progress:
        return {}
    version = catalog_version(context.get("request"))
    counts = {}
    for arg in set(args):
        topic_id, published = (int(part) for part in arg.split(":"))
        counts[arg] = (topic_id, published, learner_progress.completed_in_topic_id(topic_id))

    def render_missing(missing):
        topics = Topic.objects.in_bulk([counts[arg][0] for arg in missing])
        rendered = {}
        for arg in missing:
            topic_id, published, completed = counts[arg]
            rendered[arg] = render_to_string(
                "progress/includes/topic_progress.html",
                {
                    "show": True,
                    "topic": topics.get(topic_id),
                    "completed": completed,
                    "published_count": published,
                },
            )
        return rendered

    keys_by_arg = {arg: local_key(version, "topic-progress", *counts[arg]) for arg in counts}
    return cached_renders(context, keys_by_arg, render_missing)


def register():
    register_slot_filler("resource-status-class", resource_status_classes)
    register_slot_filler("resource-controls", resource_controls)
    register_slot_filler("topic-progress", topic_progress_bars)

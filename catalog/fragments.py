"""Rendered catalog fragments shared by every visitor, with slots for a learner's state.

A template wraps what is the same for everyone in `{% catalog_fragment "name" key... %}`; it is
rendered once per catalog version and process, then read from the local cache. Inside it,
`{% slot "kind" arg %}` marks a spot that depends on who is looking (a resource's status and
buttons, a topic's progress bar). The cached HTML keeps a marker there; when the outermost
fragment is written out, every marker of a kind is filled in one call to that kind's filler,
so a page of a hundred resources loads the learner's statuses once.

Fillers are registered by the app that owns the state (`progress.slots`), so the catalog
never imports it: `register_slot_filler("resource-controls", fill_resource_controls)`.
A filler takes the template context and the list of slot arguments and returns a dict from
argument to HTML.
"""

import re
from collections import defaultdict

from django.utils.safestring import mark_safe

from catalog.caching import LOCAL_TIMEOUT, catalog_version, local_cache, local_key

SLOT_START, SLOT_SEPARATOR, SLOT_END = "\x02", "\x1f", "\x03"
SLOT_PATTERN = re.compile("\x02([a-z-]+)\x1f([^\x02\x03]*)\x03")
FRAGMENT_DEPTH = "_catalog_fragment_depth"

_fillers = {}


def register_slot_filler(kind, filler):
    _fillers[kind] = filler


def slot_marker(kind, arg):
    return f"{SLOT_START}{kind}{SLOT_SEPARATOR}{arg}{SLOT_END}"


def inside_fragment(context):
    return context.get(FRAGMENT_DEPTH, 0) > 0


def render_slot(context, kind, arg):
    """A slot's HTML now, or its marker when a fragment around it is being cached."""
    if inside_fragment(context):
        return mark_safe(slot_marker(kind, arg))
    return mark_safe(fill_slots(slot_marker(kind, arg), context))


def fill_slots(html, context):
    args_by_kind = defaultdict(list)
    for kind, arg in SLOT_PATTERN.findall(html):
        args_by_kind[kind].append(arg)
    if not args_by_kind:
        return html
    filled = {
        kind: _fillers[kind](context, args) if kind in _fillers else {}
        for kind, args in args_by_kind.items()
    }
    return SLOT_PATTERN.sub(lambda match: filled[match[1]].get(match[2], ""), html)


def render_fragment(context, name, key_parts, render):
    """The fragment's HTML from the local cache (or `render(context)` on a miss), with its slots
    filled unless an enclosing fragment is being cached and will fill them itself."""
    version = catalog_version(context.get("request"))
    raw = None
    if version is not None:
        key = local_key(version, "fragment", name, *key_parts)
        raw = local_cache().get(key)
    if raw is None:
        with context.push({FRAGMENT_DEPTH: context.get(FRAGMENT_DEPTH, 0) + 1}):
            raw = str(render(context))
        if version is not None:
            local_cache().set(key, raw, LOCAL_TIMEOUT)
    if inside_fragment(context):
        return mark_safe(raw)
    return mark_safe(fill_slots(raw, context))

"""Exporting: the catalog written back as awesome-list Markdown that imports as the same
catalog (a resource's people and keywords as "People:" and "Keywords:" bullets under it)."""

import re

from django.db.models import Prefetch

from catalog.awesome.base import DEGREES_HEADING, RESOURCE_DETAIL_LABELS
from catalog.models import Degree, Listing, Topic

DEFAULT_EXPORT_TITLE = "awesomeMLmath"
DEFAULT_EXPORT_DESCRIPTION = (
    "Curated list to learn the math basics for machine learning, exported from the mlmath catalog."
)


def render_awesome_list(
    *, title=DEFAULT_EXPORT_TITLE, description=DEFAULT_EXPORT_DESCRIPTION, curriculum=None
):
    """A curriculum (the default one unless given) as awesome-list Markdown: every topic, its
    published resources, the degrees."""

    def scoped(rows):
        return rows.in_curriculum(curriculum) if curriculum else rows.in_default_curriculum()

    listings = (
        Listing.objects.published()
        .select_related("resource")
        .order_by("position", "resource__title", "pk")
    )
    topics = list(
        scoped(Topic.objects)
        .order_by("position", "title", "pk")
        .prefetch_related(Prefetch("listings", queryset=listings, to_attr="published_listings"))
    )
    degrees = list(scoped(Degree.objects).with_requirements())
    anchors = {}
    lines = [f"# {_escape(title)}", "", _escape(description), "", "## Contents", ""]
    for topic in topics:
        lines.append(f"- [{_escape(topic.title)}](#{_anchor(topic.title, anchors)})")
    if degrees:
        lines.append(f"- [{DEGREES_HEADING}](#{_anchor(DEGREES_HEADING, anchors)})")
    for topic in topics:
        lines += ["", f"## {_escape(topic.title)}"]
        if topic.guidance.strip():
            lines += ["", topic.guidance.strip()]
        if topic.published_listings:
            lines.append("")
            for listing in topic.published_listings:
                lines += _resource_lines(listing.resource)
    if degrees:
        lines += ["", f"## {DEGREES_HEADING}"]
        for degree in degrees:
            lines += ["", f"### {_escape(degree.title)}"]
            if degree.summary:
                lines += ["", _escape(degree.summary)]
            if degree.description.strip():
                lines += ["", degree.description.strip()]
            requirements = degree.requirements.all()
            if requirements:
                lines += ["", "Requirements:", ""]
                lines += [f"- {_escape(r.describe())}" for r in requirements]
    return "\n".join(lines) + "\n"


def _resource_lines(resource):
    """The resource's bullet, then a bullet under it for each of its people and keywords."""
    url = resource.url
    if any(character in url for character in " ()<>"):
        url = f"<{url}>"
    bullet = f"- [{_escape(resource.title)}]({url})"
    note = " ".join(resource.note.split())
    lines = [f"{bullet} - {_escape(note)}" if note else bullet]
    for name, label in RESOURCE_DETAIL_LABELS.items():
        value = getattr(resource, name)
        if value.strip():
            lines.append(f"  - {label}: {_escape(value)}")
    return lines


def _escape(text):
    """Plain text made safe to put in Markdown: it reads back as the same text."""
    return re.sub(r"([\\`*_\[\]<>&#])", r"\\\1", " ".join(text.split()))


def _anchor(heading, used):
    """The anchor GitHub gives a heading, numbered when the same heading comes again."""
    base = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
    count = used.get(base, 0)
    used[base] = count + 1
    return f"{base}-{count}" if count else base

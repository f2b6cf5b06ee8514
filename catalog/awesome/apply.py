"""Applying: an AwesomeList (the plan) to the catalog in one transaction, and the report of
what it created, updated, left unchanged or skipped."""

import itertools
from dataclasses import dataclass, field

import mdurl
from django.db import transaction
from django.utils.text import slugify

from catalog.awesome.base import Skipped
from catalog.awesome.guess import guess_provider
from catalog.models import Resource, Topic

PROVIDER_MAX_LENGTH = Resource._meta.get_field("provider").max_length


@dataclass(frozen=True)
class Change:
    """One topic or resource the import created, updated or left unchanged."""

    model: str  # "topic" or "resource"
    title: str
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    created: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Resources of the imported topics that the file does not list; they are left as they are.
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def count(self, action, model):
        return sum(change.model == model for change in getattr(self, action))

    def summary(self):
        counts = "; ".join(
            f"{model}s: {self.count('created', model)} {self._verb('created')}, "
            f"{self.count('updated', model)} {self._verb('updated')}, "
            f"{self.count('unchanged', model)} unchanged"
            for model in ["topic", "resource"]
        )
        prefix = (
            f"Dry run of {self.source}, nothing was written. "
            if self.dry_run
            else f"Imported {self.source}. "
        )
        return f"{prefix}{counts.capitalize()}; {len(self.skipped)} skipped."

    def details(self, *, verbose=False):
        """One line per created, updated (and, when verbose, unchanged) item and skipped line."""
        lines = [f"{self._verb('created')} {c.model} “{c.title}”" for c in self.created]
        lines += [
            f"{self._verb('updated')} {c.model} “{c.title}” ({', '.join(c.fields)})"
            for c in self.updated
        ]
        if verbose:
            lines += [f"unchanged {c.model} “{c.title}”" for c in self.unchanged]
        lines += [f"skipped {skipped}" for skipped in self.skipped]
        lines += [f"not in the file, left as it is: resource “{t}”" for t in self.not_in_file]
        return [line[0].upper() + line[1:] for line in lines]

    def _verb(self, action):
        if not self.dry_run or action == "unchanged":
            return action
        return {"created": "to create", "updated": "to update"}[action]


def import_awesome_list(awesome_list, *, publish_new=True, dry_run=False):
    """Create or update the list's topics and resources in one transaction; return a report.

    Topics are matched by title, then by slug; resources by URL. The file decides titles,
    notes, guidance, topics and order. Provider, kind, level and publication are set only on
    new resources: curators own them afterwards. Nothing is deleted. With dry_run, everything is
    rolled back and the report says what would have changed.
    """
    report = ImportReport(
        source=awesome_list.source, dry_run=dry_run, skipped=list(awesome_list.skipped)
    )
    with transaction.atomic():
        topics = _match_topics(awesome_list.topics)
        positions = plan_positions([t.position if t else None for t in topics])
        for parsed, topic, position in zip(awesome_list.topics, topics, positions, strict=True):
            topic = _save(
                report,
                Topic,
                topic,
                {"title": parsed.title, "guidance": parsed.guidance, "position": position},
                new=lambda parsed=parsed: {"slug": _unique_slug(Topic, parsed.title, "topic")},
            )
            _import_resources(report, topic, parsed.resources, publish_new=publish_new)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _match_topics(parsed_topics):
    matched = []
    claimed = set()
    for parsed in parsed_topics:
        candidates = Topic.objects.exclude(pk__in=claimed).order_by("pk")
        topic = candidates.filter(title__iexact=parsed.title).first()
        slug = slugify(parsed.title)
        if topic is None and slug:
            topic = candidates.filter(slug=slug).first()
        if topic is not None:
            claimed.add(topic.pk)
        matched.append(topic)
    return matched


def _import_resources(report, topic, parsed_resources, *, publish_new):
    urls = {}
    for parsed in parsed_resources:
        # Match what the file says, and the same URL written without percent-encoding.
        urls[parsed.url] = parsed
        urls.setdefault(mdurl.decode(parsed.url), parsed)
    existing = {}
    for resource in Resource.objects.filter(url__in=list(urls)):
        existing[urls[resource.url].url] = resource
    resources = [existing.get(parsed.url) for parsed in parsed_resources]
    positions = plan_positions(
        [r.position if r is not None and r.topic_id == topic.pk else None for r in resources]
    )
    for parsed, resource, position in zip(parsed_resources, resources, positions, strict=True):
        _save(
            report,
            Resource,
            resource,
            {
                "title": parsed.title,
                "note": parsed.note,
                "topic_id": topic.pk,
                "position": position,
            },
            new=lambda parsed=parsed: {
                "url": parsed.url,
                "slug": _unique_slug(Resource, parsed.title, "resource"),
                "provider": guess_provider(parsed.url)[:PROVIDER_MAX_LENGTH],
                "kind": parsed.kind or Resource.Kind.OTHER,
                "is_published": publish_new,
            },
        )
    listed = [r.pk for r in resources if r is not None]
    report.not_in_file.extend(
        topic.resources.exclude(pk__in=listed)
        .exclude(url__in=[p.url for p in parsed_resources])
        .order_by("position", "title", "pk")
        .values_list("title", flat=True)
    )


def _save(report, model, instance, values, *, new):
    """Create (with the extra values `new()` returns) or update an instance; note it in report."""
    model_name = model._meta.model_name
    if instance is None:
        instance = model.objects.create(**values, **new())
        report.created.append(Change(model_name, instance.title))
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
        fields = tuple(name.removesuffix("_id") for name in changed)
        report.updated.append(Change(model_name, instance.title, fields))
    else:
        report.unchanged.append(Change(model_name, instance.title))
    return instance


def _unique_slug(model, title, fallback):
    max_length = model._meta.get_field("slug").max_length
    base = slugify(title)[:max_length].strip("-") or fallback
    slug = base
    number = 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return slug


def plan_positions(current, *, step=10):
    """Positions for items in the file's order, given each one's current position (None if new).

    Current positions are kept when they already follow the file's order, so re-importing
    changes nothing and gaps a curator left stay; new items fit between their neighbours. When
    the order changed, or a new item does not fit, the items are renumbered step, 2 × step, ...
    """
    known = [position for position in current if position is not None]
    renumbered = [step * (index + 1) for index in range(len(current))]
    if any(a >= b for a, b in itertools.pairwise(known)):
        return renumbered
    planned = list(current)
    index = 0
    while index < len(planned):
        if planned[index] is not None:
            index += 1
            continue
        end = index
        while end < len(planned) and planned[end] is None:
            end += 1
        low = planned[index - 1] if index else 0
        high = planned[end] if end < len(planned) else None
        gap = step if high is None else (high - low) // (end - index + 1)
        if gap < 1:
            return renumbered
        for offset in range(end - index):
            planned[index + offset] = low + gap * (offset + 1)
        index = end
    return planned

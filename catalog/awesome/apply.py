"""Applying: an AwesomeList (the plan) to the catalog in one transaction, with the report
(`catalog.awesome.report`) of what it created, updated, kept, left unchanged or skipped.

An import never erases what a curator wrote: a title, guidance or note the list leaves out
stays, and one the list words differently stays unless the curator chooses to replace it
(`imported_text`)."""

import dataclasses
import itertools

import mdurl
from django.db import transaction
from django.utils.text import slugify

from catalog.awesome.guess import guess_provider
from catalog.awesome.report import (
    CATALOG_TEXT_KEPT,
    LIST_SAYS_NOTHING,
    Change,
    FieldChange,
    ImportReport,
    KeptText,
)
from catalog.canonical import canonical_url
from catalog.models import Listing, Resource, Topic

PROVIDER_MAX_LENGTH = Resource._meta.get_field("provider").max_length

# Fields whose text a curator may have written (see `imported_text`). The others an import
# sets, positions and where a resource is listed, follow the file's order and headings.
TEXT_FIELDS = ("title", "guidance", "note", "people", "keywords")


def imported_text(current, listed, *, replace_text):
    """What a text field holds after an import, and why the catalog's text stayed: "" when the
    list's is taken (or both agree), else LIST_SAYS_NOTHING or CATALOG_TEXT_KEPT.

    The list never blanks a field it says nothing about; where both have text and they
    differ, the catalog's (a curator's) stays unless `replace_text`.
    """
    if listed == current:
        return current, ""
    if not listed:
        return current, LIST_SAYS_NOTHING
    if current and not replace_text:
        return current, CATALOG_TEXT_KEPT
    return listed, ""


def import_awesome_list(
    awesome_list, *, curriculum, publish_new=True, replace_text=False, dry_run=False, curator=None
):
    """Create or update the list's topics and resources in `curriculum` in one transaction;
    return a report.

    A `curriculum` not saved yet is a new one: it is validated (`full_clean`, which raises
    ValidationError before anything is written), created in the same transaction (a dry run
    rolls it back too) with `curator`, if given, as its first curator, and reported.

    Topics are matched, within the curriculum, by title, then by slug; resources by URL (in any of
    its spellings: `canonical_url`), in the whole catalog, so a work another curriculum lists
    already is listed here too, the same resource. A new resource's link is the file's spelling; an
    existing one's stays, unless `restored_link` gives it back its spelling. The file decides the
    order and which topic a resource is listed in: a resource has one listing per curriculum, moved
    if the file moves it. Titles, guidance, notes, and people and keywords where the file states
    them, follow `imported_text`: the file fills what the catalog leaves empty, never erases, and
    replaces a curator's text only with `replace_text`. Provider, kind, level and publication are
    set only on new resources: curators own them afterwards. With `publish_new` false new resources
    are unpublished, so a new topic stays hidden from learners until one of its resources is
    published. Nothing is deleted. With dry_run everything is rolled back, and the report says what
    would have changed.
    """
    if curriculum is None:
        raise ValueError("An awesome list is imported into a curriculum; there is none.")
    report = ImportReport(
        source=awesome_list.source, dry_run=dry_run, skipped=list(awesome_list.skipped)
    )
    with transaction.atomic():
        if curriculum._state.adding:
            _create_curriculum(report, curriculum, curator)
        new_slug = _NewSlugs(curriculum)
        topics = _match_topics(awesome_list.topics, curriculum)
        positions = plan_positions([t.position if t else None for t in topics])
        for parsed, topic, position in zip(awesome_list.topics, topics, positions, strict=True):
            created = topic is None
            topic = _save(
                report,
                Topic,
                topic,
                {"title": parsed.title, "guidance": parsed.guidance, "position": position},
                new=lambda parsed=parsed: {
                    "curriculum": curriculum,
                    "slug": new_slug(Topic, parsed.title, "topic"),
                },
                replace_text=replace_text,
            )
            index = len(report.created) - 1
            _import_resources(
                report,
                topic,
                parsed.resources,
                publish_new=publish_new,
                replace_text=replace_text,
                new_slug=new_slug,
            )
            if created:
                report.created[index] = dataclasses.replace(
                    report.created[index], detail=_new_topic_visibility(topic)
                )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _create_curriculum(report, curriculum, curator):
    curriculum.full_clean()
    curriculum.save()
    if curator is not None:
        curriculum.curators.add(curator)
    shown = "published" if curriculum.is_published else "unpublished until a curator publishes it"
    report.created.append(
        Change(model="curriculum", title=curriculum.title, detail=f"/{curriculum.slug}/, {shown}")
    )


def _new_topic_visibility(topic):
    if not topic.curriculum.is_published:
        return "learners see it once its curriculum is published"
    if topic.listings.published().exists():
        return "learners see it at once: it holds published resources"
    return "hidden from learners until one of its resources is published"


def _match_topics(parsed_topics, curriculum):
    matched = []
    claimed = set()
    for parsed in parsed_topics:
        candidates = Topic.objects.in_curriculum(curriculum).exclude(pk__in=claimed).order_by("pk")
        topic = candidates.filter(title__iexact=parsed.title).first()
        slug = slugify(parsed.title)
        if topic is None and slug:
            topic = candidates.filter(slug=slug).first()
        if topic is not None:
            claimed.add(topic.pk)
        matched.append(topic)
    return matched


def _import_resources(report, topic, parsed_resources, *, publish_new, replace_text, new_slug):
    urls = {}
    for parsed in parsed_resources:
        # A resource is its canonical URL: that of what the file says, and of the same URL
        # written without percent-encoding.
        for url in (parsed.url, mdurl.decode(parsed.url)):
            urls.setdefault(canonical_url(url), parsed)
    existing = {}
    for resource in Resource.objects.filter(canonical_url__in=list(urls)):
        existing.setdefault(urls[resource.canonical_url].url, resource)
    resources = [existing.get(parsed.url) for parsed in parsed_resources]
    # Where the curriculum lists them already (at most once each), and which curriculum listed
    # each first (whose list's spelling is its link).
    listings, first_listed_in = {}, {}
    for listing in (
        Listing.objects.filter(resource__in=[r for r in resources if r is not None])
        .select_related("topic")
        .order_by("pk")
    ):
        first_listed_in.setdefault(listing.resource_id, listing.topic.curriculum_id)
        if listing.topic.curriculum_id == topic.curriculum_id:
            listings[listing.resource_id] = listing
    listed = [listings.get(r.pk) if r is not None else None for r in resources]
    in_this_topic = [
        listing if listing and listing.topic_id == topic.pk else None for listing in listed
    ]
    positions = plan_positions([listing.position if listing else None for listing in in_this_topic])
    for parsed, resource, listing, position in zip(
        parsed_resources, resources, listed, positions, strict=True
    ):
        # People and keywords only where the file states them: a list without them (the
        # upstream awesome list) leaves the curators' own.
        details = {
            name: getattr(parsed, name)
            for name in ("people", "keywords")
            if getattr(parsed, name) is not None
        }
        _save_resource(
            report,
            resource,
            listing,
            {
                "title": parsed.title,
                "note": parsed.note,
                **details,
                **_link(resource, first_listed_in, topic.curriculum_id, parsed),
            },
            {"topic": topic, "position": position},
            new=lambda parsed=parsed: {
                "url": parsed.url,
                "slug": new_slug(Resource, parsed.title, "resource"),
                "provider": guess_provider(parsed.url)[:PROVIDER_MAX_LENGTH],
                "kind": parsed.kind or Resource.Kind.OTHER,
                "is_published": publish_new,
            },
            replace_text=replace_text,
            detail=f"in “{topic.title}”" + ("" if publish_new else ", unpublished"),
        )
    imported_ids = [r.pk for r in resources if r is not None]
    report.not_in_file.extend(
        topic.listings.exclude(resource_id__in=imported_ids)
        .exclude(resource__canonical_url__in=list(urls))
        .order_by("position", "resource__title", "pk")
        .values_list("resource__title", flat=True)
    )


def _link(resource, first_listed_in, curriculum_id, parsed):
    """{"url": the file's spelling} where it gives the resource back its link as written (see
    `restored_link`), else {}: only a list of the curriculum that listed the resource first."""
    if resource is None or first_listed_in.get(resource.pk) != curriculum_id:
        return {}
    url = restored_link(resource.url, parsed.url)
    return {"url": url} if url != resource.url else {}


def restored_link(current, listed):
    """The link a re-import of the list that first listed a resource keeps: the file's spelling
    (`listed`) where the catalog's is the bare canonical one (as every link was stored before
    links were kept as written, which lost their `www.` or trailing slash) and the file's is the
    same work, else the catalog's. So a list read again restores the links it writes, and a link
    a curator edited stays."""
    if current == canonical_url(current) == canonical_url(listed) and listed != current:
        return listed
    return current


def _save(report, model, instance, values, *, new, replace_text, detail=""):
    """Create (with the extra values `new()` returns) or update an instance, its text fields
    through `imported_text`; note what happened in the report and return the instance."""
    model_name = model._meta.model_name
    if instance is None:
        instance = model.objects.create(**values, **new())
        report.created.append(Change(model_name, instance.title, detail=detail))
        return instance
    changes, kept = _apply(instance, values, replace_text=replace_text)
    _report_update(report, model_name, instance.title, changes, kept)
    return instance


def _save_resource(report, resource, listing, values, placement, *, new, replace_text, detail):
    """`_save` for a resource and its listing in the curriculum (`placement`: its topic and
    position there), which the report tells as the resource's own fields."""
    if resource is None:
        resource = Resource.objects.create(**values, **new())
        Listing.objects.create(resource=resource, **placement)
        report.created.append(Change("resource", resource.title, detail=detail))
        return resource
    changes, kept = _apply(resource, values, replace_text=replace_text)
    if listing is None:  # listed in other curricula only, until now
        listing = Listing.objects.create(resource=resource, **placement)
        changes.append(FieldChange("topic", "", _shown(listing.topic)))
    else:
        changes += _apply(listing, placement, replace_text=replace_text)[0]
    _report_update(report, "resource", resource.title, changes, kept)
    return resource


def _apply(instance, values, *, replace_text):
    """Set `values` on the instance (text fields through `imported_text`) and save what changed;
    return the changes and the texts kept."""
    changes, kept = [], []
    for name, listed in values.items():
        current = getattr(instance, name)
        if name in TEXT_FIELDS:
            value, reason = imported_text(current, listed, replace_text=replace_text)
            if reason:
                kept.append(KeptText(name, current, listed, reason))
        else:
            value = listed
        if value != current:
            changes.append(FieldChange(name, _shown(current), _shown(value)))
            setattr(instance, name, value)
    if changes:
        instance.save(update_fields=[change.name for change in changes])
    return changes, kept


def _report_update(report, model_name, title, changes, kept):
    if changes:
        report.updated.append(Change(model_name, title, tuple(changes), tuple(kept)))
    else:
        report.unchanged.append(Change(model_name, title, kept=tuple(kept)))


def _shown(value):
    """A field's value as a curator reads it in the report: a topic by its title."""
    return value.title if isinstance(value, Topic) else value


class _NewSlugs:
    """Unique slugs for the rows one import creates: a topic's unique in the curriculum, a
    resource's in the catalog. The slugs taken are read once per model, so a list whose links
    share a title ("PDF", "Slides") costs no query per suffix tried."""

    def __init__(self, curriculum):
        self._rows = {
            Topic: Topic.objects.in_curriculum(curriculum),
            Resource: Resource.objects.all(),
        }
        self._taken = {}  # model: its slugs, those of this import's new rows included

    def __call__(self, model, title, fallback):
        if model not in self._taken:
            self._taken[model] = set(self._rows[model].order_by().values_list("slug", flat=True))
        taken = self._taken[model]
        max_length = model._meta.get_field("slug").max_length
        base = slugify(title)[:max_length].strip("-") or fallback
        slug = base
        number = 2
        while slug in taken:
            suffix = f"-{number}"
            slug = base[: max_length - len(suffix)].rstrip("-") + suffix
            number += 1
        taken.add(slug)
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

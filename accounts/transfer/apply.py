"""Merge an imported file into a learner's progress, in one transaction.

The merge rules (`merge_row`) are a plain function: the later change wins, except that an
older row never takes a completion away. Awards and evidence are never imported; awards the
merged progress now meets are recorded as for any other change.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from catalog.canonical import canonical_url
from catalog.models import Resource
from mlmath.invalidation import bump_learner
from progress.models import Activity, ResourceProgress, Status
from progress.services import lock_learner, record_new_awards


@dataclass(frozen=True)
class RowState:
    status: str
    started_at: object
    completed_at: object
    updated_at: object
    note: str


@dataclass
class ImportReport:
    created: list = field(default_factory=list)  # (resource, new status)
    updated: list = field(default_factory=list)  # (resource, old status, new status, note?)
    unchanged: int = 0
    unknown: list = field(default_factory=list)  # rows whose resource this site does not have
    activity_added: int = 0
    new_awards: list = field(default_factory=list)
    ignored_sections: tuple = ()
    dry_run: bool = False

    @property
    def changed(self):
        return bool(self.created or self.updated or self.activity_added)


def merge_row(existing, incoming):
    """The row to keep when a learner's row meets an imported one (either may be None).

    The later `updated_at` wins (a row without one is older than any dated row); a completion
    is never downgraded by an older row; when both are completed the first completion date is
    kept; the note comes from the winner unless it is empty and the other is not.
    """
    if existing is None:
        return incoming
    if incoming is None:
        return existing
    incoming_is_later = (incoming.updated_at is not None) and (
        existing.updated_at is None or incoming.updated_at > existing.updated_at
    )
    winner, loser = (incoming, existing) if incoming_is_later else (existing, incoming)
    status = winner.status
    completed_at = None
    if status == Status.COMPLETED:
        # Completed on both sides: the first completion is when it was done.
        both = [r.completed_at for r in (winner, loser) if r.status == Status.COMPLETED]
        completed_at = min(moment for moment in both if moment is not None)
    started_at = None
    if status != Status.NOT_STARTED:
        started_at = winner.started_at or loser.started_at or completed_at
    return RowState(
        status=status,
        started_at=started_at,
        completed_at=completed_at,
        updated_at=winner.updated_at,
        note=winner.note or loser.note,
    )


def state_of(progress):
    return RowState(
        progress.status,
        progress.started_at,
        progress.completed_at,
        progress.updated_at,
        progress.note,
    )


def match_resources(rows):
    """{row index: Resource}, matching by canonical URL first, then by slug.

    Only published resources match: an unpublished one is invisible to learners, so a file
    naming it must neither reveal it nor record progress on it (it is reported as unknown).
    """
    # A URL in any spelling is the resource whose canonical URL it has: a file exported before
    # version 2 gives the link ("www." before links were stored canonical, and since they are
    # kept as written). The URL itself first, for a second spelling of a work not merged yet
    # (catalog.0013).
    urls = {url for row in rows if row.url for url in (row.url, canonical_url(row.url))}
    slugs = {row.slug for row in rows if row.slug}
    published = Resource.objects.published()
    by_url = {r.canonical_url: r for r in published.filter(canonical_url__in=urls)}
    by_slug = {r.slug: r for r in published.filter(slug__in=slugs)}

    def match(row):
        return by_url.get(row.url) or by_url.get(canonical_url(row.url)) or by_slug.get(row.slug)

    return {i: match(row) for i, row in enumerate(rows) if match(row)}


def import_progress(*, learner, parsed, dry_run=False, now=None):
    """Merge `parsed` (an ImportFile) into the learner's progress; return an ImportReport.

    Everything happens in one transaction; a dry run makes the same changes and rolls them
    back, so its report (new awards included) is exactly what a real import would do.
    """
    now = now or timezone.now()
    report = ImportReport(ignored_sections=parsed.ignored, dry_run=dry_run)
    with transaction.atomic():
        lock_learner(learner)
        resources = match_resources(parsed.progress)
        report.unknown = [row for i, row in enumerate(parsed.progress) if i not in resources]
        existing = {
            p.resource_id: p
            for p in ResourceProgress.objects.for_learner(learner).filter(
                resource__in=set(resources.values())
            )
        }
        merged = {}  # resource id: (resource, the row to keep)
        for i, row in enumerate(parsed.progress):
            resource = resources.get(i)
            if resource is None:
                continue
            incoming = RowState(
                row.status, row.started_at, row.completed_at, row.updated_at, row.note
            )
            if resource.pk in merged:
                before = merged[resource.pk][1]
            else:
                before = state_of(existing[resource.pk]) if resource.pk in existing else None
            merged[resource.pk] = (resource, merge_row(before, incoming))
        for resource, after in merged.values():
            original = existing.get(resource.pk)
            if original is None:
                ResourceProgress.objects.create(
                    learner=learner,
                    resource=resource,
                    status=after.status,
                    started_at=after.started_at,
                    completed_at=after.completed_at,
                    note=after.note,
                )
                report.created.append((resource, Status(after.status).label))
                continue
            old = state_of(original)
            if (old.status, old.note, old.completed_at) == (
                after.status,
                after.note,
                after.completed_at,
            ):
                report.unchanged += 1
                continue
            original.status, original.note = after.status, after.note
            original.started_at, original.completed_at = after.started_at, after.completed_at
            original.save()
            report.updated.append(
                (
                    resource,
                    Status(old.status).label,
                    Status(after.status).label,
                    old.note != after.note,
                )
            )
        report.activity_added = import_activity(learner, parsed.activity)
        report.new_awards = record_new_awards(learner=learner, now=now)
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_activity(learner, rows):
    """Add the file's activity for resources this site has, skipping entries already here."""
    resources = match_resources(rows)
    already_here = set(
        Activity.objects.for_learner(learner)
        .filter(resource__in=set(resources.values()))
        .values_list("resource_id", "status", "created_at")
    )
    new = []
    for i, row in enumerate(rows):
        resource = resources.get(i)
        if resource is None or (resource.pk, row.status, row.at) in already_here:
            continue
        already_here.add((resource.pk, row.status, row.at))
        new.append(
            Activity(learner=learner, resource=resource, status=row.status, created_at=row.at)
        )
    Activity.objects.bulk_create(new)
    if new:
        bump_learner(learner.pk)  # a bulk write sends no signals
    return len(new)

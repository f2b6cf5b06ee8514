"""Everything a learner has, as `mlmath-progress` JSON, and their progress as a CSV."""

import csv
import datetime
import io

from django.db.models import Case, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import profile_for
from accounts.transfer.base import FORMAT, VERSION
from catalog.models import Listing, default_curriculum_slug
from progress.models import Activity, DegreeAward, Evidence, ResourceProgress

# A progress row's own fields, in the JSON document and in the CSV alike.
PROGRESS_FIELDS = ["status", "started_at", "completed_at", "updated_at", "note"]
EVIDENCE_FIELDS = ["url", "description", "state", "submitted_at", "reviewed_at", "curator_note"]
# The columns of version 1 first, in their order and meaning; `curriculum` (the slug of the
# curriculum whose `topic` it is) and `canonical_url` came with curricula, at the end.
CSV_COLUMNS = [
    "resource_url",
    "resource_slug",
    "resource_title",
    "topic",
    *PROGRESS_FIELDS,
    "curriculum",
    "canonical_url",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def iso(moment):
    return moment.isoformat() if moment else None


def fields(row, *names):
    """The named attributes of `row`, dates and times in ISO 8601."""
    values = {name: getattr(row, name) for name in names}
    return {
        name: iso(value) if isinstance(value, datetime.datetime) else value
        for name, value in values.items()
    }


def share_url(award, absolute):
    """The badge's public page, for shared awards (the badges app's share page)."""
    try:
        path = reverse("badges:share", args=[award.public_id])
    except NoReverseMatch:
        path = f"/badges/{award.public_id}/"
    return absolute(path)


def curricula_listing(resource_ids):
    """{resource id: the slugs of the published curricula that list it}, the default
    curriculum first, in one query."""
    listings = (
        Listing.objects.filter(resource__in=resource_ids)
        .in_published_curricula()
        .main_first()
        .values_list("resource_id", "topic__curriculum__slug")
    )
    slugs = {}
    for resource_id, slug in listings:
        slugs.setdefault(resource_id, []).append(slug)
    return slugs


def resource_ref(resource, curricula):
    """A progress row's resource in version 2: how to find it again on any mlmath site (its
    canonical URL, then its slug) and where this site lists it."""
    return {
        **fields(resource, "url", "slug", "title"),
        "canonical_url": resource.canonical_url,
        "curricula": curricula.get(resource.pk, []),
    }


def export_document(learner, absolute, now=None):
    """The learner's whole account as a dict in the `mlmath-progress` format, version 2.

    `absolute` turns a path into a full URL (request.build_absolute_uri). Only this learner's
    rows are read: every query filters on them.
    """
    profile = profile_for(learner)
    progress = list(
        ResourceProgress.objects.for_learner(learner)
        .select_related("resource")
        .order_by("resource__slug")
    )
    curricula = curricula_listing([row.resource_id for row in progress])
    evidence = Evidence.objects.for_learner(learner).select_related("milestone")
    awards = DegreeAward.objects.for_learner(learner).select_related("degree")
    activity = Activity.objects.for_learner(learner).select_related("resource")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(now or timezone.now()),
        "site": absolute("/"),
        "account": {
            "username": learner.get_username(),
            "email": learner.email,
            "date_joined": iso(learner.date_joined),
        },
        "settings": {
            "display_name": profile.display_name,
            "time_zone": profile.time_zone,
            "weekly_goal_hours": profile.weekly_goal_hours,
            "profile_public": profile.is_public,
            "show_badges": profile.show_badges,
            "show_topic_progress": profile.show_topic_progress,
            "show_activity": profile.show_activity,
        },
        "progress": [
            {"resource": resource_ref(row.resource, curricula), **fields(row, *PROGRESS_FIELDS)}
            for row in progress
        ],
        "evidence": [
            {
                "milestone": fields(row.milestone, "slug", "title"),
                **fields(row, *EVIDENCE_FIELDS),
            }
            for row in evidence.order_by("milestone__slug")
        ],
        "awards": [
            {
                "degree": fields(award.degree, "slug", "title"),
                "public_id": str(award.public_id),
                "awarded_at": iso(award.awarded_at),
                "shared": award.is_shared,
                "revoked_at": iso(award.revoked_at),
                "revocation_reason": award.revocation_reason,
                "verification_url": share_url(award, absolute) if award.is_shared else None,
            }
            for award in awards.order_by("awarded_at", "pk")
        ],
        "activity": [
            {
                "resource": fields(row.resource, "url", "slug"),
                "status": row.status,
                "at": iso(row.created_at),
            }
            for row in activity.order_by("created_at", "pk")
        ],
    }


def spreadsheet_safe(value):
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def published_places(resource_ids):
    """{resource id: [(rank, curriculum slug, topic title), ...]}: where the published curricula
    list these resources, ranked in one order over all of them: the default curriculum first,
    then the others in curriculum order, each topic by topic and in the curators' order within a
    topic; one query."""
    in_default = Case(
        When(topic__curriculum__slug=default_curriculum_slug(), then=Value(0)), default=Value(1)
    )
    listings = (
        Listing.objects.filter(resource__in=resource_ids)
        .in_published_curricula()
        .order_by(
            in_default,
            "topic__curriculum__position",
            "topic__curriculum__title",
            "topic__curriculum_id",
            "topic__position",
            "topic__title",
            "topic_id",
            "position",
            "pk",
        )
        .values_list("resource_id", "topic__curriculum__slug", "topic__title")
    )
    places = {}
    for rank, (resource_id, curriculum_slug, topic_title) in enumerate(listings):
        places.setdefault(resource_id, []).append((rank, curriculum_slug, topic_title))
    return places


def csv_rows(progress, places):
    """The CSV's rows after its header: one per resource and published curriculum listing it
    (the same progress in each: a resource two curricula list counts once, and shows twice), in
    curriculum order, then topic order; a resource no published curriculum lists has one row,
    without topic or curriculum, at the end."""
    unlisted = [(None, "", "")]
    ranked = []
    for row in progress:
        resource = row.resource
        own_fields = list(fields(row, *PROGRESS_FIELDS).values())
        for rank, curriculum_slug, topic_title in places.get(row.resource_id) or unlisted:
            cells = [
                resource.url,
                resource.slug,
                resource.title,
                topic_title,
                *own_fields,
                curriculum_slug,
                resource.canonical_url,
            ]
            ranked.append(((rank is None, rank or 0, resource.slug), cells))
    return [cells for _, cells in sorted(ranked, key=lambda pair: pair[0])]


def export_progress_csv(learner):
    """The learner's progress as UTF-8 text (with a byte-order mark, so spreadsheets read the
    accents right) with a header row and a row per resource and curriculum (`csv_rows`); two
    queries."""
    progress = list(ResourceProgress.objects.for_learner(learner).select_related("resource"))
    places = published_places([row.resource_id for row in progress])
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for cells in csv_rows(progress, places):
        writer.writerow(spreadsheet_safe(value) for value in cells)
    return out.getvalue()

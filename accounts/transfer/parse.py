"""Read an `mlmath-progress` file into plain rows, checking every field; no database access."""

import datetime
import json
from dataclasses import dataclass

from accounts.transfer.base import (
    FORMAT,
    MAX_CURRICULA_PER_ROW,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_DEPTH,
    READABLE_VERSIONS,
    ImportFileError,
)
from mlmath.bounded import InputTooLarge, load_json
from mlmath.uploads import too_large_message
from progress.models import NOTE_MAX_LENGTH, Status, status_named


@dataclass(frozen=True)
class ProgressRow:
    url: str  # the canonical URL where the file gives one (version 2), else its URL
    slug: str
    title: str
    status: str
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    note: str
    curricula: tuple[str, ...] = ()  # where the exporting site listed it (version 2)


@dataclass(frozen=True)
class ActivityRow:
    url: str
    slug: str
    status: str
    at: datetime.datetime


@dataclass(frozen=True)
class ImportFile:
    progress: tuple[ProgressRow, ...]
    activity: tuple[ActivityRow, ...]
    ignored: tuple[str, ...]  # sections present but never imported (awards, evidence)


def parse_import(data: bytes) -> ImportFile:
    """Check and read a file; raise ImportFileError naming the first problem found."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(too_large_message(len(data), MAX_IMPORT_BYTES))
    try:
        document = load_json(data, max_bytes=MAX_IMPORT_BYTES, max_depth=MAX_IMPORT_DEPTH)
    except InputTooLarge as error:
        raise ImportFileError(f"{error} An mlmath export is never like this.") from error
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte 0x{data[error.start]:02x} at position "
            f"{error.start}). Choose the .json file mlmath exported."
        ) from error
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFileError(
            f'This is not an mlmath progress file: it has no "format": "{FORMAT}". '
            "Choose the .json file from Settings › Export on an mlmath site."
        )
    version = document.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        readable = " or ".join(str(v) for v in READABLE_VERSIONS)
        raise ImportFileError(
            f"This file is version {version!r:.40} of the format; this site reads "
            f"version {readable}."
        )
    progress = tuple(
        progress_row(item, f"progress[{i}]") for i, item in enumerate(section(document, "progress"))
    )
    activity = tuple(
        activity_row(item, f"activity[{i}]") for i, item in enumerate(section(document, "activity"))
    )
    ignored = tuple(name for name in ("awards", "evidence") if document.get(name))
    return ImportFile(progress=progress, activity=activity, ignored=ignored)


def section(document, name):
    items = document.get(name, [])
    if not isinstance(items, list):
        raise ImportFileError(f"“{name}” must be a list.")
    return items


def text(item, key, where, max_length=500, required=False):
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ImportFileError(f"{where}.{key} must be text.")
    if len(value) > max_length:
        raise ImportFileError(f"{where}.{key} is longer than {max_length} characters.")
    if required and not value:
        raise ImportFileError(f"{where}.{key} is missing.")
    return value


def moment(item, key, where, required=False):
    value = item.get(key)
    if value is None:
        if required:
            raise ImportFileError(f"{where}.{key} is missing.")
        return None
    if not isinstance(value, str):
        raise ImportFileError(f"{where}.{key} must be a date and time in ISO 8601.")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise ImportFileError(
            f"{where}.{key}: “{value[:40]}” is not a date and time in ISO 8601."
        ) from error
    if parsed.tzinfo is None:
        raise ImportFileError(f"{where}.{key}: “{value[:40]}” has no time zone offset.")
    return parsed


def status(item, where):
    """The row's Status; files from before "already known" counted read `skipped` as `known`."""
    value = item.get("status")
    named = status_named(value)
    if named is None:
        raise ImportFileError(
            f"{where}.status: {str(value)[:40]!r} is not one of {', '.join(Status.values)}."
        )
    return named.value


def resource_ref(item, where):
    """The resource a row names: its URL (the canonical one, where the file gives it), slug
    and title."""
    ref = item.get("resource")
    if not isinstance(ref, dict):
        raise ImportFileError(f"{where}.resource must be an object with a url and a slug.")
    url = text(ref, "canonical_url", f"{where}.resource") or text(ref, "url", f"{where}.resource")
    slug = text(ref, "slug", f"{where}.resource", max_length=200)
    if not url and not slug:
        raise ImportFileError(f"{where}.resource has neither a url nor a slug.")
    return url, slug, text(ref, "title", f"{where}.resource", max_length=500)


def curricula(item, where):
    """The curricula slugs a version 2 row names (none in version 1)."""
    slugs = item["resource"].get("curricula", [])
    if slugs is None:
        return ()
    if not isinstance(slugs, list):
        raise ImportFileError(f"{where}.resource.curricula must be a list of curriculum slugs.")
    if len(slugs) > MAX_CURRICULA_PER_ROW:
        raise ImportFileError(
            f"{where}.resource.curricula names {len(slugs):,} curricula; "
            f"the limit is {MAX_CURRICULA_PER_ROW}."
        )
    for index, slug in enumerate(slugs):
        if not isinstance(slug, str) or not slug or len(slug) > 80:
            raise ImportFileError(
                f"{where}.resource.curricula[{index}] must be a curriculum slug "
                "(text of at most 80 characters)."
            )
    return tuple(slugs)


def progress_row(item, where):
    if not isinstance(item, dict):
        raise ImportFileError(f"{where} must be an object.")
    url, slug, title = resource_ref(item, where)
    row_status = status(item, where)
    completed_at = moment(item, "completed_at", where)
    if row_status == Status.COMPLETED and completed_at is None:
        raise ImportFileError(f"{where} is completed but has no completed_at.")
    return ProgressRow(
        url=url,
        slug=slug,
        title=title,
        status=row_status,
        started_at=moment(item, "started_at", where),
        completed_at=completed_at if row_status == Status.COMPLETED else None,
        updated_at=moment(item, "updated_at", where),
        note=text(item, "note", where, max_length=NOTE_MAX_LENGTH),
        curricula=curricula(item, where),
    )


def activity_row(item, where):
    if not isinstance(item, dict):
        raise ImportFileError(f"{where} must be an object.")
    url, slug, _title = resource_ref(item, where)
    return ActivityRow(
        url=url, slug=slug, status=status(item, where), at=moment(item, "at", where, True)
    )

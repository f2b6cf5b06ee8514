"""The statements every learner's page or write runs, written out in SQL.

The ORM compiles a statement again on every call; for these few, run on every page rendered
after a write or on every mark, that cost a fifth to a third of the request's CPU
(docs/performance.md). Each returns plain values, so the rules stay in Python, once:
`is_done` and `is_accepted` decide what counts, not the SQL. Table and column names come
from the models' `_meta`.
"""

from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils.dateparse import parse_datetime

from progress.models import DONE_STATUSES, Activity, Evidence, ResourceProgress


class ShownRow(NamedTuple):
    """A learner's row as a page shows it (a card: its status, note and completion): plain
    values, which cost a page of a hundred cards far less than as many model instances."""

    id: int
    learner_id: int
    resource_id: int
    status: str
    note: str
    completed_at: datetime | None


ROW_FIELDS = ShownRow._fields


def column(model, name):
    return model._meta.get_field(name).column


@cache
def rows_sql():
    """The SELECTs of a learner's statuses (every row, a resource id and a status each) and of
    the rows a page shows (`ROW_FIELDS` less those the first has): one table, no join, so the
    database answers from the (learner, resource) index however large the catalog."""
    table = ResourceProgress._meta.db_table
    learner, resource, status = (
        column(ResourceProgress, n) for n in ("learner", "resource", "status")
    )
    shown = ", ".join(column(ResourceProgress, name) for name in ("id", "note", "completed_at"))
    return (
        f"SELECT {resource}, {status}, NULL, NULL, NULL FROM {table} WHERE {learner} = %s",
        f"SELECT {resource}, {status}, {shown} FROM {table} WHERE {learner} = %s AND {resource}",
    )


def among(values):
    """The SQL (after a column) and parameters of "is one of `values`". On PostgreSQL one array
    parameter: psycopg re-parses a statement of more than 50 parameters on every call (it caches
    only smaller ones), about a millisecond for the home page's hundred cards."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values)) or 'NULL'})", list(values)


def learner_rows(learner_id, resource_ids, *, with_statuses=True):
    """The learner's rows for `resource_ids` as `ShownRow`s, by resource id, and (unless
    `with_statuses` is false, then None) the status of every row of theirs, by resource id: in
    one statement, whose cost is the rows shown plus a number and a word per row of history."""
    statuses_select, shown_select = rows_sql()
    is_among, among_params = among(resource_ids)
    sql, params = f"{shown_select} {is_among}", [learner_id, *among_params]
    if with_statuses and not resource_ids:
        sql, params = statuses_select, [learner_id]
    elif with_statuses:
        sql, params = f"{sql} UNION ALL {statuses_select}", [*params, learner_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    statuses = {} if with_statuses else None
    rows = {}
    for resource_id, status, pk, note, completed_at in found:
        if pk is None:
            statuses[resource_id] = status
        else:
            rows[resource_id] = ShownRow(
                pk, learner_id, resource_id, status, note, aware(completed_at)
            )
    return statuses, rows


@cache
def credit_sql():
    progress, evidence = ResourceProgress._meta.db_table, Evidence._meta.db_table
    statuses = ", ".join(["%s"] * len(DONE_STATUSES))
    return (
        f"SELECT {column(ResourceProgress, 'resource')}, {column(ResourceProgress, 'status')}, 1 "
        f"FROM {progress} WHERE {column(ResourceProgress, 'learner')} = %s "
        f"AND {column(ResourceProgress, 'status')} IN ({statuses})",
        f"SELECT {column(Evidence, 'milestone')}, {column(Evidence, 'state')}, 0 "
        f"FROM {evidence} WHERE {column(Evidence, 'learner')} = %s",
    )


def learner_credit_values(learner_id, resource_ids=None):
    """What may count toward the learner's degrees, in one statement (two tables, no join):
    their rows with a status that counts, as (resource id, status), of `resource_ids` only
    unless None, and their evidence's states by milestone id (`progress.degrees` applies the
    rules)."""
    resources_sql, evidence_sql = credit_sql()
    params = [learner_id, *DONE_STATUSES]
    if resource_ids is not None:
        is_among, among_params = among(resource_ids)
        resources_sql = f"{resources_sql} AND {column(ResourceProgress, 'resource')} {is_among}"
        params += among_params
    with connection.cursor() as cursor:
        cursor.execute(f"{resources_sql} UNION ALL {evidence_sql}", [*params, learner_id])
        rows = cursor.fetchall()
    resources = [(pk, status) for pk, status, is_resource in rows if is_resource]
    evidence_states = {pk: state for pk, state, is_resource in rows if not is_resource}
    return resources, evidence_states


def learner_resource_row(learner_id, resource_id):
    """The learner's ResourceProgress for the resource, or None: what a mark reads first."""
    fields = ResourceProgress._meta.concrete_fields
    sql = (
        f"SELECT {', '.join(field.column for field in fields)} "
        f"FROM {ResourceProgress._meta.db_table} "
        f"WHERE {column(ResourceProgress, 'learner')} = %s "
        f"AND {column(ResourceProgress, 'resource')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner_id, resource_id])
        values = cursor.fetchone()
    if values is None:
        return None
    values = [
        aware(value) if isinstance(field, models.DateTimeField) else value
        for field, value in zip(fields, values, strict=True)
    ]
    return ResourceProgress.from_db(
        ResourceProgress.objects.db, [field.attname for field in fields], values
    )


# What a status change writes: `apply_status` sets the first three, the write the fourth.
STATUS_FIELDS = ("status", "started_at", "completed_at", "updated_at")
NEW_ROW_FIELDS = ("learner", "resource", "note", "created_at", *STATUS_FIELDS)
ACTIVITY_FIELDS = ("learner", "resource", "status", "created_at")


def save_status(progress, now):
    """Write the status `apply_status` gave `progress` (inserting the row if it is new) and log
    the change as an Activity at `now`: two plain statements where the ORM's save and create
    cost a mark a sixth of its CPU. They send no signals: the caller bumps the learner's
    version (`mlmath.invalidation.bump_learner`)."""
    progress.updated_at = now
    with connection.cursor() as cursor:
        if progress.pk is None:
            progress.created_at = now
            progress.pk = insert(cursor, progress, NEW_ROW_FIELDS)
            # Saved now, as `save()` would have left it (Model._state, documented by Django).
            progress._state.adding, progress._state.db = False, connection.alias
        else:
            table, pk = ResourceProgress._meta.db_table, ResourceProgress._meta.pk
            assignments = ", ".join(f"{column(ResourceProgress, n)} = %s" for n in STATUS_FIELDS)
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {pk.column} = %s",
                [*db_values(progress, STATUS_FIELDS), progress.pk],
            )
        activity = Activity(
            learner_id=progress.learner_id,
            resource_id=progress.resource_id,
            status=progress.status,
            created_at=now,
        )
        insert(cursor, activity, ACTIVITY_FIELDS, returning=False)


def db_values(instance, names):
    """The instance's values of the fields `names`, as the database stores them."""
    fields = [instance._meta.get_field(name) for name in names]
    return [
        field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields
    ]


def insert(cursor, instance, names, *, returning=True):
    """INSERT the instance's fields `names` as a row of its table; its new pk if `returning`."""
    meta = instance._meta
    columns = ", ".join(column(type(instance), name) for name in names)
    sql = f"INSERT INTO {meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    params = db_values(instance, names)
    if not returning:
        cursor.execute(sql, params)
        return None
    if connection.features.can_return_columns_from_insert:
        cursor.execute(f"{sql} RETURNING {meta.pk.column}", params)
        return cursor.fetchone()[0]
    cursor.execute(sql, params)
    return cursor.lastrowid


def lock_learner_writes(learner_id):
    """Hold the learner's lock until the transaction ends. On PostgreSQL an advisory lock keyed
    by the learner's id (the only advisory locks mlmath takes): unlike locking their account row,
    it writes nothing, so it costs no WAL. Elsewhere (MySQL...) the account row, FOR UPDATE."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [learner_id])
            return
        user = get_user_model()._meta
        cursor.execute(
            f"SELECT 1 FROM {user.db_table} WHERE {user.pk.column} = %s FOR UPDATE", [learner_id]
        )


def aware(moment):
    """A datetime as the ORM would give it: SQLite hands back naive UTC datetimes (or, from a
    compound SELECT, their text)."""
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment

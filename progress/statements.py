"""The statements every learner's page or write runs, written out in SQL.

The ORM compiles a statement again on every call; for these few, run on every page rendered
after a write or on every mark, that cost a fifth to a third of the request's CPU
(docs/performance.md). Each returns plain values, so the rules stay in Python, once:
`is_done` and `is_accepted` decide what counts, not the SQL. Table and column names come
from the models' `_meta`.
"""

from datetime import UTC, datetime
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection

from catalog.models import Resource
from progress.models import DONE_STATUSES, Evidence, ResourceProgress

ROW_FIELDS = ("id", "learner_id", "resource_id", "status", "note", "completed_at")


def column(model, name):
    return model._meta.get_field(name).column


@cache
def rows_sql():
    """The SELECT of a learner's rows (`ROW_FIELDS`, their resource's topic and whether it is
    published), and of their counts per topic, status and published."""
    progress, resource = ResourceProgress._meta, Resource._meta
    joined = (
        f"FROM {progress.db_table} p INNER JOIN {resource.db_table} r "
        f"ON r.{resource.pk.column} = p.{column(ResourceProgress, 'resource')} "
        f"WHERE p.{column(ResourceProgress, 'learner')} = %s"
    )
    topic, published = f"r.{column(Resource, 'topic')}", f"r.{column(Resource, 'is_published')}"
    status = f"p.{column(ResourceProgress, 'status')}"
    fields = [f"p.{column(ResourceProgress, name)}" for name in ROW_FIELDS]
    rows = f"SELECT {', '.join(fields)}, {topic}, {published}, 1 {joined}"
    nulls = ["NULL" if name != "status" else status for name in ROW_FIELDS]
    counts = (
        f"SELECT {', '.join(nulls)}, {topic}, {published}, COUNT(*) {joined} "
        f"GROUP BY {topic}, {status}, {published}"
    )
    return rows, counts, f"p.{column(ResourceProgress, 'resource')}"


def learner_row_values(learner_id, resource_ids=None, *, with_counts=False):
    """The learner's rows as plain values (`ROW_FIELDS`, then the resource's topic id and
    whether it is published), by resource id: every row, or those of `resource_ids`.

    `with_counts` also counts, in the same statement, the learner's rows per topic, status and
    published, as (topic id, status, published, count): a page's topic bars are counted from
    these (`is_done` decides which count), in as many rows as topics whatever the history.
    """
    rows_select, counts_select, resource_column = rows_sql()
    sql, params = rows_select, [learner_id]
    if resource_ids is not None:
        placeholders = ", ".join(["%s"] * len(resource_ids)) or "NULL"
        sql += f" AND {resource_column} IN ({placeholders})"
        params += list(resource_ids)
    if with_counts:
        sql += f" UNION ALL {counts_select}"
        params.append(learner_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    completed_at, resource_id = ROW_FIELDS.index("completed_at"), ROW_FIELDS.index("resource_id")
    status, topic_id = ROW_FIELDS.index("status"), len(ROW_FIELDS)
    rows = {
        row[resource_id]: (
            *row[:completed_at],
            aware(row[completed_at]),
            *row[completed_at + 1 : -1],
        )
        for row in found
        if row[resource_id] is not None
    }
    if not with_counts:
        return rows
    counts = [
        (row[topic_id], row[status], bool(row[topic_id + 1]), row[-1])
        for row in found
        if row[resource_id] is None
    ]
    return rows, counts


def learner_status_counts(learner_id):
    """The learner's rows counted per topic, status and published (see `learner_row_values`)."""
    return learner_row_values(learner_id, [], with_counts=True)[1]


def learner_credit_values(learner_id):
    """What may count toward the learner's degrees, in one statement: their rows with a status
    that counts, as (resource id, status, resource is published), and their evidence's states
    by milestone id (`progress.degrees.credit_from_rows` applies the rules)."""
    progress, resource, evidence = ResourceProgress._meta, Resource._meta, Evidence._meta
    statuses = ", ".join(["%s"] * len(DONE_STATUSES))
    sql = (
        f"SELECT p.{column(ResourceProgress, 'resource')}, p.{column(ResourceProgress, 'status')}, "
        f"r.{column(Resource, 'is_published')} "
        f"FROM {progress.db_table} p INNER JOIN {resource.db_table} r "
        f"ON r.{resource.pk.column} = p.{column(ResourceProgress, 'resource')} "
        f"WHERE p.{column(ResourceProgress, 'learner')} = %s "
        f"AND p.{column(ResourceProgress, 'status')} IN ({statuses}) "
        f"UNION ALL SELECT e.{column(Evidence, 'milestone')}, e.{column(Evidence, 'state')}, NULL "
        f"FROM {evidence.db_table} e WHERE e.{column(Evidence, 'learner')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner_id, *DONE_STATUSES, learner_id])
        rows = cursor.fetchall()
    resources = [
        (pk, status, bool(published)) for pk, status, published in rows if published is not None
    ]
    evidence_states = {pk: state for pk, state, published in rows if published is None}
    return resources, evidence_states


def learner_resource_row(learner_id, resource_id):
    """The learner's ResourceProgress for the resource, or None: what a mark reads first."""
    columns = ", ".join(field.column for field in ResourceProgress._meta.concrete_fields)
    sql = (
        f"SELECT {columns} FROM {ResourceProgress._meta.db_table} "
        f"WHERE {column(ResourceProgress, 'learner')} = %s "
        f"AND {column(ResourceProgress, 'resource')} = %s"
    )
    return next(iter(ResourceProgress.objects.raw(sql, [learner_id, resource_id])), None)


def lock_learner_row(learner_id):
    """Lock the learner's account row until the transaction ends (PostgreSQL, MySQL...)."""
    user = get_user_model()._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {user.db_table} WHERE {user.pk.column} = %s FOR UPDATE", [learner_id]
        )


def aware(moment):
    """SQLite hands back naive UTC datetimes where the ORM would make them aware."""
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment

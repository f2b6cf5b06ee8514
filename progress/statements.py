"""The statements every learner's page or write runs, written out in SQL.

The ORM compiles a statement again on every call; for these few, run on every page rendered
after a write or on every mark, that cost a fifth to a third of the request's CPU
(docs/performance.md). Each returns plain values, so the rules stay in Python, once:
`is_done` and `is_accepted` decide what counts, not the SQL. Table and column names come
from the models' `_meta`.
"""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connection

from catalog.models import Resource
from progress.models import DONE_STATUSES, Evidence, ResourceProgress

ROW_FIELDS = ("id", "learner_id", "resource_id", "status", "note", "completed_at")


def column(model, name):
    return model._meta.get_field(name).column


def learner_row_values(learner_id):
    """Every row of the learner's as plain values (`ROW_FIELDS`, then the resource's topic id
    and whether it is published), by resource id."""
    progress, resource = ResourceProgress._meta, Resource._meta
    columns = ", ".join(f"p.{column(ResourceProgress, name)}" for name in ROW_FIELDS)
    sql = (
        f"SELECT {columns}, r.{column(Resource, 'topic')}, r.{column(Resource, 'is_published')} "
        f"FROM {progress.db_table} p INNER JOIN {resource.db_table} r "
        f"ON r.{resource.pk.column} = p.{column(ResourceProgress, 'resource')} "
        f"WHERE p.{column(ResourceProgress, 'learner')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner_id])
        rows = cursor.fetchall()
    completed_at = ROW_FIELDS.index("completed_at")
    return {
        row[2]: (*row[:completed_at], aware(row[completed_at]), *row[completed_at + 1 :])
        for row in rows
    }


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

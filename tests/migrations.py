"""Migration tests start from the schema before a migration, with real rows, then migrate."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to `targets` and return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """Back to the newest schema, for the tests that follow (call it in a `finally`)."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

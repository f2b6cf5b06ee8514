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


def practitioner_awards(apps, awarded_at):
    """In the schema of `apps`: the Practitioner degree, and `award(name, **fields)`, which
    gives a new learner of that name the degree at `awarded_at` and returns the award's id."""
    User = apps.get_model("auth", "User")
    DegreeAward = apps.get_model("progress", "DegreeAward")
    degree = apps.get_model("catalog", "Degree").objects.create(
        slug="practitioner", title="Practitioner", rank=1
    )

    def award(name, **fields):
        learner = User.objects.create(username=name, email=f"{name}@example.com")
        return DegreeAward.objects.create(
            learner=learner, degree=degree, awarded_at=awarded_at, **fields
        ).public_id

    return award

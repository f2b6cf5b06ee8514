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
    """Back to the newest schema, with the search index `migrate` installs after migrating, for
    the tests that follow (call it in a `finally`)."""
    from catalog.search import install_index

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    install_index(connection)


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


# The index as the code of 0006 filled it: SQLite's FTS5 table without people and keywords,
# PostgreSQL's vectors from its own parser ("time-invariant" a compound beside its parts).
SEARCH_INDEX_OF_0006 = {
    "sqlite": [
        """CREATE VIRTUAL TABLE catalog_resource_fts USING fts5(title, provider, note,
           topic_text, tokenize = 'porter unicode61 remove_diacritics 2')""",
        """INSERT INTO catalog_resource_fts (rowid, title, provider, note, topic_text)
           SELECT r.id, r.title, r.provider || ' ' || r.kind, r.note,
                  t.title || ' ' || t.summary || ' ' || t.guidance
           FROM catalog_resource r JOIN catalog_topic t ON t.id = r.topic_id""",
        # One of its triggers on the topic table, which SQLite must drop to rebuild that table.
        """CREATE TRIGGER catalog_topic_fts_update
           AFTER UPDATE OF title, summary, guidance ON catalog_topic
           BEGIN DELETE FROM catalog_resource_fts
             WHERE rowid IN (SELECT id FROM catalog_resource WHERE topic_id = NEW.id); END""",
    ],
    "postgresql": [
        """UPDATE catalog_resource SET search_vector =
             setweight(to_tsvector('english', title), 'A')
             || setweight(to_tsvector('english', concat_ws(' ', provider, kind, note)), 'B')""",
        """UPDATE catalog_topic SET search_vector = setweight(
             to_tsvector('english', concat_ws(' ', title, summary, guidance)), 'D')""",
    ],
}

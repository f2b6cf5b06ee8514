"""Full-text search of the catalog: words matched by prefix and by stem, ranked, highlighted.

A resource is found by its title, provider, kind and note, and by its topic's title, summary and
guidance (so "eigen" finds the Linear Algebra resources, whose guidance speaks of eigenvalue
decomposition). Every word of the query must match somewhere; title matches rank first, then
provider, kind and note, then the topic's text.

Two engines, one behaviour:
- PostgreSQL: stored `tsvector` columns (`Resource.search_vector`, `Topic.search_vector`, with
  GIN indexes), queried with prefix `tsquery`s under the English stemmer.
- SQLite: an FTS5 table (`catalog_resource_fts`, Porter stemmer) with one row per resource,
  queried with prefix terms under the Porter stemmer.
Database triggers keep the index exact through every kind of change (see `install_index`).
"""

import re

import snowballstemmer
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

SQLITE_TABLE = "catalog_resource_fts"
MAX_TERMS = 8
# PostgreSQL's English stop words (the Snowball list): its stemmer never indexes them, so
# both engines drop them from queries alike.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("english")


def query_terms(query):
    """The lower-cased words of a query that search uses, without stop words, at most eight."""
    words = [word.lower() for word in _WORD.findall(query or "")]
    return [word for word in dict.fromkeys(words) if word not in STOP_WORDS][:MAX_TERMS]


def search_resources(resources, query):
    """Narrow a Resource queryset to the query's matches, best first; all of them if no words."""
    terms = query_terms(query)
    if not terms:
        return resources.order_by("topic__position", "topic__title", "position", "title")
    if connection.vendor == "postgresql":
        return _postgresql_search(resources, terms)
    return _sqlite_search(resources, terms)


def _postgresql_search(resources, terms):
    def prefix_query(weights=""):
        return SearchQuery(
            " | ".join(f"{term}:*{weights}" for term in terms), search_type="raw", config="english"
        )

    for term in terms:
        term_query = SearchQuery(f"{term}:*", search_type="raw", config="english")
        resources = resources.filter(
            Q(search_vector=term_query) | Q(topic__search_vector=term_query)
        )
    # Weight A is the title, B the provider, kind and note (see `index_resources`).
    return _ranked(
        resources,
        title_match=Q(search_vector=prefix_query("A")),
        body_match=Q(search_vector=prefix_query("B")),
    )


def _sqlite_search(resources, terms):
    # Each term is letters and digits only, so quoting it makes a literal FTS5 prefix query.
    any_term = " OR ".join(f'"{term}"*' for term in terms)

    def matching_ids(match):
        return RawSQL(f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [match])

    every_term = " AND ".join(f'"{term}"*' for term in terms)
    return _ranked(
        resources.filter(id__in=matching_ids(every_term)),
        title_match=Q(id__in=matching_ids(f"{{title}} : ({any_term})")),
        body_match=Q(id__in=matching_ids(f"{{provider note}} : ({any_term})")),
    )


def _ranked(resources, *, title_match, body_match):
    """Title matches first, then provider, kind or note matches, then the topic's text alone;
    within each, curriculum order."""
    rank = Case(
        When(title_match, then=Value(3)),
        When(body_match, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return resources.annotate(search_rank=rank).order_by(
        "-search_rank", "topic__position", "topic__title", "position", "title"
    )


# Keeping the index current -------------------------------------------------------------------
# Database triggers keep the index exact however rows change (admin, importer, fixtures, bulk
# inserts, raw SQL). They are (re)installed after every `migrate`, because SQLite drops a
# table's triggers when a migration rebuilds the table.

_POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION catalog_resource_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', concat_ws(' ', NEW.provider, NEW.kind, NEW.note)), 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER catalog_resource_search_vector
    BEFORE INSERT OR UPDATE OF title, provider, kind, note, search_vector ON catalog_resource
    FOR EACH ROW EXECUTE FUNCTION catalog_resource_search_vector()
    """,
    """
    CREATE OR REPLACE FUNCTION catalog_topic_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := setweight(
        to_tsvector('english', concat_ws(' ', NEW.title, NEW.summary, NEW.guidance)), 'D');
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER catalog_topic_search_vector
    BEFORE INSERT OR UPDATE OF title, summary, guidance, search_vector ON catalog_topic
    FOR EACH ROW EXECUTE FUNCTION catalog_topic_search_vector()
    """,
    *(
        f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin (search_vector)"
        for table in ("catalog_resource", "catalog_topic")
    ),
]
_POSTGRESQL_REBUILD = [
    # Assigning the column fires the triggers above, which compute it.
    "UPDATE catalog_resource SET search_vector = NULL",
    "UPDATE catalog_topic SET search_vector = NULL",
]

_SQLITE_ROWS_OF_RESOURCE = f"""
    INSERT INTO {SQLITE_TABLE} (rowid, title, provider, note, topic_text)
    SELECT r.id, r.title, r.provider || ' ' || r.kind, r.note,
           t.title || ' ' || t.summary || ' ' || t.guidance
    FROM catalog_resource r JOIN catalog_topic t ON t.id = r.topic_id
"""
_SQLITE_INSTALL = [
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(
        title, provider, note, topic_text, tokenize = 'porter unicode61 remove_diacritics 2')
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS catalog_resource_fts_insert AFTER INSERT ON catalog_resource
    BEGIN {_SQLITE_ROWS_OF_RESOURCE} WHERE r.id = NEW.id; END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS catalog_resource_fts_update
    AFTER UPDATE OF title, provider, kind, note, topic_id ON catalog_resource
    BEGIN
      DELETE FROM {SQLITE_TABLE} WHERE rowid = OLD.id;
      {_SQLITE_ROWS_OF_RESOURCE} WHERE r.id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS catalog_resource_fts_delete AFTER DELETE ON catalog_resource
    BEGIN DELETE FROM {SQLITE_TABLE} WHERE rowid = OLD.id; END
    """,
    *(
        f"""
        CREATE TRIGGER IF NOT EXISTS catalog_topic_fts_{event.split()[0].lower()}
        AFTER {event} ON catalog_topic
        BEGIN
          DELETE FROM {SQLITE_TABLE}
          WHERE rowid IN (SELECT id FROM catalog_resource WHERE topic_id = NEW.id);
          {_SQLITE_ROWS_OF_RESOURCE} WHERE r.topic_id = NEW.id;
        END
        """
        for event in ("INSERT", "UPDATE OF title, summary, guidance")
    ),
]
_SQLITE_REBUILD = [f"DELETE FROM {SQLITE_TABLE}", _SQLITE_ROWS_OF_RESOURCE]
_SQLITE_TRIGGERS = [
    "catalog_resource_fts_insert",
    "catalog_resource_fts_update",
    "catalog_resource_fts_delete",
    "catalog_topic_fts_insert",
    "catalog_topic_fts_update",
]


def drop_sqlite_triggers(apps, schema_editor):
    """A migration step before SQLite rebuilds catalog_topic or catalog_resource: the
    resource triggers name the topic table, so renaming a rebuilt table fails while they
    exist. `install_index` puts them back after the migrate."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in _SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_index(connection):
    """Create the index and its triggers if missing, and fill it if it is out of step."""
    if connection.vendor == "postgresql":
        statements, stale = (
            _POSTGRESQL_INSTALL,
            (
                "SELECT EXISTS (SELECT 1 FROM catalog_resource WHERE search_vector IS NULL) "
                "OR EXISTS (SELECT 1 FROM catalog_topic WHERE search_vector IS NULL)"
            ),
        )
    elif connection.vendor == "sqlite":
        statements, stale = (
            _SQLITE_INSTALL,
            (
                f"SELECT (SELECT count(*) FROM {SQLITE_TABLE}) "
                "!= (SELECT count(*) FROM catalog_resource)"
            ),
        )
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(stale)
        if cursor.fetchone()[0]:
            rebuild_index(connection)


def rebuild_index(connection):
    """Recompute the whole index from the topics and resources."""
    statements = {"postgresql": _POSTGRESQL_REBUILD, "sqlite": _SQLITE_REBUILD}
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)


# Showing what matched ------------------------------------------------------------------------


def _matcher(terms):
    stems = [_stemmer.stemWord(term) for term in terms]

    def matches(word):
        lowered = word.lower()
        return any(
            lowered.startswith(stem) or lowered.startswith(term)
            for term, stem in zip(terms, stems, strict=True)
        )

    return matches


def snippet(texts, terms, *, width=90):
    """A highlighted excerpt around the first matched word of the first text that has one."""
    matches = _matcher(terms)
    for text in texts:
        for found in _WORD.finditer(text or ""):
            if matches(found.group()):
                start = max(0, found.start() - width // 3)
                excerpt = text[start : start + width]
                prefix = "…" if start else ""
                suffix = "…" if start + width < len(text) else ""
                return mark_safe(f"{prefix}{highlight(excerpt, terms)}{suffix}")
    return ""


def highlight(text, terms):
    """Escape `text` and wrap each word that a search term matches (by prefix or stem) in <mark>."""
    text = str(text or "")
    if not terms:
        return escape(text)
    matches = _matcher(terms)
    pieces, position = [], 0
    for found in _WORD.finditer(text):
        pieces.append(escape(text[position : found.start()]))
        word = found.group()
        pieces.append(f"<mark>{escape(word)}</mark>" if matches(word) else escape(word))
        position = found.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))

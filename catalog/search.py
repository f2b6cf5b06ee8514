"""Full-text search of the catalog: words matched by prefix and by stem, through synonyms and
past typing slips, ranked, highlighted, and suggestions when nothing matches.

What search finds are listings (a resource in a curriculum's topic): a listing is found by its
resource's title, provider, kind, note, people and keywords, and by its topic's title, summary
and guidance (so "eigen" finds the Linear Algebra resources, whose guidance speaks of eigenvalue
decomposition). Every word of the query must match somewhere; title matches rank first, then
provider, kind, note, people and keywords, then the topic's text.

What a word also finds (`expand_terms`, from the `SearchLexicon`):
- its synonyms' expansions, curator-written (`catalog.SearchSynonym`): "svd" also finds the
  phrase "singular value decomposition" (a phrase matches its words in that order, each by stem);
- the catalog's own words one typing slip away (a letter added, dropped or changed, or two
  neighbours swapped) from a word of five letters or more, so the source list's "Compoenent"
  answers "component". Results that need such a slip come after those that do not.

Two engines, one behaviour:
- PostgreSQL: stored `tsvector` columns (`Resource.search_vector`, `Topic.search_vector`, with
  GIN indexes), queried with prefix and phrase `tsquery`s under the English stemmer.
- SQLite: an FTS5 table (`catalog_resource_fts`, Porter stemmer) with one row per listing (its
  resource's text and its topic's), queried with prefix and phrase terms under the Porter
  stemmer.
Database triggers keep the index exact through every kind of change (see `install_index`).
"""

import bisect
import difflib
import functools
import itertools
import re
from dataclasses import dataclass, field

import snowballstemmer
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import mark_safe

SQLITE_TABLE = "catalog_resource_fts"
SQLITE_COLUMNS = ("title", "provider", "note", "people", "keywords", "topic_text")
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

# A typing slip is looked for only in words this long: shorter ones have too many real words
# one letter away (mean, men, meat), and abbreviations are what synonyms are for.
SLIP_MIN_LENGTH = 5
MAX_SLIPS_PER_WORD = 3
MAX_PHRASES_PER_WORD = 8
MAX_SUGGESTIONS = 3
# How alike (difflib's ratio) a catalog word must be to a word that finds nothing to be
# suggested in its place.
SUGGESTION_CUTOFF = 0.7


def query_terms(query):
    """The lower-cased words of a query that search uses, without stop words, at most eight."""
    words = [word.lower() for word in _WORD.findall(query or "")]
    return [word for word in dict.fromkeys(words) if word not in STOP_WORDS][:MAX_TERMS]


def words_of(text):
    """The lower-cased words of a text, in order."""
    return [word.lower() for word in _WORD.findall(text or "")]


def phrases_of(text):
    """The phrases of a comma-separated list, each as its lower-cased words."""
    phrases = (tuple(words_of(part)) for part in (text or "").split(","))
    return tuple(dict.fromkeys(phrase for phrase in phrases if phrase))


def stem(word):
    return _stemmer.stemWord(word)


# What search knows of the catalog's words ---------------------------------------------------


@dataclass(frozen=True)
class SearchLexicon:
    """The synonyms (a term: the phrases it also finds) and the vocabulary (the sorted, distinct
    lower-cased words of published resources and their topics, stop words left out)."""

    synonyms: dict = field(default_factory=dict)
    vocabulary: tuple = ()
    letters: str = ""  # every letter of the vocabulary: what a slip may add or change

    @classmethod
    def from_texts(cls, synonym_rows, texts):
        """From (term, expansions) rows and the catalog's texts."""
        synonyms = {}
        for term, expansions in synonym_rows:
            # Stop words at a phrase's ends would match anything on SQLite and nothing on
            # PostgreSQL (which drops them): both engines search the rest.
            phrases = [_trimmed(phrase) for phrase in phrases_of(expansions)]
            if any(phrases):
                synonyms[term.lower()] = tuple(dict.fromkeys(p for p in phrases if p))
        words = {word for text in texts for word in words_of(text)}
        vocabulary = tuple(sorted(w for w in words if len(w) > 2 and w not in STOP_WORDS))
        letters = "".join(sorted(set("".join(vocabulary))))
        return cls(synonyms=synonyms, vocabulary=vocabulary, letters=letters)

    def has_word(self, word):
        index = bisect.bisect_left(self.vocabulary, word)
        return index < len(self.vocabulary) and self.vocabulary[index] == word

    def has_word_starting(self, prefix):
        index = bisect.bisect_left(self.vocabulary, prefix)
        return index < len(self.vocabulary) and self.vocabulary[index].startswith(prefix)

    def synonym_phrases(self, word):
        """The phrases a word also finds; a plural ("CNNs") finds what its singular does."""
        if word in self.synonyms:
            return self.synonyms[word]
        return self.synonyms.get(word.removesuffix("s"), ()) if len(word) > 3 else ()

    def slips(self, word):
        """The catalog's words one typing slip from `word` (five letters or more) that it does
        not already match by prefix or stem."""
        if len(word) < SLIP_MIN_LENGTH:
            return ()
        word_stem = stem(word)
        found = sorted(
            candidate
            for candidate in _one_slip_away(word, self.letters)
            if self.has_word(candidate)
            and not candidate.startswith(word)
            and not candidate.startswith(word_stem)
        )
        return tuple(found[:MAX_SLIPS_PER_WORD])

    def knows(self, word):
        """Whether the word finds anything: a catalog word starts with it or its stem, it is a
        synonym, or it is a slip away from a catalog word."""
        return (
            self.has_word_starting(word)
            or self.has_word_starting(stem(word))
            or bool(self.synonym_phrases(word))
            or bool(self.slips(word))
        )

    def nearest_words(self, word):
        """The catalog's words (and synonym terms) most like `word`, most alike first."""
        candidates = [*self.vocabulary, *self.synonyms]
        return difflib.get_close_matches(
            word, candidates, n=MAX_SUGGESTIONS, cutoff=SUGGESTION_CUTOFF
        )


def _trimmed(phrase):
    start, end = 0, len(phrase)
    while start < end and phrase[start] in STOP_WORDS:
        start += 1
    while end > start and phrase[end - 1] in STOP_WORDS:
        end -= 1
    return phrase[start:end]


def _one_slip_away(word, letters):
    """Every string one edit from `word`: a letter dropped, two neighbours swapped, a letter
    changed or added (Damerau's four kinds of typing slip)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    dropped = (a + b[1:] for a, b in splits if b)
    swapped = (a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    changed = (a + letter + b[1:] for a, b in splits if b for letter in letters)
    added = (a + letter + b for a, b in splits for letter in letters)
    return set(itertools.chain(dropped, swapped, changed, added)) - {word}


# A query, with what each word also finds -----------------------------------------------------


@dataclass(frozen=True)
class TermMatch:
    """One word of the query and its alternatives, each a tuple of words: one word matches by
    prefix and stem, several are a phrase (in that order, each by stem). `exact` holds the word
    itself and its synonyms' phrases; `slips` the same with catalog words a typing slip away."""

    word: str
    exact: tuple = ()
    slips: tuple = ()

    @property
    def alternatives(self):
        return self.exact + self.slips


@dataclass(frozen=True)
class SearchTerms:
    """What a query searches for: a `TermMatch` per word. Its text is stable (a cache key)."""

    matches: tuple = ()

    def __iter__(self):
        return iter(self.matches)

    def __len__(self):
        return len(self.matches)

    def __str__(self):
        return ";".join(
            f"{m.word}={'|'.join(map(' '.join, m.exact))}/{'|'.join(map(' '.join, m.slips))}"
            for m in self.matches
        )

    @property
    def words(self):
        return [match.word for match in self.matches]

    @property
    def has_slips(self):
        return any(match.slips for match in self.matches)

    @classmethod
    def of_words(cls, words):
        """The words alone, with nothing more that they find."""
        return cls(tuple(TermMatch(word, exact=((word,),)) for word in words))


def expand_terms(words, lexicon):
    """Each word with what it also finds: its synonyms' phrases, and the same with the catalog's
    words a typing slip away (in a phrase, each word of five letters or more may be slipped)."""
    slips_of = functools.cache(lexicon.slips)
    matches = []
    for word in words:
        exact = ((word,), *lexicon.synonym_phrases(word))[: MAX_PHRASES_PER_WORD + 1]
        slips = []
        for alternative in exact:
            choices = [(w, *slips_of(w)) for w in alternative]
            slips.extend(
                variant
                for variant in itertools.islice(itertools.product(*choices), 1, None)
                if variant not in exact
            )
        matches.append(
            TermMatch(word, exact=exact, slips=tuple(dict.fromkeys(slips))[:MAX_PHRASES_PER_WORD])
        )
    return SearchTerms(tuple(matches))


def suggest_queries(words, lexicon):
    """When a query's words find nothing: queries that would find something, best first. Each
    word the catalog does not know is replaced by the nearest words it does, or left out when
    none is near. None if every word is known (then it is their combination, or a filter, that
    finds nothing)."""
    nearest = {word: lexicon.nearest_words(word) for word in words if not lexicon.knows(word)}
    if not nearest:
        return []

    def query(chosen):
        return " ".join(chosen.get(word, word) for word in words if chosen.get(word, word))

    best = {word: choices[0] if choices else "" for word, choices in nearest.items()}
    suggestions = [query(best)]
    for word, choices in nearest.items():
        suggestions += [query({**best, word: choice}) for choice in choices[1:]]
    return [suggestion for suggestion in dict.fromkeys(suggestions) if suggestion][:MAX_SUGGESTIONS]


# Querying the engines -------------------------------------------------------------------------


def search_listings(listings, terms):
    """Narrow a Listing queryset to the matches of `terms` (`SearchTerms`), best first; all of
    them, in curriculum order, if there are no terms."""
    if not terms:
        return listings.order_by(*curriculum_order())
    if connection.vendor == "postgresql":
        return _postgresql_search(listings, terms)
    return _sqlite_search(listings, terms)


def curriculum_order():
    """Listings in the curricula's order (the default one first, as `main_first`), then each
    curriculum's: topic by topic, each topic's resources in the curator's order."""
    from catalog.models import default_curriculum_slug  # catalog.models imports this module

    in_default = Case(
        When(topic__curriculum__slug=default_curriculum_slug(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        in_default,
        "topic__curriculum__position",
        "topic__curriculum_id",
        "topic__position",
        "topic__title",
        "position",
        "resource__title",
        "pk",
    )


def one_per_resource(ranked_listings):
    """Of a ranked Listing queryset, each resource's first listing, in the same order: a work
    listed in several curricula is one result (a learner's progress on it is one), found
    through the place where it matched best."""
    # A window numbers each resource's listings in the results' order, in one pass: a
    # subquery per listing would run the search again for every row.
    place_in_resource = Window(
        RowNumber(), partition_by=F("resource"), order_by=ranked_listings.query.order_by
    )
    firsts = (
        ranked_listings.annotate(place_in_resource=place_in_resource)
        .filter(place_in_resource=1)
        .values("pk")
    )
    return ranked_listings.filter(pk__in=firsts)


def _tsquery_alternative(words, weights):
    if len(words) == 1:
        return f"{words[0]}:*{weights}"
    return "(" + " <-> ".join(f"{word}:{weights}" if weights else word for word in words) + ")"


def _tsquery(alternatives, weights=""):
    return SearchQuery(
        " | ".join(_tsquery_alternative(words, weights) for words in alternatives),
        search_type="raw",
        config="english",
    )


def _postgresql_search(listings, terms):
    every_alternative = [words for match in terms for words in match.alternatives]

    def matching(alternatives_of):
        condition = Q()
        for match in terms:
            term_query = _tsquery(alternatives_of(match))
            condition &= Q(resource__search_vector=term_query) | Q(topic__search_vector=term_query)
        return condition

    # Weight A is the title, B the provider, kind, note, people and keywords (see the triggers).
    return _ranked(
        listings.filter(matching(lambda match: match.alternatives)),
        exact_match=matching(lambda match: match.exact) if terms.has_slips else None,
        title_match=Q(resource__search_vector=_tsquery(every_alternative, "A")),
        body_match=Q(resource__search_vector=_tsquery(every_alternative, "B")),
    )


def _fts5_alternative(words):
    # Every word is letters and digits only, so quoting makes a literal FTS5 prefix or phrase.
    return f'"{words[0]}"*' if len(words) == 1 else '"' + " ".join(words) + '"'


def _fts5_any(alternatives):
    return "(" + " OR ".join(_fts5_alternative(words) for words in alternatives) + ")"


def _sqlite_search(listings, terms):
    def matching_ids(match):
        return RawSQL(f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [match])

    def every_term(alternatives_of):
        return " AND ".join(_fts5_any(alternatives_of(match)) for match in terms)

    any_term = _fts5_any([words for match in terms for words in match.alternatives])
    return _ranked(
        listings.filter(id__in=matching_ids(every_term(lambda match: match.alternatives))),
        exact_match=(
            Q(id__in=matching_ids(every_term(lambda match: match.exact)))
            if terms.has_slips
            else None
        ),
        title_match=Q(id__in=matching_ids(f"{{title}} : {any_term}")),
        body_match=Q(id__in=matching_ids(f"{{provider note people keywords}} : {any_term}")),
    )


def _ranked(listings, *, exact_match, title_match, body_match):
    """Matches without a typing slip first (when there are slips); then title matches, then
    provider, kind, note, people or keywords matches, then the topic's text alone; within
    each, curriculum order (`curriculum_order`)."""
    rank = Case(
        When(title_match, then=Value(3)),
        When(body_match, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    order = ["-search_rank", *curriculum_order()]
    if exact_match is not None:
        exact = Case(
            When(exact_match, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        listings = listings.annotate(search_exact=exact)
        order.insert(0, "-search_exact")
    return listings.annotate(search_rank=rank).order_by(*order)


# Keeping the index current -------------------------------------------------------------------
# Database triggers keep the index exact however rows change (admin, importer, fixtures, bulk
# inserts, raw SQL). They are (re)installed after every `migrate`, because SQLite drops a
# table's triggers when a migration rebuilds the table.

_POSTGRESQL_INSTALL = [
    # The words of a text as SQLite's FTS5 and `query_terms` see them: runs of letters and
    # digits. (PostgreSQL's own parser keeps "time-invariant" as a compound beside its parts and
    # "18.06" as one number, so phrases and numbers would match differently on the engines.)
    """
    CREATE OR REPLACE FUNCTION catalog_search_words(text) RETURNS text AS $$
      SELECT regexp_replace(coalesce($1, ''), '[^[:alnum:]]+', ' ', 'g')
    $$ LANGUAGE sql IMMUTABLE
    """,
    """
    CREATE OR REPLACE FUNCTION catalog_resource_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('english', catalog_search_words(NEW.title)), 'A') ||
        setweight(to_tsvector('english', catalog_search_words(concat_ws(
          ' ', NEW.provider, NEW.kind, NEW.note, NEW.people, NEW.keywords))), 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER catalog_resource_search_vector
    BEFORE INSERT OR UPDATE OF title, provider, kind, note, people, keywords, search_vector
    ON catalog_resource
    FOR EACH ROW EXECUTE FUNCTION catalog_resource_search_vector()
    """,
    """
    CREATE OR REPLACE FUNCTION catalog_topic_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := setweight(to_tsvector('english', catalog_search_words(
        concat_ws(' ', NEW.title, NEW.summary, NEW.guidance))), 'D');
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

_SQLITE_ROWS_OF_LISTING = f"""
    INSERT INTO {SQLITE_TABLE} (rowid, title, provider, note, people, keywords, topic_text)
    SELECT l.id, r.title, r.provider || ' ' || r.kind, r.note, r.people, r.keywords,
           t.title || ' ' || t.summary || ' ' || t.guidance
    FROM catalog_listing l
    JOIN catalog_resource r ON r.id = l.resource_id JOIN catalog_topic t ON t.id = l.topic_id
"""
_SQLITE_INSTALL = [
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(
        {", ".join(SQLITE_COLUMNS)}, tokenize = 'porter unicode61 remove_diacritics 2')
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS catalog_listing_fts_insert AFTER INSERT ON catalog_listing
    BEGIN {_SQLITE_ROWS_OF_LISTING} WHERE l.id = NEW.id; END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS catalog_listing_fts_update
    AFTER UPDATE OF resource_id, topic_id ON catalog_listing
    BEGIN
      DELETE FROM {SQLITE_TABLE} WHERE rowid = OLD.id;
      {_SQLITE_ROWS_OF_LISTING} WHERE l.id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS catalog_listing_fts_delete AFTER DELETE ON catalog_listing
    BEGIN DELETE FROM {SQLITE_TABLE} WHERE rowid = OLD.id; END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS catalog_resource_fts_update
    AFTER UPDATE OF title, provider, kind, note, people, keywords ON catalog_resource
    BEGIN
      DELETE FROM {SQLITE_TABLE}
      WHERE rowid IN (SELECT id FROM catalog_listing WHERE resource_id = NEW.id);
      {_SQLITE_ROWS_OF_LISTING} WHERE l.resource_id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS catalog_topic_fts_update
    AFTER UPDATE OF title, summary, guidance ON catalog_topic
    BEGIN
      DELETE FROM {SQLITE_TABLE}
      WHERE rowid IN (SELECT id FROM catalog_listing WHERE topic_id = NEW.id);
      {_SQLITE_ROWS_OF_LISTING} WHERE l.topic_id = NEW.id;
    END
    """,
]
_SQLITE_REBUILD = [f"DELETE FROM {SQLITE_TABLE}", _SQLITE_ROWS_OF_LISTING]
# Every trigger the index has had (those of a row per resource, before listings, too): a
# migration drops them all, whichever schema it starts from.
_SQLITE_TRIGGERS = [
    "catalog_listing_fts_insert",
    "catalog_listing_fts_update",
    "catalog_listing_fts_delete",
    "catalog_resource_fts_insert",
    "catalog_resource_fts_update",
    "catalog_resource_fts_delete",
    "catalog_topic_fts_insert",
    "catalog_topic_fts_update",
]


def drop_sqlite_triggers(apps, schema_editor):
    """A migration step before SQLite rebuilds a table the index's triggers name (a trigger
    naming another table stops the rebuild's rename). `install_index` puts them back after the
    migrate."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in _SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def drop_sqlite_index(apps, schema_editor):
    """`drop_sqlite_triggers`, and the index's table: for a migration after which the index's
    rows mean something else. `install_index` makes and fills it again after the migrate."""
    drop_sqlite_triggers(apps, schema_editor)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")


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
                "!= (SELECT count(*) FROM catalog_listing)"
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
    """Recompute the whole index from the listings, their resources and topics."""
    statements = {"postgresql": _POSTGRESQL_REBUILD, "sqlite": _SQLITE_REBUILD}
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)


# Showing what matched ------------------------------------------------------------------------


def _as_search_terms(terms):
    return terms if isinstance(terms, SearchTerms) else SearchTerms.of_words(terms or [])


def _marked_words(words, terms):
    """The indexes of `words` (a text's words, in order) that `terms` match: a word by prefix
    or stem, a phrase where its words follow each other, each the same word or stem."""
    prefixes, phrases = set(), []
    for match in terms:
        for alternative in match.alternatives:
            if len(alternative) == 1:
                prefixes.update((alternative[0], stem(alternative[0])))
            else:
                phrases.append([(word, stem(word)) for word in alternative])
    prefixes = tuple(prefixes)
    lowered = [word.lower() for word in words]
    marked = {index for index, word in enumerate(lowered) if word.startswith(prefixes)}
    if phrases:
        stems = [stem(word) for word in lowered]
        for index in range(len(lowered)):
            for phrase in phrases:
                end = index + len(phrase)
                if end <= len(lowered) and all(
                    lowered[index + k] == word or stems[index + k] == word_stem
                    for k, (word, word_stem) in enumerate(phrase)
                ):
                    marked.update(range(index, end))
    return marked


def snippet(texts, terms, *, width=90):
    """A highlighted excerpt of about `width` characters around the first matched word of the
    first text that has one; it starts and ends with whole words."""
    terms = _as_search_terms(terms)
    for text in texts:
        found = list(_WORD.finditer(text or ""))
        marked = _marked_words([word.group() for word in found], terms)
        if not marked:
            continue
        first = min(marked)
        earliest = found[first].start() - width // 3
        start_word = next(i for i in range(first + 1) if found[i].start() >= earliest)
        start = 0 if start_word == 0 else found[start_word].start()
        latest = start + width
        end_word = max(
            (i for i in range(first, len(found)) if found[i].end() <= latest), default=first
        )
        end = len(text) if end_word == len(found) - 1 else found[end_word].end()
        prefix = "…" if start else ""
        suffix = "…" if end < len(text) else ""
        return mark_safe(f"{prefix}{highlight(text[start:end], terms)}{suffix}")
    return ""


def matched_phrases(phrases, terms):
    """Those of `phrases` (a field's comma-separated items) that `terms` match, highlighted and
    joined by commas; "" if none."""
    terms = _as_search_terms(terms)
    marked = [highlight(phrase, terms) for phrase in phrases]
    return mark_safe(", ".join(phrase for phrase in marked if "<mark>" in phrase))


def highlight(text, terms):
    """Escape `text` and wrap each word that a search term matches (by prefix or stem, or in a
    phrase of its synonyms) in <mark>. `terms` is `SearchTerms` or a list of words."""
    text = str(text or "")
    terms = _as_search_terms(terms)
    if not terms:
        return escape(text)
    found = list(_WORD.finditer(text))
    marked = _marked_words([match.group() for match in found], terms)
    pieces, position = [], 0
    for index, match in enumerate(found):
        pieces.append(escape(text[position : match.start()]))
        word = escape(match.group())
        pieces.append(f"<mark>{word}</mark>" if index in marked else word)
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))

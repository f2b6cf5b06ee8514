"""`no_writes()`: a block that must read only (GET never changes state), checked on the SQL it
runs."""

import re
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

CACHE_TABLES = re.compile(r"\bmlmath_(cache|ratelimits)\b")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes_in(queries):
    return [query["sql"] for query in queries if WRITE.match(query["sql"])]


@contextmanager
def no_writes():
    """Fail if the block inserts, updates or deletes a row.

    The caches are not the database's business here: with the database cache (the tests'
    default), a cached render is an INSERT into the cache table, which is not state."""
    with CaptureQueriesContext(connection) as queries:
        yield queries
    assert [sql for sql in writes_in(queries) if not CACHE_TABLES.search(sql)] == []

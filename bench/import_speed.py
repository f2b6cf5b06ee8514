"""How long `import_awesome` takes on a large list, into an empty catalog and again.

    python bench/import_speed.py [--sections 20] [--entries 50] [--same-title PDF]

It writes a generated awesome list (20 sections of 50 entries: 1,000 resources by default),
makes a fresh SQLite database in a temporary directory (the embedded default; set
DATABASE_URL to measure another, empty, database), imports the list into the empty catalog,
then imports it again (nothing changes), and prints the seconds and SQL queries of each run,
reading and parsing the file included. The target (issue 19) is under 10 s for 1,000 entries
on SQLite. With --same-title every entry has the same link text (real lists' "PDF",
"Slides"), so every new resource's slug needs a suffix. Not a test: timings vary by machine.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.catalog.generated_lists import generated_awesome_list


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=20)
    parser.add_argument("--entries", type=int, default=50, help="entries per section")
    parser.add_argument(
        "--same-title",
        metavar="TITLE",
        help='give every entry this link text, as real lists\' "PDF" and "Slides" links',
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlmath-import-speed-") as workdir:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlmath.settings")
        os.environ.setdefault("DEBUG", "1")  # a development SECRET_KEY; nothing is served
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/import-speed.sqlite3")
        list_text = generated_awesome_list(
            options.sections, options.entries, title=options.same_title
        )
        measure(Path(workdir) / "generated-list.md", list_text)


def measure(path, list_text):
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from catalog.models import Resource

    call_command("migrate", verbosity=0, interactive=False)
    if Resource.objects.exists():
        sys.exit("The database already holds resources: measure on an empty one.")
    path.write_text(list_text, encoding="utf-8")
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor)
    print(f"{list_text.count('](https://')} entries, {vendor}")
    for run in ["into an empty catalog", "again, nothing changed"]:
        seconds, queries, report = timed_import(path)
        print(f"  import {run}: {seconds:.2f} s, {queries} queries. {report.summary()}")


def timed_import(path):
    """(seconds, queries, report) of one import of the file, reading and parsing included."""
    from django.db import connection

    from catalog.awesome import import_awesome_list, read_awesome_list
    from catalog.models import default_curriculum

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: that keeps only the last 9,000 queries.
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        awesome_list = read_awesome_list(path.read_bytes(), source=path.name)
        report = import_awesome_list(awesome_list, curriculum=default_curriculum())
        seconds = time.perf_counter() - started
    return seconds, len(queries), report


if __name__ == "__main__":
    main()

"""The benchmark's Django-side steps, run by `bench/run.py` in the server's environment.

    python bench/tasks.py build seed|large|many   the data set (kept and reused when it is there)
    python bench/tasks.py reset              undo what the last run's marking changed
    python bench/tasks.py sessions           signed-in sessions and what the load generator needs
    python bench/tasks.py queries PATH...    SQL queries per page (warm), via the test client
    python bench/tasks.py study-queries KEY CSRF   SQL queries of one study-session sequence
    python bench/tasks.py activity           the study learners' activity rows since the history

Each prints one JSON object on its last line of standard output.
"""

import json
import math
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlmath.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalog.models import (  # noqa: E402
    Curriculum,
    Degree,
    Listing,
    Milestone,
    Requirement,
    Resource,
    Topic,
    default_curriculum,
    default_curriculum_slug,
)
from progress.models import Activity, ResourceProgress, Status  # noqa: E402

RANDOM_SEED = 20261125
BENCH_LEARNERS = 50  # learner-00000 ... learner-00049: the marking loops and the open loop
STUDY_LEARNERS = 300  # learner-00000 ... learner-00299: the study session (bench/study.lua)
MARKING_LEARNERS = 4  # the closed loop rotates over these, each with the measured history
TOGGLE_COUNT = {"seed": 4, "large": 20, "many": 20}  # resources the benchmark marks back and forth
SIZES = {
    # topics, resources, learners, progress rows, activity rows, measured learner's completions
    "seed": {"learners": STUDY_LEARNERS, "completions": 5},
    "large": {
        "topics": 100,
        "resources": 1000,
        "learners": 10_000,
        "progress": 500_000,
        "activity": 50_000,
        "completions": 500,
    },
    # The default curriculum as at the large size, and 19 more of the same size (issue 19).
    "many": {
        "curricula": 20,
        "topics": 100,  # per curriculum
        "resources": 1000,  # listings per curriculum
        "shared": 50,  # of them, resources the curriculum before lists too (the same work)
        "degrees": 3,  # per curriculum besides the default's own
        "learners": 10_000,
        # How many curricula a learner studies (1 to 5), and how often each count is drawn.
        "curricula_per_learner": {1: 40, 2: 25, 3: 15, 4: 12, 5: 8},
        # A learner's rows in a curriculum they study: log-normal, a median of 15, at most 600.
        "rows_median": 15,
        "rows_max": 600,
        "activity": 50_000,
        "completions": 500,  # the measured learners', in the default curriculum
        "other_completions": 100,  # theirs in each of 4 other curricula
    },
}
# Generated history is dated before this, so a run's own activity is easy to tell apart.
HISTORY_ENDS = datetime(2025, 1, 1, tzinfo=UTC)
GUIDANCE = """Work through the **{title}** resources in order; each builds on the last.

- Start with the introductory course and do its exercises.
- Then read the book chapters on *{title}*, and keep notes.
- Come back to the [reference]({url}) when you need it.

> Understanding beats speed: redo the proofs you could not follow.
"""


def learner_name(number):
    return f"learner-{number:05d}"


def emit(result):
    print(json.dumps(result))


def dataset_present(size):
    User = get_user_model()
    if not User.objects.filter(username=learner_name(0)).exists():
        return False
    if size == "seed":
        return True
    if size == "many":
        spec = SIZES["many"]
        # The build is one transaction: its last learner means everything else is there too.
        return (
            Curriculum.objects.count() == spec["curricula"]
            and Listing.objects.count() == spec["curricula"] * spec["resources"]
            and User.objects.filter(username=learner_name(spec["learners"] - 1)).exists()
        )
    spec = SIZES["large"]
    # At least: rows a benchmark's marking added after its last reset are removed by the next.
    return (
        Topic.objects.count() == spec["topics"]
        and Resource.objects.count() == spec["resources"]
        and User.objects.filter(username=learner_name(spec["learners"] - 1)).exists()
        and ResourceProgress.objects.count() >= spec["progress"]
    )


def toggle_resource_ids(size):
    """The last published resources by id of the default curriculum (whose pages the benchmark
    reads): nobody's generated history touches them."""
    ids = (
        Resource.objects.published()
        .filter(listings__topic__curriculum__slug=default_curriculum_slug())
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    return sorted(ids[: TOGGLE_COUNT[size]])


def build(size):
    if dataset_present(size):
        # A seed data set built before the study session had 50 learners.
        added = create_learners(STUDY_LEARNERS, only_missing=True)
        emit({"built": False, "reused": True, "learners_added": added})
        return
    started = time.monotonic()
    rng = random.Random(RANDOM_SEED)
    call_command("loaddata", "catalog", verbosity=0)
    with transaction.atomic():
        if size in ("large", "many"):
            grow_catalog(rng, SIZES[size])
        toggles = set(toggle_resource_ids(size))
        if size == "many":
            add_curricula(rng, SIZES["many"], toggles)
        create_learners(SIZES[size]["learners"])
        learner_ids = list(
            get_user_model()
            .objects.filter(username__startswith="learner-")
            .order_by("username")
            .values_list("pk", flat=True)
        )
        resource_ids = [
            pk
            for pk in Resource.objects.published().order_by("pk").values_list("pk", flat=True)
            if pk not in toggles
        ]
        if size == "many":
            rows = many_history_rows(rng, SIZES["many"], learner_ids, toggles)
        else:
            rows = history_rows(rng, size, learner_ids, resource_ids)
        insert_progress(rows)
        if size in ("large", "many"):
            insert_activity(rng, SIZES[size]["activity"], learner_ids, resource_ids)
    if connection.vendor == "postgresql":
        # Planner statistics now, as a database in service has them: until autovacuum gets to
        # the new rows, the dashboard's topic query took 3.6 s instead of 0.37 at the many size.
        tables = ", ".join(map(connection.ops.quote_name, connection.introspection.table_names()))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")  # this schema's tables, not the database's
    emit(
        {
            "built": True,
            "progress_rows": ResourceProgress.objects.count(),
            "seconds": round(time.monotonic() - started),
        }
    )


def grow_catalog(rng, spec):
    curriculum = default_curriculum()
    existing_topics = list(Topic.objects.in_curriculum(curriculum).order_by("position", "pk"))
    new_topics = Topic.objects.bulk_create(
        Topic(
            curriculum=curriculum,
            slug=f"generated-topic-{i:03d}",
            title=f"Generated topic {i:03d}",
            summary=f"Generated topic number {i} for the benchmark's large catalog.",
            guidance=GUIDANCE.format(
                title=f"Generated topic {i:03d}", url=f"https://example.org/topics/{i}"
            ),
            position=1000 + 10 * i,
        )
        for i in range(spec["topics"] - len(existing_topics))
    )
    topics = existing_topics + new_topics
    Prerequisite = Topic.prerequisites.through
    Prerequisite.objects.bulk_create(
        Prerequisite(from_topic=topic, to_topic=earlier)
        for index, topic in enumerate(new_topics)
        for earlier in rng.sample(topics[: len(existing_topics) + index], k=2)
    )
    kinds = [choice.value for choice in Resource.Kind]
    levels = [choice.value for choice in Resource.Level]
    count = spec["resources"] - Resource.objects.count()
    resources = Resource.objects.bulk_create(
        Resource(
            slug=f"generated-{i:04d}",
            title=f"Generated resource {i:04d} on {topics[i % len(topics)].title}",
            url=f"https://example.org/resources/{i}",
            provider=rng.choice(["Khan Academy", "edX", "MIT OpenCourseWare", "YouTube", ""]),
            kind=rng.choice(kinds),
            level=rng.choice(levels),
            estimated_hours=rng.choice([None, 2, 5, 10, 40]),
            note="A generated resource: its note is a sentence or two long, like a real one.",
            # A few unpublished resources, as in a real catalog; never the last ones (toggles).
            is_published=i >= count - 50 or rng.random() > 0.02,
        )
        for i in range(count)
    )
    Listing.objects.bulk_create(
        Listing(
            resource=resource, topic=topics[i % len(topics)], position=10 * (i // len(topics)) + 100
        )
        for i, resource in enumerate(resources)
    )


def add_curricula(rng, spec, toggles):
    """The many size's other curricula, each with `topics` topics and `resources` listings (the
    first `shared` of them resources of the curriculum before it: the same work in two lists),
    prerequisites, `degrees` degrees asking for topics and a milestone, all published."""
    count = spec["curricula"] - Curriculum.objects.count()
    curricula = Curriculum.objects.bulk_create(
        Curriculum(
            slug=f"generated-curriculum-{n:02d}",
            title=f"Generated curriculum {n:02d}",
            summary=f"Generated curriculum number {n}, imported from an awesome list.",
            guidance=GUIDANCE.format(
                title=f"Generated curriculum {n:02d}", url=f"https://example.org/lists/{n}"
            ),
            source_url=f"https://github.com/example/awesome-{n:02d}",
            licence="CC0-1.0",
            is_published=True,
            position=10 * n,
        )
        for n in range(1, count + 1)
    )
    topics = Topic.objects.bulk_create(
        Topic(
            curriculum=curriculum,
            slug=f"generated-topic-{i:03d}",
            title=f"{curriculum.title}: topic {i:03d}",
            summary=f"Generated topic number {i} of {curriculum.title}.",
            guidance=GUIDANCE.format(title=f"Topic {i:03d}", url=f"https://example.org/t/{i}"),
            position=10 * i,
        )
        for curriculum in curricula
        for i in range(spec["topics"])
    )
    topics_by_curriculum = [
        topics[n * spec["topics"] : (n + 1) * spec["topics"]] for n in range(len(curricula))
    ]
    Prerequisite = Topic.prerequisites.through
    Prerequisite.objects.bulk_create(
        (
            Prerequisite(from_topic=topic, to_topic=earlier)
            for own in topics_by_curriculum
            for index, topic in enumerate(own[2:], start=2)
            for earlier in rng.sample(own[:index], k=2)
        ),
        batch_size=5000,
    )
    kinds = [choice.value for choice in Resource.Kind]
    levels = [choice.value for choice in Resource.Level]
    own_count = spec["resources"] - spec["shared"]
    resources = Resource.objects.bulk_create(
        (
            Resource(
                slug=f"c{n:02d}-generated-{i:04d}",
                title=f"Generated resource {i:04d} of curriculum {n:02d}",
                url=f"https://example.org/c{n:02d}/resources/{i}",
                provider=rng.choice(["Khan Academy", "edX", "MIT OpenCourseWare", "YouTube", ""]),
                kind=rng.choice(kinds),
                level=rng.choice(levels),
                estimated_hours=rng.choice([None, 2, 5, 10, 40]),
                note="A generated resource: its note is a sentence or two long, like a real one.",
                is_published=rng.random() > 0.02,
            )
            for n in range(1, len(curricula) + 1)
            for i in range(own_count)
        ),
        batch_size=5000,
    )
    previous = [
        pk
        for pk in Listing.objects.in_default_curriculum().values_list("resource_id", flat=True)
        if pk not in toggles
    ]
    listings = []
    for n, own_topics in enumerate(topics_by_curriculum):
        own = [r.pk for r in resources[n * own_count : (n + 1) * own_count]]
        listed = rng.sample(previous, spec["shared"]) + own
        listings += [
            Listing(
                resource_id=pk,
                topic=own_topics[i % len(own_topics)],
                position=10 * (i // len(own_topics)) + 100,
            )
            for i, pk in enumerate(listed)
        ]
        previous = own
    Listing.objects.bulk_create(listings, batch_size=5000)
    add_degrees(spec, curricula, topics_by_curriculum)


def add_degrees(spec, curricula, topics_by_curriculum):
    """Degrees of rising rank in each curriculum: rank r asks for at least 5 completed resources
    in each of 5 * r topics, and the last for a milestone too."""
    milestones = Milestone.objects.bulk_create(
        Milestone(
            curriculum=curriculum,
            slug="capstone",
            title=f"{curriculum.title} capstone",
            description="Build something with what the curriculum taught, and show it.",
            evidence_hint="A link to the repository or the write-up.",
        )
        for curriculum in curricula
    )
    degrees = Degree.objects.bulk_create(
        Degree(curriculum=curriculum, slug=f"degree-{rank}", title=f"Degree {rank}", rank=rank)
        for curriculum in curricula
        for rank in range(1, spec["degrees"] + 1)
    )
    requirements = []
    for index, degree in enumerate(degrees):
        own_topics = topics_by_curriculum[index // spec["degrees"]]
        for i, topic in enumerate(own_topics[5 * (degree.rank - 1) : 5 * degree.rank]):
            requirements.append(
                Requirement(degree=degree, slug=f"topic-{i}", topic=topic, min_count=5, position=i)
            )
        if degree.rank == spec["degrees"]:
            requirements.append(
                Requirement(
                    degree=degree,
                    slug="capstone",
                    milestone=milestones[index // spec["degrees"]],
                    position=10,
                )
            )
    Requirement.objects.bulk_create(requirements)


def create_learners(count, only_missing=False):
    """learner-00000 ... up to `count`; returns how many were created."""
    User = get_user_model()
    names = [learner_name(i) for i in range(count)]
    if only_missing:
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        names = [name for name in names if name not in existing]
    password = make_password("bench-password-not-secret")  # hashed once, shared by all
    User.objects.bulk_create(
        User(username=name, email=f"{name}@example.org", password=password) for name in names
    )
    return len(names)


def history_rows(rng, size, learner_ids, resource_ids):
    """(learner, resource, status) for every generated progress row."""
    spec = SIZES[size]
    completions = spec["completions"]
    rows = []
    for learner_id in learner_ids[:MARKING_LEARNERS]:
        rows += [
            (learner_id, rid, Status.COMPLETED) for rid in rng.sample(resource_ids, completions)
        ]
    if size == "seed":
        return rows
    others = learner_ids[MARKING_LEARNERS:]
    remaining = spec["progress"] - len(rows)
    per_learner, extra = divmod(remaining, len(others))
    statuses = (
        [Status.COMPLETED] * 6 + [Status.IN_PROGRESS] * 2 + [Status.KNOWN, Status.NOT_STARTED]
    )
    for index, learner_id in enumerate(others):
        for rid in rng.sample(resource_ids, per_learner + (1 if index < extra else 0)):
            rows.append((learner_id, rid, rng.choice(statuses)))
    return rows


def many_history_rows(rng, spec, learner_ids, toggles):
    """(learner, resource, status) at the many size: each learner studies 1 to 5 curricula (the
    default one more often than any other), with a log-normal number of rows in each, so that
    most learners have a few rows and some have hundreds. A resource listed in two curricula a
    learner studies has one row. The measured learners study five: the default curriculum, with
    `completions` completed, and four others with `other_completions` each."""
    published = set(Resource.objects.published().values_list("pk", flat=True)) - toggles
    resources_by_curriculum = {}
    for curriculum_id, resource_id in Listing.objects.values_list(
        "topic__curriculum_id", "resource_id"
    ).order_by("pk"):
        if resource_id in published:
            resources_by_curriculum.setdefault(curriculum_id, []).append(resource_id)
    default_id = default_curriculum().pk
    others = sorted(set(resources_by_curriculum) - {default_id})
    rows = []
    for learner_id in learner_ids[:MARKING_LEARNERS]:
        chosen = set(rng.sample(resources_by_curriculum[default_id], spec["completions"]))
        for curriculum_id in rng.sample(others, 4):
            chosen.update(
                rng.sample(resources_by_curriculum[curriculum_id], spec["other_completions"])
            )
        rows += [(learner_id, rid, Status.COMPLETED) for rid in sorted(chosen)]
    statuses = (
        [Status.COMPLETED] * 6 + [Status.IN_PROGRESS] * 2 + [Status.KNOWN, Status.NOT_STARTED]
    )
    counts, weights = zip(*spec["curricula_per_learner"].items(), strict=True)
    for learner_id in learner_ids[MARKING_LEARNERS:]:
        (count,) = rng.choices(counts, weights)
        # Most learners came for the default curriculum; the others are drawn evenly.
        studied = [default_id] if rng.random() < 0.6 else []
        studied += rng.sample(others, count - len(studied))
        chosen = set()
        for curriculum_id in studied:
            pool = resources_by_curriculum[curriculum_id]
            size = min(
                spec["rows_max"],
                len(pool),
                max(1, round(rng.lognormvariate(math.log(spec["rows_median"]), 1.0))),
            )
            chosen.update(rng.sample(pool, size))
        rows += [(learner_id, rid, rng.choice(statuses)) for rid in sorted(chosen)]
    return rows


def insert_progress(rows):
    started = HISTORY_ENDS - timedelta(days=200)
    objects = (
        ResourceProgress(
            learner_id=learner_id,
            resource_id=resource_id,
            status=status,
            started_at=None if status in (Status.NOT_STARTED, Status.KNOWN) else started,
            completed_at=HISTORY_ENDS - timedelta(days=1) if status == Status.COMPLETED else None,
        )
        for learner_id, resource_id, status in rows
    )
    if connection.vendor == "postgresql":
        copy_rows(
            ResourceProgress,
            ["learner_id", "resource_id", "status", "note", "started_at", "completed_at"],
            objects,
        )
    else:
        ResourceProgress.objects.bulk_create(objects, batch_size=2000)


def insert_activity(rng, count, learner_ids, resource_ids):
    statuses = [Status.IN_PROGRESS, Status.COMPLETED]
    objects = (
        Activity(
            learner_id=rng.choice(learner_ids),
            resource_id=rng.choice(resource_ids),
            status=rng.choice(statuses),
            created_at=HISTORY_ENDS - timedelta(minutes=rng.randrange(1, 525_600)),
        )
        for _ in range(count)
    )
    copy_rows(Activity, ["learner_id", "resource_id", "status", "created_at"], objects)


def copy_rows(model, fields, objects):
    """PostgreSQL COPY: half a million rows in seconds rather than minutes."""
    columns = [model._meta.get_field(name.removesuffix("_id")).column for name in fields]
    timestamps = {"created_at", "updated_at"}
    own_timestamps = [
        f.column
        for f in model._meta.concrete_fields
        if f.column in timestamps and f.name not in fields
    ]
    now = datetime.now(UTC)
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns + own_timestamps)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row([getattr(obj, name) for name in fields] + [now] * len(own_timestamps))


def benchmark_learners():
    """The learners who mark resources during the benchmark (the study session's are the most)."""
    learners = get_user_model().objects.filter(username__startswith="learner-")
    return learners.filter(username__lt=learner_name(max(BENCH_LEARNERS, STUDY_LEARNERS)))


def reset(size):
    """Put the marking learners' toggled resources and their activity back as built."""
    learners = benchmark_learners()
    toggles = toggle_resource_ids(size)
    progress, _ = ResourceProgress.objects.filter(
        learner__in=learners, resource_id__in=toggles
    ).delete()
    activity, _ = Activity.objects.filter(
        learner__in=learners, created_at__gte=HISTORY_ENDS
    ).delete()
    emit({"progress_deleted": progress, "activity_deleted": activity})


def sessions(size):
    """Sign in the benchmark's learners through the configured session engine."""
    User = get_user_model()
    keys = []
    for number in range(max(BENCH_LEARNERS, STUDY_LEARNERS)):
        client = Client()
        client.force_login(User.objects.get(username=learner_name(number)))
        keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    toggles = Resource.objects.filter(pk__in=toggle_resource_ids(size)).order_by("pk")
    emit(
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "session_keys": keys,
            "study_learners": STUDY_LEARNERS,
            "toggle_slugs": list(toggles.values_list("slug", flat=True)),
            "toggle_topics": [resource.main_listing.topic.slug for resource in toggles],
            "measured_completions": ResourceProgress.objects.filter(
                learner__username=learner_name(0), status=Status.COMPLETED
            ).count(),
        }
    )


def queries(session_key, csrf_token, paths):
    """Queries of a warm request to each path ("-" as the session key: a visitor).

    A path starting with "POST " is posted (the HTMX mark-completed request)."""
    client = Client(HTTP_HOST="127.0.0.1")
    if session_key != "-":
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf_token
    client.get("/_floor/")  # loads the session into the cache, as any earlier request would
    counts = {}
    for path in paths:
        # A GET's first request warms the caches, so count the second. A POST counts its first:
        # marking the same status again would change nothing and cost less.
        for _attempt in range(1 if path.startswith("POST ") else 2):
            with CaptureQueriesContext(connection) as captured:
                if path.startswith("POST "):
                    method_path, _, body = path.removeprefix("POST ").partition(" ")
                    response = client.post(
                        method_path,
                        dict(pair.split("=") for pair in body.split("&")),
                        HTTP_HX_REQUEST="true",
                        HTTP_X_CSRFTOKEN=csrf_token,
                    )
                else:
                    response = client.get(path)
        counts[path] = {"queries": len(captured), "status": response.status_code}
    emit(counts)


def study_queries(session_key, csrf_token, size):
    """Queries of each request of one study-session sequence that follows an earlier one.

    The first sequence marks the first toggled resource completed and warms whatever the
    pages cache; the second marks it in progress, and its topic page and `/` are the pages a
    learner sees after a write of their own (a warm page would count 1 query, like the
    signed-in pages above)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf_token
    client.get("/_floor/")
    resource = Resource.objects.get(pk=toggle_resource_ids(size)[0])
    mark_path = f"/progress/resources/{resource.slug}/status/"
    steps = [f"POST {mark_path}", f"GET {resource.main_listing.topic.get_absolute_url()}", "GET /"]
    counts = {}
    for status in ("completed", "in_progress"):
        for step in steps:
            method, _, path = step.partition(" ")
            with CaptureQueriesContext(connection) as captured:
                if method == "POST":
                    response = client.post(
                        path,
                        {"status": status},
                        HTTP_HX_REQUEST="true",
                        HTTP_X_CSRFTOKEN=csrf_token,
                    )
                else:
                    response = client.get(path)
            counts[step] = {"queries": len(captured), "status": response.status_code}
    emit(counts)


def study_activity():
    """Activity rows the benchmark's learners wrote since the generated history: one per mark
    that really changed a status."""
    count = Activity.objects.filter(
        learner__in=benchmark_learners(), created_at__gte=HISTORY_ENDS
    ).count()
    emit({"activity": count})


def main(argv):
    task = argv[0]
    size = os.environ.get("BENCH_SIZE", "seed")
    if task == "build":
        build(argv[1])
    elif task == "reset":
        reset(size)
    elif task == "sessions":
        sessions(size)
    elif task == "queries":
        queries(argv[1], argv[2], argv[3:])
    elif task == "study-queries":
        study_queries(argv[1], argv[2], size)
    elif task == "activity":
        study_activity()
    else:
        raise SystemExit(f"unknown task {task!r}; see the module docstring")


if __name__ == "__main__":
    main(sys.argv[1:])

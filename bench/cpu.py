"""CPU per request in-process, beside the floor's, and where a page's time goes.

`make bench` runs it for every page after the load generator (see docs/performance.md); by
hand, it runs in the benchmark's server environment:

    python bench/cpu.py [--learner learner-00000] [--requests 300] [--top 30] PATH...

For each PATH it prints the CPU milliseconds of one warm request (best of three rounds) and the
ratio of the floor's to it, then a cProfile of the slowest path sorted by cumulative time. A
path "POST /resources/<slug>/status/" posts the HTMX mark request, alternating the status, so
every request is a real change. A path "STUDY <slug>,<slug>,..." is the study session: the
learner marks the next of those resources (a real change), reads its topic page, then `/`;
its figure is per request of that sequence.
"""

import argparse
import cProfile
import itertools
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlmath.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.test import Client  # noqa: E402

from catalog.models import Resource  # noqa: E402
from progress.models import ResourceProgress, Status  # noqa: E402

# The test client closes the database connection after each request unless told otherwise;
# gunicorn keeps it (CONN_MAX_AGE), so the profile does too.
request_finished.disconnect(close_old_connections)
request_started.disconnect(close_old_connections)


def client_for(learner):
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
    if learner:
        client.force_login(get_user_model().objects.get(username=learner))
    client.get("/_floor/")
    return client


def requests_per_call(path):
    return 3 if path.startswith("STUDY ") else 1


def requester(client, path, learner):
    if path.startswith("STUDY "):
        if not learner:
            raise SystemExit("STUDY needs --learner: the study session is a learner's")
        return study_sequence(client, path.removeprefix("STUDY ").split(","), learner)
    if path.startswith("POST "):
        target = path.removeprefix("POST ")
        statuses = ["completed", "not_started"]
        counter = iter(range(10**9))

        def post():
            status = statuses[next(counter) % 2]
            answered(client.post(target, {"status": status}, HTTP_HX_REQUEST="true"), path)

        return post
    return lambda: answered(client.get(path), path)


def study_sequence(client, slugs, learner):
    """Each call: mark the next resource (the other status than its current one), read its
    topic page, then `/`, so both pages follow the learner's own write."""
    resources = list(Resource.objects.filter(slug__in=slugs))
    statuses = dict(
        ResourceProgress.objects.filter(
            learner__username=learner, resource__in=resources
        ).values_list("resource__slug", "status")
    )
    visits = itertools.count()

    def sequence():
        resource = resources[next(visits) % len(resources)]
        was_completed = statuses.get(resource.slug) == Status.COMPLETED
        status = statuses[resource.slug] = Status.IN_PROGRESS if was_completed else Status.COMPLETED
        mark_path = f"/progress/resources/{resource.slug}/status/"
        answered(client.post(mark_path, {"status": status}, HTTP_HX_REQUEST="true"), mark_path)
        topic_path = resource.main_listing.topic.get_absolute_url()
        answered(client.get(topic_path), topic_path)
        answered(client.get("/"), "/")

    return sequence


def answered(response, path):
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}: not a page to measure")


def cpu_ms(request, count):
    for _ in range(5):
        request()
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(count):
            request()
        best = min(best, (time.process_time() - start) * 1000 / count)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--learner", default="")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="end with the figures as JSON")
    args = parser.parse_args()
    client = client_for(args.learner)
    floor = cpu_ms(requester(client, "/_floor/", args.learner), args.requests)
    print(f"floor /_floor/: {floor:.2f} ms CPU ({'signed in' if args.learner else 'anonymous'})")
    slowest = None
    pages = {}
    for path in args.paths:
        calls = max(1, args.requests // requests_per_call(path))
        page = pages[path] = cpu_ms(requester(client, path, args.learner), calls) / (
            requests_per_call(path)
        )
        print(f"{path}: {page:.2f} ms CPU, ratio {floor / page:.2f}")
        if slowest is None or page > slowest[1]:
            slowest = (path, page)
    if args.json:
        print(json.dumps({"floor_ms": floor, "pages_ms": pages}))
    if args.top:
        request = requester(client, slowest[0], args.learner)
        calls = max(1, args.requests // requests_per_call(slowest[0]))
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            request()
        profiler.disable()
        print(f"\nprofile of {slowest[0]} ({calls} calls), by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()

"""`make bench`: how fast mlmath serves its pages, as ratios to a floor measured in the same run.

For each configuration (PostgreSQL + Redis at the seed size, the large size and the many
curricula size, and the embedded default, SQLite without Redis, at the seed size) it prepares
the data set, starts gunicorn with production settings (2 sync workers) on a loopback port,
counts each page's SQL queries, measures every page and the floor view `/_floor/` with wrk,
measures the HTMX mark-completed POST closed loop (wrk) and open loop (50 learners each marking
once a second), then the study session (300 learners each marking a resource, reading its
topic, then `/`; bench/study.lua), prints the figures, and stops everything it started. See
docs/performance.md.

    .venv/bin/python bench/run.py [--quick] [--study-only | --mark-only]
        [--only pg-seed,pg-large,pg-many,sqlite-seed] [--against earlier-run.json]
"""

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / ".data"
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "18500"))
PRIVATE_REDIS_PORT = PORT + 1
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/mlmath_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
WRK_CONNECTIONS = 4  # two per gunicorn worker: each worker always has the next request waiting
OPEN_LOOP_LEARNERS = 50
SEARCH_PATH = "/search/?q=course"

CONFIGS = {
    "pg-seed": {"label": "PostgreSQL + Redis, seed catalog", "size": "seed", "db": "postgres"},
    "pg-large": {"label": "PostgreSQL + Redis, large data set", "size": "large", "db": "postgres"},
    "pg-many": {
        "label": "PostgreSQL + Redis, many curricula (20 of the large size)",
        "size": "many",
        "db": "postgres",
    },
    "sqlite-seed": {
        "label": "SQLite, no Redis (embedded default), seed",
        "size": "seed",
        "db": "sqlite",
    },
}

# (name, path, signed in, target ratio at seed size, at large size and many curricula)
PAGES = [
    ("anonymous /", "/", False, 0.8, 0.8),
    ("anonymous topic", "/topics/calculus/", False, 0.8, 0.8),
    ("anonymous /degrees/", "/degrees/", False, 0.8, 0.8),
    ("anonymous degree", "/degrees/developer/", False, 0.8, 0.8),
    ("anonymous search", SEARCH_PATH, False, 0.3, 0.25),
    ("signed-in /", "/", True, 0.4, 0.35),
    ("signed-in topic", "/topics/calculus/", True, 0.4, 0.35),
    ("signed-in /progress/", "/progress/", True, 0.4, 0.35),
]
MARK_TARGET = 0.3
STUDY = "study session (mark, topic, /)"
STUDY_TARGETS = {"seed": 0.35, "large": 0.3, "many": 0.3}
# Many curricula against one: each ratio at least this share of its single-curriculum figure.
MANY_AGAINST_ONE_TARGET = 0.8
OPEN_LOOP_P95_TARGET_MS = 50


def log(message):
    print(message, file=sys.stderr, flush=True)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("wrk is missing: installing the Debian package")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True)
    subprocess.run(
        [*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "wrk"],
        check=True,
    )


class Redis:
    """The shared Redis (our own db index), or a private one on our port when none answers."""

    def __init__(self):
        self.process = None
        self.url = REDIS_URL
        if not self.answers(self.url):
            log(f"no Redis at {self.url}: starting a private one on port {PRIVATE_REDIS_PORT}")
            self.process = subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(PRIVATE_REDIS_PORT),
                 "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            self.url = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"
            deadline = time.monotonic() + 10
            while not self.answers(self.url):
                if time.monotonic() > deadline:
                    raise SystemExit("the private Redis did not start")
                time.sleep(0.2)

    @staticmethod
    def answers(url):
        import redis

        try:
            return redis.Redis.from_url(url, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def flush(self):
        """Start cold: only our own database index is flushed (never FLUSHALL)."""
        import redis

        redis.Redis.from_url(self.url).flushdb()

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)


def ensure_postgres_schema(schema):
    """mlmath_bench holds each size in its own schema, so both stay built side by side."""
    import psycopg

    base, _, name = POSTGRES_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(POSTGRES_URL, autocommit=True) as database:
        database.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


def server_environment(config, redis):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mlmath.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        BENCH_SIZE=config["size"],
        PYTHONPATH=str(ROOT),
    )
    if config["db"] == "postgres":
        schema = f"bench_{config['size']}"
        ensure_postgres_schema(schema)
        env["DATABASE_URL"] = f"{POSTGRES_URL}?options=-c%20search_path%3D{schema}"
        env["REDIS_URL"] = redis.url
    else:
        DATA.mkdir(exist_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{DATA / ('sqlite-' + config['size'] + '.sqlite3')}"
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def task(env, *args):
    result = subprocess.run(
        [PYTHON, str(BENCH / "tasks.py"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"bench/tasks.py {' '.join(args[:2])} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Gunicorn:
    def __init__(self, env):
        # Another server on our port would answer /healthz and be measured in our place.
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                raise SystemExit(f"port {PORT} is in use: stop that server or set BENCH_PORT")
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "mlmath.wsgi", "--bind", f"127.0.0.1:{PORT}",
             "--workers", "2", "--worker-class", "sync", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("gunicorn did not start; see the messages above")
            time.sleep(0.3)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wrk(path, seconds, cookie=None, script="report.lua", script_args=(), threads=1):
    command = ["wrk", f"-t{threads}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(BENCH / script)]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{PORT}{path}")
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH-JSON "))
    figures = json.loads(line.removeprefix("BENCH-JSON "))
    extra = [line for line in output.splitlines() if line.startswith("BENCH-EXTRA ")]
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["errors"] + figures["bad_status"],
        "requests": figures["requests"],
        **(json.loads(extra[0].removeprefix("BENCH-EXTRA ")) if extra else {}),
    }


def measure(path, durations, length, **options):
    wrk(path, durations["warm"], **options)
    return wrk(path, durations[length], **options)


def wait_until_idle(limit=120):
    """After an overloaded open loop, let the server finish the requests it still queues."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/_floor/", timeout=10).read()
        except OSError:
            continue
        if time.monotonic() - started < 0.1:
            return
        time.sleep(1)


def open_loop(sessions, csrf, seconds):
    """50 learners, each marking a resource once a second on a fixed schedule (open loop).

    Latency counts from when a request was due, not when it was sent, so a slow server cannot
    hide its queue (no coordinated omission). Bounded: one thread per learner, `seconds`
    requests each, 5 s timeout.
    """
    keys = sessions["session_keys"][:OPEN_LOOP_LEARNERS]
    cookie_names = sessions["session_cookie"], sessions["csrf_cookie"]
    slugs = sessions["toggle_slugs"]
    latencies, failures = [], []
    lock = threading.Lock()
    start = time.monotonic() + 1

    def learner(index, key):
        for tick in range(seconds):
            due = start + tick + index / len(keys)
            time.sleep(max(0.0, due - time.monotonic()))
            slug = slugs[tick % len(slugs)]
            status = "completed" if (tick // len(slugs)) % 2 == 0 else "in_progress"
            connection = HTTPConnection("127.0.0.1", PORT, timeout=5)
            try:
                connection.request(
                    "POST", f"/progress/resources/{slug}/status/", body=f"status={status}",
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"{cookie_names[0]}={key}; {cookie_names[1]}={csrf}",
                        "X-CSRFToken": csrf, "HX-Request": "true",
                    },
                )  # fmt: skip
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError as error:
                ok, response = False, error
            finally:
                connection.close()
            with lock:
                latencies.append(time.monotonic() - due)
                if not ok:
                    failures.append(getattr(response, "status", repr(response)))

    threads = [threading.Thread(target=learner, args=(i, key)) for i, key in enumerate(keys)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def percentile(p):
        return 1000 * latencies[min(len(latencies) - 1, math.ceil(p / 100 * len(latencies)) - 1)]

    return {
        "rps": len(latencies) / seconds,
        "p50_ms": percentile(50),
        "p95_ms": percentile(95),
        "p99_ms": percentile(99),
        "errors": len(failures),
        "requests": len(latencies),
    }


def study_mark(learner_number, visit, resources):
    """The resource and status of a learner's visit in the study session (study.lua follows the
    same rule): resource (learner + visit) mod n, completed on the first pass through the n
    resources, in progress on the second, and so on, so from no row every mark is a change."""
    slug, topic = resources[(learner_number + visit) % len(resources)]
    status = "completed" if (visit // len(resources)) % 2 == 0 else "in_progress"
    return slug, topic, status


def study_first_visits(keys, resources, sessions, csrf):
    """Each learner's first visit (visit 0), in Python, checking every answer: the learners'
    pages are then cached, as a returning learner's are, so the measured reads find them made
    stale by the learner's own write rather than never rendered."""
    cookie_names = sessions["session_cookie"], sessions["csrf_cookie"]

    def visit(numbered_key):
        number, key = numbered_key
        slug, topic, status = study_mark(number, 0, resources)
        cookie = f"{cookie_names[0]}={key}; {cookie_names[1]}={csrf}"
        topic_path = f"/topics/{topic}/"
        connection = HTTPConnection("127.0.0.1", PORT, timeout=30)
        try:
            connection.request(
                "POST", f"/progress/resources/{slug}/status/",
                body=urlencode({"csrfmiddlewaretoken": csrf, "status": status, "next": topic_path}),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                    "X-CSRFToken": csrf, "HX-Request": "true", "HX-Target": f"resource-{slug}",
                    "HX-Current-URL": f"http://127.0.0.1:{PORT}{topic_path}",
                },
            )  # fmt: skip
            answers = [read_answer(connection)]
            for path in (topic_path, "/"):
                connection.request("GET", path, headers={"Cookie": cookie})
                answers.append(read_answer(connection))
        finally:
            connection.close()
        # A signed-out learner would get a 200 with HX-Redirect to sign in, or a redirect.
        if answers != [(200, None)] * 3:
            raise SystemExit(f"the study session's first visit of {number} answered {answers}")

    with ThreadPoolExecutor(WRK_CONNECTIONS) as pool:
        list(pool.map(visit, enumerate(keys)))


def read_answer(connection):
    response = connection.getresponse()
    response.read()
    return response.status, response.getheader("HX-Redirect")


def study_session(env, sessions, csrf, durations):
    """Many learners, each marking a resource, reading its topic page, then `/` (study.lua).

    Closed loop, one connection per wrk thread, so each learner's reads follow their own write;
    300 learners in turn, so a learner comes back only after the others have written, and their
    pages, cached at their last visit, are stale. Compared with the signed-in floor: `/_floor/`
    sent by the same script with the same rotation of learners' sessions. The marks must each
    have changed a status (one activity row each), or the figures would flatter the site: a
    mark not recorded counts as an error."""
    resources = list(zip(sessions["toggle_slugs"], sessions["toggle_topics"], strict=True))
    keys = sessions["session_keys"][: sessions["study_learners"]]
    task(env, "reset")  # no rows on the marked resources: each mark is a change
    study_first_visits(keys, resources, sessions, csrf)
    common = (str(WRK_CONNECTIONS), csrf, sessions["session_cookie"], sessions["csrf_cookie"],
              ",".join(keys), ",".join(f"{slug}:{topic}" for slug, topic in resources))  # fmt: skip
    options = {"script": "study.lua", "threads": WRK_CONNECTIONS}
    floor = measure("/_floor/", durations, "floor", script_args=("floor", *common), **options)
    before = task(env, "activity")["activity"]
    figures = wrk("/", durations["measure"], script_args=("study", *common, "1"), **options)
    wait_until_idle()
    recorded = task(env, "activity")["activity"] - before
    # A mark still on its way when wrk stopped may or may not have been served.
    unrecorded = max(0, figures["marks_sent"] - WRK_CONNECTIONS - recorded)
    figures.update(
        floor_rps=floor["rps"],
        errors=figures["errors"] + unrecorded,
        marks_recorded=recorded,
        learners=len(keys),
    )
    return figures


def run_config(name, config, durations, redis, only=None):
    log(f"== {config['label']} ==")
    env = server_environment(config, redis)
    manage(env, "migrate", "--no-input", "-v0")
    log(f"data set: {task(env, 'build', config['size'])}")
    task(env, "reset")
    if config["db"] == "postgres":
        redis.flush()
    server = Gunicorn(env)
    try:
        sessions = task(env, "sessions")
        csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        measured_key = sessions["session_keys"][0]
        cookie = f"{sessions['session_cookie']}={measured_key}; {sessions['csrf_cookie']}={csrf}"
        mark_path = f"/progress/resources/{sessions['toggle_slugs'][0]}/status/"
        results = {"config": config["label"], "size": config["size"], "pages": {}}
        study_counts = task(env, "study-queries", measured_key, csrf)
        task(env, "reset")
        if only == "study":
            run_study_session(results, env, sessions, csrf, durations, study_counts)
            results["measured_completions"] = sessions["measured_completions"]
            return results
        pages = [] if only == "mark" else PAGES
        counts = {
            "anonymous": task(env, "queries", "-", csrf, *[p for _, p, s, *_ in pages if not s]),
            "signed_in": task(
                env, "queries", measured_key, csrf,
                *[p for _, p, s, *_ in pages if s], f"POST {mark_path} status=completed",
            ),
        }  # fmt: skip
        task(env, "reset")
        # Each page is paired with the floor measured just before it with the same cookie, so
        # the ratio compares the two under the same load on this shared machine.
        for page_name, path, signed_in, *_ in pages:
            page_cookie = cookie if signed_in else None
            floor = measure("/_floor/", durations, "floor", cookie=page_cookie)
            figures = measure(path, durations, "measure", cookie=page_cookie)
            group = "signed_in" if signed_in else "anonymous"
            figures.update(floor_rps=floor["rps"], queries=counts[group][path]["queries"])
            results["pages"][page_name] = figures
            log(f"  {page_name}: {figures['rps']:.0f} req/s, floor {floor['rps']:.0f}")
        mark_args = (
            csrf, sessions["session_cookie"], sessions["csrf_cookie"],
            ",".join(sessions["session_keys"][:4]), ",".join(sessions["toggle_slugs"]),
        )  # fmt: skip
        floor = measure("/_floor/", durations, "floor", cookie=cookie)
        figures = wrk(mark_path, durations["measure"], script="mark.lua", script_args=mark_args)
        figures.update(
            floor_rps=floor["rps"],
            queries=counts["signed_in"][f"POST {mark_path} status=completed"]["queries"],
        )
        results["pages"]["mark completed (closed loop)"] = figures
        log(f"  mark completed: {figures['rps']:.0f} req/s, floor {floor['rps']:.0f}")
        task(env, "reset")
        if only == "mark":
            results["measured_completions"] = sessions["measured_completions"]
            return results
        figures = open_loop(sessions, csrf, durations["open_loop"])
        figures["queries"] = results["pages"]["mark completed (closed loop)"]["queries"]
        results["pages"]["mark completed (open loop, 50/s)"] = figures
        log(f"  open loop: p95 {figures['p95_ms']:.0f} ms, {figures['errors']} errors")
        wait_until_idle()
        run_study_session(results, env, sessions, csrf, durations, study_counts)
        task(env, "reset")
        results["cpu"] = cpu_per_request(env, mark_path, sessions["toggle_slugs"])
        task(env, "reset")
        results["measured_completions"] = sessions["measured_completions"]
        return results
    finally:
        server.stop()


def run_study_session(results, env, sessions, csrf, durations, study_counts):
    if any(step["status"] != 200 for step in study_counts.values()):
        raise SystemExit(f"the study session's requests answered {study_counts}")
    figures = study_session(env, sessions, csrf, durations)
    figures["queries"] = " + ".join(str(step["queries"]) for step in study_counts.values())
    figures["query_steps"] = study_counts
    results["pages"][STUDY] = figures
    log(f"  study session: {figures['rps']:.0f} req/s, floor {figures['floor_rps']:.0f}, "
        f"{figures['marks_recorded']} of {figures['marks_sent']} marks recorded")  # fmt: skip


def cpu_per_request(env, mark_path, toggle_slugs):
    """CPU milliseconds per warm request in-process, page and floor: what the throughput ratios
    would be if nothing else ran on the machine (gunicorn's own share left out). The study
    session's figure is per request of its sequence (mark, topic, `/`), each after a write."""
    figures = {}
    for learner, signed_in in (("", False), ("learner-00000", True)):
        paths = [path for _, path, s, *_ in PAGES if s == signed_in]
        if signed_in:
            paths += [f"POST {mark_path}", f"STUDY {','.join(toggle_slugs)}"]
        result = subprocess.run(
            [PYTHON, str(BENCH / "cpu.py"), "--top", "0", "--json", "--learner", learner, *paths],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        figures["signed_in" if signed_in else "anonymous"] = json.loads(
            result.stdout.strip().splitlines()[-1]
        )
    return figures


def print_cpu_report(results):
    print("\nCPU per warm request, in-process (best of three rounds):\n")
    print("| page | CPU ms | floor CPU ms | CPU ratio |")
    print("| --- | ---: | ---: | ---: |")
    for group in ("anonymous", "signed_in"):
        figures = results["cpu"][group]
        for path, milliseconds in figures["pages_ms"].items():
            label = f"{'signed-in' if group == 'signed_in' else 'anonymous'} {path}"
            if path.startswith("STUDY "):
                label = f"{STUDY}, per request"
            print(f"| {label} | {milliseconds:.2f} | {figures['floor_ms']:.2f} | "
                  f"{figures['floor_ms'] / milliseconds:.2f} |")  # fmt: skip


def print_report(all_results, earlier=None):
    """The figures of each configuration, then each size's ratios against the others' (from this
    run, or for sizes it did not measure, from `earlier`: an earlier run's ratios)."""
    ratios_by_page = {}
    for name, results in all_results.items():
        size = results["size"]
        print(f"\n### {results['config']}\n")
        print(f"Measured learner's completions: {results['measured_completions']}.\n")
        print("| page | req/s | p50 ms | p95 ms | p99 ms | errors | floor req/s | ratio | target "
              "| queries |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
        targets = {page[0]: page[3 if size == "seed" else 4] for page in PAGES}
        targets[STUDY] = STUDY_TARGETS[size]
        for page_name, figures in results["pages"].items():
            if "open loop" in page_name:
                floor_text = ratio_text = "–"
                met = figures["p95_ms"] < OPEN_LOOP_P95_TARGET_MS and not figures["errors"]
                target_text = f"p95 < {OPEN_LOOP_P95_TARGET_MS} ms: {'met' if met else 'NOT met'}"
            else:
                ratio = figures["rps"] / figures["floor_rps"]
                target = targets.get(page_name, MARK_TARGET)
                floor_text, ratio_text = f"{figures['floor_rps']:.0f}", f"{ratio:.2f}"
                target_text = f"≥ {target}: {'met' if ratio >= target else 'NOT met'}"
                if name.startswith("pg-"):
                    ratios_by_page.setdefault(page_name, {})[size] = ratio
            latency = " | ".join(f"{figures[p]:.1f}" for p in ("p50_ms", "p95_ms", "p99_ms"))
            cells = [page_name, f"{figures['rps']:.0f}", latency, str(figures["errors"]),
                     floor_text, ratio_text, target_text, str(figures["queries"])]  # fmt: skip
            print(f"| {' | '.join(cells)} |")
        if STUDY in results["pages"]:
            study = results["pages"][STUDY]
            print(f"\nStudy session: {study['learners']} learners; marks sent "
                  f"{study['marks_sent']}, recorded as changes {study['marks_recorded']}; "
                  f"queries per request of a sequence after a write (mark + topic + /): "
                  f"{study['queries']}. Floor: /_floor/ signed in, rotating over the same "
                  f"sessions.")  # fmt: skip
        if "cpu" in results:
            print_cpu_report(results)
    for page_name, ratios in (earlier or {}).items():
        for size, ratio in ratios.items():
            ratios_by_page.setdefault(page_name, {}).setdefault(size, ratio)
    print_size_comparison(ratios_by_page, "large", "seed", "must stay ≥ 0.7")
    print_size_comparison(ratios_by_page, "many", "seed")
    print_size_comparison(
        ratios_by_page, "many", "large", f"one curriculum: must stay ≥ {MANY_AGAINST_ONE_TARGET}"
    )


def print_size_comparison(ratios_by_page, size, against, rule=""):
    """Each page's ratio at `size` against its ratio at the size `against`."""
    both = {page: r for page, r in ratios_by_page.items() if {size, against} <= r.keys()}
    if not both:
        return
    rule = f"; {rule}" if rule else ""
    print(f"\n### {size.capitalize()} size against {against} size (PostgreSQL + Redis{rule})\n")
    print(f"| page | {against} ratio | {size} ratio | {size} / {against} |")
    print("| --- | ---: | ---: | ---: |")
    for page, ratios in both.items():
        print(f"| {page} | {ratios[against]:.2f} | {ratios[size]:.2f} | "
              f"{ratios[size] / ratios[against]:.2f} |")  # fmt: skip


def earlier_ratios(path):
    """The PostgreSQL ratios of an earlier run (its last-run.json), by page and size."""
    ratios = {}
    for name, results in json.loads(Path(path).read_text()).items():
        if not name.startswith("pg-"):
            continue
        for page_name, figures in results["pages"].items():
            if "floor_rps" in figures:
                ratio = figures["rps"] / figures["floor_rps"]
                ratios.setdefault(page_name, {})[results["size"]] = ratio
    return ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="seconds per page, for a check")
    parser.add_argument("--only", default=",".join(CONFIGS), help="comma-separated configurations")
    only = parser.add_mutually_exclusive_group()
    only.add_argument(
        "--study-only", action="store_true", help="measure only the study session and its floor"
    )
    only.add_argument(
        "--mark-only", action="store_true", help="measure only the closed-loop mark and its floor"
    )
    parser.add_argument(
        "--against",
        metavar="LAST_RUN_JSON",
        help="an earlier run's bench/.data/last-run.json: its ratios at the sizes this run does "
        "not measure fill the size comparisons (e.g. pg-many alone against pg-seed and pg-large)",
    )
    args = parser.parse_args()
    durations = (
        {"warm": 1, "floor": 2, "measure": 3, "open_loop": 5}
        if args.quick
        else {"warm": 2, "floor": 5, "measure": 10, "open_loop": 20}
    )
    ensure_wrk()
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(names) - CONFIGS.keys()
    if unknown:
        raise SystemExit(f"unknown configuration(s) {sorted(unknown)}; choose from {list(CONFIGS)}")
    only = "study" if args.study_only else "mark" if args.mark_only else None
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    load_before = os.getloadavg()
    redis = Redis()
    try:
        env = server_environment(CONFIGS["sqlite-seed"], redis)
        manage(env, "collectstatic", "--no-input", "-v0")
        all_results = {
            name: run_config(name, CONFIGS[name], durations, redis, only) for name in names
        }
    finally:
        redis.stop()
    print(f"\n## mlmath benchmark, {started}{' (quick)' if args.quick else ''}\n")
    print(f"Load average before the run: {load_before[0]:.2f}, after: {os.getloadavg()[0]:.2f} "
          f"({os.cpu_count()} CPUs). wrk: 1 thread, {WRK_CONNECTIONS} connections (the study "
          f"session: {WRK_CONNECTIONS} threads of one connection each); gunicorn: 2 sync "
          f"workers.")  # fmt: skip
    if args.against:
        print(f"Sizes not measured in this run: ratios from {args.against}.")
    print_report(all_results, earlier_ratios(args.against) if args.against else None)
    DATA.mkdir(exist_ok=True)
    (DATA / "last-run.json").write_text(json.dumps(all_results, indent=2))


if __name__ == "__main__":
    main()

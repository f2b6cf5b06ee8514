"""The load and fault suite (`make loadtest`): learners, failures and fuzzing against a cluster.

Starts a private cluster (deploy/cluster.py) on loopback ports 18750-18789, runs the
scenarios of issue 12 and prints a table of figures; exits 1 when a check fails. `--short`
runs each load scenario for 10 s instead of 60 s (the fuzz pass keeps its 10,000 requests).

Every learner signs in through the real sign-in form and marks resources with statuses
chosen to differ from the current one, so each acknowledged write is exactly one change: at
the end the database must hold each learner's last acknowledged status, and one activity row
per acknowledged change (a duplicate or a lost write shows as a count that differs). A write
that gets no acknowledgement (a 5xx or a dropped connection) is retried until it gets one,
as a browser user would.
"""

import argparse
import html
import json
import random
import re
import socket
import statistics
import sys
import threading
import time
import urllib.parse

from deploy.client import CONNECTION_ERRORS, Browser, local_address, read_form
from deploy.cluster import CURATOR_USERNAME, Cluster, ClusterError, stop_on_signals
from deploy.fuzz import run_fuzz
from deploy.results import Figures, Outcome, table

STATUSES = ["not_started", "in_progress", "completed", "known"]
LOGIN_PATH = "/accounts/login/"
POSTGRES_BASE_PORT = 18750
SQLITE_BASE_PORT = 18790


# Database reads for the checks ---------------------------------------------------------


def learner_state(cluster):
    """{(username, slug): (status, rows, activities)} for the load-test learners."""
    state = {}
    for username, slug, status, rows in cluster.query(
        "SELECT u.username, r.slug, MIN(p.status), COUNT(*) FROM progress_resourceprogress p "
        "JOIN auth_user u ON u.id = p.learner_id JOIN catalog_resource r ON r.id = p.resource_id "
        "WHERE u.username LIKE 'learner%' GROUP BY u.username, r.slug",
    ):
        state[(username, slug)] = [status, rows, 0]
    for username, slug, activities in cluster.query(
        "SELECT u.username, r.slug, COUNT(*) FROM progress_activity a "
        "JOIN auth_user u ON u.id = a.learner_id JOIN catalog_resource r ON r.id = a.resource_id "
        "WHERE u.username LIKE 'learner%' GROUP BY u.username, r.slug",
    ):
        state.setdefault((username, slug), ["not_started", 0, 0])[2] = activities
    return state


def published_slugs(cluster):
    return [row[0] for row in cluster.query("SELECT slug FROM catalog_resource WHERE is_published")]


# Learners -----------------------------------------------------------------------------


class Learner(threading.Thread):
    def __init__(self, number, cluster, slugs, baseline, figures, start_event, seed):
        super().__init__(daemon=True)
        self.username = f"learner{number:02d}"
        self.browser = Browser(
            cluster.https_port,
            ssl_context=cluster.ssl_context(),
            source_ip=local_address(number),
            timeout=60,
        )
        self.slugs = slugs
        self.figures = figures
        self.start_event = start_event
        self.random = random.Random(seed)
        self.deadline = None
        self.hard_deadline = None
        self.final = {
            slug: baseline.get((self.username, slug), ["not_started"])[0] for slug in slugs
        }
        self.changes = dict.fromkeys(slugs, 0)
        self.unsettled = {}  # slug -> the status of a write never acknowledged
        self.signed_in = threading.Event()

    def sign_in(self):
        while time.monotonic() < (self.hard_deadline or float("inf")):
            try:
                response = self.browser.sign_in(self.username, f"{self.username}-pass")
                self.figures.record(response, is_write=False)
                if response.status == 302 and self.browser.csrf_token:
                    return True
            except CONNECTION_ERRORS:
                self.figures.record_connection_error()
            with self.figures.lock:
                self.figures.sign_in_failures += 1
            time.sleep(0.5)
        return False

    def run(self):
        self.hard_deadline = time.monotonic() + 120
        if not self.sign_in():
            return
        self.signed_in.set()
        self.start_event.wait()
        while time.monotonic() < self.deadline:
            slug = self.random.choice(self.slugs)
            status = self.random.choice([s for s in STATUSES if s != self.final[slug]])
            self.write(slug, status, htmx=self.random.random() < 0.5)

    def write(self, slug, status, htmx):
        path = f"/progress/resources/{slug}/status/"
        while True:
            if time.monotonic() > self.hard_deadline:
                self.unsettled[slug] = status
                return
            headers = [("HX-Request", "true"), ("HX-Current-URL", self.browser.origin + "/")]
            fields = {"status": status, "csrfmiddlewaretoken": self.browser.csrf_token}
            try:
                response = self.browser.post_form(path, fields, headers=headers if htmx else ())
            except CONNECTION_ERRORS:
                self.figures.record_connection_error()
                time.sleep(0.2)
                continue
            self.figures.record(response, is_write=True)
            signed_out = LOGIN_PATH in response.location or (
                response.header("HX-Redirect") or ""
            ).startswith(LOGIN_PATH)
            acknowledged = (response.status == 200 and htmx and not signed_out) or (
                response.status == 302 and not htmx and not signed_out
            )
            if acknowledged:
                self.final[slug] = status
                self.changes[slug] += 1
                with self.figures.lock:
                    self.figures.acknowledged.append(time.monotonic())
                return
            if signed_out:
                with self.figures.lock:
                    self.figures.signed_out += 1
                self.sign_in()
                continue
            if response.status < 500:
                with self.figures.lock:
                    self.figures.unexpected.append((response.status, path, response.body[:200]))
            retry_after = response.header("Retry-After")
            time.sleep(
                min(float(retry_after), 1.0) if retry_after and retry_after.isdigit() else 0.2
            )


def run_learners(cluster, name, seconds, *, learners=50, fault=None, seed=12):
    """Sign learners in, let them mark resources for `seconds` while `fault` runs, verify."""
    outcome = Outcome(name)
    figures = Figures()
    slugs = published_slugs(cluster)
    baseline = learner_state(cluster)
    start_event = threading.Event()
    threads = [
        Learner(number, cluster, slugs, baseline, figures, start_event, seed * 1000 + number)
        for number in range(1, learners + 1)
    ]
    for thread in threads:
        thread.start()
    sign_in_deadline = time.monotonic() + 120
    for thread in threads:
        thread.signed_in.wait(timeout=max(0, sign_in_deadline - time.monotonic()))
    signed_in = sum(thread.signed_in.is_set() for thread in threads)
    outcome.check(f"{learners} learners signed in through the form", signed_in == learners)
    started = time.monotonic()
    for thread in threads:
        thread.deadline = started + seconds
        thread.hard_deadline = started + seconds + 30
    start_event.set()
    fault_events = {}
    if fault:
        fault(cluster, started, seconds, fault_events)
    for thread in threads:
        thread.join(timeout=seconds + 60)
    outcome.seconds = time.monotonic() - started
    outcome.figures = figures
    verify_writes(cluster, threads, baseline, outcome)
    outcome.fault_events = fault_events
    return outcome


def verify_writes(cluster, threads, baseline, outcome):
    state = learner_state(cluster)
    for thread in threads:
        for slug in thread.slugs:
            key = (thread.username, slug)
            before = baseline.get(key, ["not_started", 0, 0])
            after = state.get(key, ["not_started", 0, 0])
            expected_changes = before[2] + thread.changes[slug]
            outcome.writes_checked += thread.changes[slug]
            finals = {thread.final[slug]}
            if slug in thread.unsettled:  # never acknowledged: it may or may not have landed
                finals.add(thread.unsettled[slug])
                allowed_changes = {expected_changes, expected_changes + 1}
            else:
                allowed_changes = {expected_changes}
            if after[1] > 1:
                outcome.duplicated += after[1] - 1
            if after[2] > max(allowed_changes):
                outcome.duplicated += after[2] - max(allowed_changes)
            elif after[2] < min(allowed_changes):
                outcome.lost += min(allowed_changes) - after[2]
            if after[0] not in finals:
                outcome.wrong_state += 1
    unsettled = sum(len(thread.unsettled) for thread in threads)
    if unsettled:
        outcome.notes.append(f"{unsettled} writes never acknowledged (either state accepted)")
    outcome.check("every acknowledged write stored exactly once", outcome.duplicated == 0)
    outcome.check("no acknowledged write lost", outcome.lost == 0)
    outcome.check(
        "each learner's last acknowledged status is the stored one", outcome.wrong_state == 0
    )


def server_errors_outside(figures, windows):
    return [
        error
        for error in figures.server_errors
        if not any(start <= error[0] <= end for start, end in windows)
    ]


# Scenarios ------------------------------------------------------------------------------


def scenario_load(cluster, seconds, name):
    outcome = run_learners(cluster, name, seconds)
    outcome.check("0 responses 5xx", not outcome.figures.server_errors)
    outcome.check("0 connection errors", not outcome.figures.connection_errors)
    outcome.check("learners stayed signed in", outcome.figures.signed_out == 0)
    return outcome


def scenario_kill_app_server(cluster, seconds, learners=50):
    def fault(cluster, started, seconds, events):
        time.sleep(max(0, started + seconds / 3 - time.monotonic()))
        events["killed"] = time.monotonic()
        cluster.kill_app(1)
        time.sleep(max(0, started + 2 * seconds / 3 - time.monotonic()))
        events["restarting"] = time.monotonic()
        cluster.start_app(1)
        events["back"] = time.monotonic()

    outcome = run_learners(cluster, "3. app server killed", seconds, fault=fault)
    events = outcome.fault_events
    figures = outcome.figures
    # Requests in flight on the killed server can fail; after that nginx sends everything on.
    after_kill = [e for e in figures.server_errors if e[0] >= events["killed"]]
    late = server_errors_outside(figures, [(events["killed"], events["killed"] + 3)])
    outcome.notes.append(
        f"{len(after_kill)} 5xx + {len(figures.connection_errors)} dropped at the kill"
        f" (in flight), app 2 back after {events['back'] - events['restarting']:.1f} s"
    )
    outcome.check(
        "5xx only for requests in flight at the kill", not late and len(after_kill) <= learners
    )
    outcome.check("learners stayed signed in (shared sessions)", figures.signed_out == 0)
    served = requests_served_by(cluster, cluster.app_port(1), events["back"])
    outcome.notes.append(f"{served} requests served by app 2 after it came back")
    return outcome


def requests_served_by(cluster, port, since_monotonic):
    """Requests nginx passed to one app server after a moment (from nginx's access log)."""
    since_epoch = time.time() - (time.monotonic() - since_monotonic)
    count = 0
    path = cluster.workdir / "nginx-access.log"
    for line in path.read_text(errors="replace").splitlines():
        parts = line.split(" ", 3)
        if len(parts) > 2 and float(parts[0]) >= since_epoch and parts[2].endswith(f":{port}"):
            count += 1
    return count


def scenario_postgres_restart(cluster, seconds):
    outage = min(5.0, seconds / 4)

    def fault(cluster, started, seconds, events):
        time.sleep(max(0, started + seconds / 3 - time.monotonic()))
        events["down"] = time.monotonic()
        cluster.stop_postgres()
        events["stopped"] = time.monotonic()
        time.sleep(outage)
        cluster.start_postgres()
        events["up"] = time.monotonic()

    outcome = run_learners(cluster, "4. PostgreSQL restarted", seconds, fault=fault)
    events = outcome.fault_events
    figures = outcome.figures
    during = [e for e in figures.server_errors if events["down"] - 1 <= e[0] <= events["up"] + 1]
    unavailable = [e for e in during if e[1] == 503]
    others = [e for e in figures.server_errors if e[1] != 503]
    slowest = max((e[2] for e in unavailable), default=0)
    median_503 = statistics.median(e[2] for e in unavailable) if unavailable else 0
    first_after = min((t for t in figures.acknowledged if t >= events["up"]), default=None)
    recovery = (first_after - events["up"]) if first_after else None
    outcome.notes.append(
        f"outage {events['up'] - events['down']:.1f} s: {len(unavailable)} answers 503"
        f" (median {median_503 * 1000:.0f} ms, slowest {slowest * 1000:.0f} ms);"
        " first write acknowledged"
        f" {recovery:.2f} s after PostgreSQL was back"
        if recovery is not None
        else "no write acknowledged after the restart"
    )
    outcome.check("the outage answers 503", unavailable)
    outcome.check("no other 5xx than 503", not others)
    # A hang would last the connect timeout (5 s) or gunicorn's (30 s); under load a 503 also
    # waits its turn behind the requests queued before it.
    outcome.check("503 answers come quickly (< 5 s)", slowest < 5)
    outcome.check(
        "the app recovers without a restart (< 10 s)", recovery is not None and recovery < 10
    )
    outcome.check("learners stayed signed in", figures.signed_out == 0)
    return outcome


def scenario_redis_restart(cluster, seconds, learners=50):
    def fault(cluster, started, seconds, events):
        time.sleep(max(0, started + seconds / 3 - time.monotonic()))
        events["down"] = time.monotonic()
        cluster.stop_redis()
        time.sleep(min(3.0, seconds / 5))
        cluster.start_redis()
        events["up"] = time.monotonic()

    outcome = run_learners(cluster, "5. Redis restarted", seconds, fault=fault)
    events = outcome.fault_events
    figures = outcome.figures
    late = server_errors_outside(figures, [(events["down"], events["down"] + 3)])
    outcome.notes.append(
        f"Redis down {events['up'] - events['down']:.1f} s; {len(figures.server_errors)} 5xx"
    )
    outcome.check(
        "no 5xx beyond requests in flight",
        not late and len(figures.server_errors) <= learners,
    )
    outcome.check("learners stayed signed in", figures.signed_out == 0)
    return outcome


def app_browser(cluster, index, number):
    """A client talking to one app server directly, as nginx does (X-Forwarded-* set)."""
    return Browser(
        cluster.app_port(index),
        source_ip="127.0.0.1",
        origin=cluster.origin,
        extra_headers=[
            ("Host", f"127.0.0.1:{cluster.https_port}"),
            ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-For", local_address(number)),
        ],
    )


def scenario_catalog_edit(cluster):
    outcome = Outcome("6. catalog edit on app 1, read on app 2")
    resource_id, _old_title, topic_slug = cluster.query(
        "SELECT r.id, r.title, t.slug FROM catalog_resource r "
        "JOIN catalog_listing l ON l.resource_id = r.id JOIN catalog_topic t ON t.id = l.topic_id "
        "WHERE r.is_published ORDER BY r.id LIMIT 1",
    )[0]
    topic_path = f"/topics/{topic_slug}/"
    readers = [app_browser(cluster, 1, 150 + n) for n in range(2 * cluster.workers)]
    for reader in readers:  # warm every worker's caches with the old page
        reader.get(topic_path)
    editor = app_browser(cluster, 0, 149)
    response = editor.sign_in(
        CURATOR_USERNAME, cluster.curator_password, login_path="/admin/login/", field="username"
    )
    outcome.check("the curator signs in to the admin on app 1", response.status == 302)
    change_path = f"/admin/catalog/resource/{resource_id}/change/"
    form_page = editor.get(change_path)
    fields = read_form(form_page.body, "resource_form")
    new_title = f"Edited during the load test {random.randrange(10**6)}"
    fields = [(name, new_title if name == "title" else value) for name, value in fields]
    fields.append(("_save", "Save"))
    body = urllib.parse.urlencode(fields).encode()
    saved = editor.request(
        "POST",
        change_path,
        body=body,
        headers=[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", cluster.origin),
            ("Referer", cluster.origin + change_path),
        ],
    )
    outcome.check("the admin saves the edit (302)", saved.status == 302)
    pages = [reader.get(topic_path) for reader in readers]
    pages += [
        reader.get("/search/?q=" + urllib.parse.quote("Edited during")) for reader in readers[:2]
    ]
    shown = sum(new_title in page_text(page) for page in pages)
    outcome.notes.append(f"new title on {shown} of {len(pages)} pages read from app 2 at once")
    outcome.check("app 2 shows the edit at once on every page read", shown == len(pages))
    for reader in [*readers, editor]:
        reader.close()
    outcome.figures = Figures()
    outcome.figures.requests = len(pages) + len(readers) + 4
    return outcome


def page_text(response):
    """The page's text without markup (search results highlight words with <mark>)."""
    text = re.sub(r"<[^>]+>", "", response.body.decode("utf-8", errors="replace"))
    return html.unescape(text)


def trickle(sock, data, stop, interval):
    for index in range(len(data)):
        if stop.is_set():
            return
        try:
            sock.sendall(data[index : index + 1])
        except OSError:
            return
        stop.wait(interval)


def open_slow_clients(port, count, stop, context=None):
    sockets = []
    threads = []
    for number in range(count):
        try:
            raw = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock = context.wrap_socket(raw, server_hostname="127.0.0.1") if context else raw
        except OSError:
            continue
        if number % 3 == 2:  # whole headers, then a body a byte at a time
            data = (
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
                + b"x"
                * 5000
            )
            data_start = data.index(b"\r\n\r\n") + 4
            sock.sendall(data[:data_start])
            data = data[data_start:]
        else:
            data = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"y" * 4000
        thread = threading.Thread(target=trickle, args=(sock, data, stop, 0.3), daemon=True)
        thread.start()
        sockets.append(sock)
        threads.append(thread)
    return sockets, threads


def probe_healthz(port, context, tries, timeout):
    latencies = []
    failures = 0
    for _ in range(tries):
        browser = Browser(port, ssl_context=context, timeout=timeout)
        try:
            response = browser.get("/healthz")
            if response.status == 200:
                latencies.append(response.elapsed)
            else:
                failures += 1
        except CONNECTION_ERRORS:
            failures += 1
        browser.close()
        time.sleep(0.2)
    return latencies, failures


def scenario_slow_clients(cluster, count=60):
    outcome = Outcome("7. slow clients")
    context = cluster.ssl_context()
    stop = threading.Event()
    sockets, _threads = open_slow_clients(cluster.https_port, count, stop, context)
    time.sleep(1.5)
    latencies, failures = probe_healthz(cluster.https_port, context, tries=20, timeout=5)
    stop.set()
    for sock in sockets:
        sock.close()
    slowest = max(latencies, default=0)
    outcome.notes.append(
        f"{len(sockets)} slow connections open: /healthz via nginx answered"
        f" {len(latencies)}/20, slowest {slowest * 1000:.0f} ms"
    )
    outcome.check(
        "/healthz answers through nginx (< 2 s) despite slow clients", failures == 0 and slowest < 2
    )
    # For contrast: the same against one gunicorn server with nothing in front.
    stop = threading.Event()
    direct, _ = open_slow_clients(cluster.app_port(0), cluster.workers + 1, stop)
    time.sleep(1.0)
    _direct_latencies, direct_failures = probe_healthz(
        cluster.app_port(0), None, tries=1, timeout=3
    )
    stop.set()
    for sock in direct:
        sock.close()
    outcome.notes.append(
        f"for contrast, straight to gunicorn with {len(direct)} slow clients:"
        + (" /healthz timed out after 3 s" if direct_failures else " /healthz answered")
    )
    outcome.figures = Figures()
    outcome.figures.requests = len(latencies) + failures
    return outcome


# Report ---------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="10 s per load scenario (CI)")
    parser.add_argument("--seconds", type=float, help="seconds per load scenario")
    parser.add_argument("--fuzz-requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--only", help="comma-separated scenario numbers, e.g. 1,6,8")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the clusters' temp dirs")
    arguments = parser.parse_args()
    seconds = arguments.seconds or (10 if arguments.short else 60)
    wanted = set((arguments.only or "1,2,3,4,5,6,7,8").split(","))
    stop_on_signals()
    outcomes = []
    started = time.monotonic()
    try:
        if "2" in wanted:
            with Cluster(
                base_port=SQLITE_BASE_PORT,
                database="sqlite",
                app_servers=1,
                redis=False,
                keep_workdir=arguments.keep,
            ) as cluster:
                cluster.start(learners=50)
                print_start(cluster)
                outcome = scenario_load(cluster, seconds, "2. SQLite, 1 server × 3 workers")
                announce(outcome)
                outcomes.append(outcome)
                report_server_logs(cluster, outcome)
        if wanted - {"2"}:
            with Cluster(base_port=POSTGRES_BASE_PORT, keep_workdir=arguments.keep) as cluster:
                # Both clusters share the project's STATIC_ROOT: collect it once.
                cluster.start(learners=50, collectstatic="2" not in wanted)
                print_start(cluster)
                steps = [
                    ("1", lambda: scenario_load(cluster, seconds, "1. PostgreSQL, 2 servers")),
                    ("3", lambda: scenario_kill_app_server(cluster, seconds)),
                    ("4", lambda: scenario_postgres_restart(cluster, seconds)),
                    ("5", lambda: scenario_redis_restart(cluster, seconds)),
                    ("6", lambda: scenario_catalog_edit(cluster)),
                    ("7", lambda: scenario_slow_clients(cluster)),
                    (
                        "8",
                        lambda: run_fuzz(
                            cluster, requests=arguments.fuzz_requests, seed=arguments.seed
                        ),
                    ),
                ]
                for number, step in steps:
                    if number in wanted:
                        outcome = step()
                        announce(outcome)
                        outcomes.append(outcome)
                report_server_logs(cluster, outcomes[-1] if outcomes else None)
    except (ClusterError, OSError) as error:
        print(f"load test could not run: {error}", file=sys.stderr)
        return 2
    print()
    print(table(outcomes))
    print(f"\ntotal {time.monotonic() - started:.0f} s", flush=True)
    if arguments.json:
        with open(arguments.json, "w") as output:
            json.dump(
                [
                    {
                        "name": o.name,
                        "passed": o.passed,
                        "checks": o.checks,
                        "notes": o.notes,
                        "requests": o.figures.requests if o.figures else 0,
                        "server_errors": len(o.figures.server_errors) if o.figures else 0,
                    }
                    for o in outcomes
                ],
                output,
                indent=2,
            )
    return 0 if all(outcome.passed for outcome in outcomes) else 1


def announce(outcome):
    failed = [description for description, passed in outcome.checks if not passed]
    print(f"{outcome.name}: {'FAIL: ' + '; '.join(failed) if failed else 'pass'}", flush=True)


def print_start(cluster):
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in cluster.timings.items())
    print(f"{cluster.database} cluster up in {cluster.workdir} ({steps})", flush=True)


def report_server_logs(cluster, outcome):
    """Print app servers' tracebacks, so that a 5xx can be traced to its cause."""
    for name in ("app1", "app2"):
        path = cluster.workdir / f"{name}.log"
        if not path.exists():
            continue
        text = path.read_text(errors="replace")
        tracebacks = len(re.findall(r"^Traceback", text, flags=re.MULTILINE))
        if tracebacks:
            print(
                f"\n{name}: {tracebacks} tracebacks logged; last lines:\n"
                + cluster.log_tail(name, 25)
            )


if __name__ == "__main__":
    sys.exit(main())

"""Catalog test fixtures: a local HTTP site for the link checker (never the internet), and the
POST data of admin pages with inlines."""

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SLOW_SECONDS = 2
REDIRECTS = {
    "/moved": (301, "/ok"),
    "/moved-twice": (301, "/moved-again"),
    "/moved-again": (308, "/ok"),
    "/temporary": (302, "/ok"),
    "/temporary-then-moved": (302, "/moved"),
    "/moved-then-temporary": (301, "/temporary"),
    "/loop": (301, "/loop"),
    "/to-file": (302, "file:///etc/passwd"),
    "/to-metadata": (302, "http://169.254.169.254/latest/meta-data/"),
    "/moved-to-metadata": (301, "http://169.254.169.254/latest/meta-data/"),
}
# The networks the tests' own servers are in: the link checker refuses every other private one.
TEST_SITE_NETWORK = "127.0.0.1/32"


class _TestSiteHandler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self._answer()

    def do_GET(self):
        self._answer()

    def log_message(self, format, *args):
        pass  # Keep test output quiet.

    def _answer(self):
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path))
            server.hosts.append(self.headers.get("Host"))
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        self.counted = True
        try:
            self._route()
        finally:
            self._leave_in_flight()

    def _leave_in_flight(self):
        # Before the answer is written: once the client has it, it may send its next request
        # at once, and this thread must not still count as busy (a loaded machine showed 3 of 2).
        if self.counted:
            self.counted = False
            with self.server.lock:
                self.server.in_flight -= 1

    def _route(self):
        path = self.path
        redirects = {**REDIRECTS, **self.server.redirects}
        if path in redirects:
            status, location = redirects[path]
            self._send(status, location=location)
        elif path.startswith("/chain/"):  # /chain/0 -> /chain/1 -> ... for ever
            self._send(302, location=f"/chain/{int(path.removeprefix('/chain/')) + 1}")
        elif path == "/missing":
            self._send(404)
        elif path == "/error":
            self._send(500)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200)
        elif path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200)
        elif path == "/hangs-up-on-head":
            if self.command == "HEAD":
                self.close_connection = True  # No answer at all.
            else:
                self._send(200)
        elif path.startswith("/busy/"):
            time.sleep(0.2)
            self._send(200)
        else:
            self._send(200 if path == "/ok" else 404)

    def _send(self, status, *, location=None):
        body = b"" if self.command == "HEAD" else b"hello"
        self._leave_in_flight()
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture
def local_test_sites_allowed(settings):
    """The link checker may fetch the tests' servers on 127.0.0.1 (and no other private
    address), as LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS allows on an intranet."""
    settings.LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS = [TEST_SITE_NETWORK]


@contextlib.contextmanager
def serving(address="127.0.0.1"):
    """A local HTTP server with an endpoint for each case a link can be in; `.url(path)` names
    one, `.requests` lists what it was asked, `.redirects` takes more redirects by path."""
    server = ThreadingHTTPServer((address, 0), _TestSiteHandler)
    server.daemon_threads = True
    server.block_on_close = False
    server.lock = threading.Lock()
    server.requests = []
    server.hosts = []
    server.redirects = {}
    server.in_flight = server.max_in_flight = 0
    server.slow_seconds = SLOW_SECONDS
    host, port = server.server_address
    server.url = lambda path: f"http://{host}:{port}{path}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site(local_test_sites_allowed):
    with serving() as server:
        yield server


@pytest.fixture
def other_loopback_site():
    """A second server on 127.0.0.2: loopback too, but outside the allowed network."""
    with serving("127.0.0.2") as server:
        yield server


@pytest.fixture
def refused_url(local_test_sites_allowed):
    """A URL on a port nothing listens on: bind a socket, note its port, close it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def management_form():
    """The management-form fields an admin inline formset posts with its rows."""

    def fields(prefix, total=0, initial=0):
        return {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }

    return fields


@pytest.fixture
def degree_form(management_form):
    """The POST data of a degree's admin page with these requirement rows."""

    def form(degree, rows):
        data = {
            "curriculum": degree.curriculum_id,
            "title": degree.title,
            "slug": degree.slug,
            "rank": degree.rank,
            "summary": degree.summary,
            "description": degree.description,
            **management_form("requirements", total=len(rows)),
        }
        for index, row in enumerate(rows):
            data.update({f"requirements-{index}-{name}": value for name, value in row.items()})
        return data

    return form

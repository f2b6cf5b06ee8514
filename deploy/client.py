"""A small HTTP client for the load and fault suite: one "browser" per learner.

Each browser keeps its cookies and one keep-alive connection, and connects from its own
loopback address (127.0.0.x), so that nginx and the app see fifty different clients.
"""

import http.client
import re
import socket
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(rb'"X-CSRFToken"\s*:\s*"([^"]+)"')
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class Response:
    status: int
    headers: list
    body: bytes
    elapsed: float
    started: float
    reason: str = ""
    set_cookies: dict = field(default_factory=dict)

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def location(self):
        return self.header("Location") or ""

    def csrf_token(self):
        match = CSRF_FIELD.search(self.body) or CSRF_HEADER.search(self.body)
        return match.group(1).decode() if match else None


class Browser:
    """Cookies, a keep-alive connection and a source address; `request` sends one request."""

    def __init__(
        self,
        port,
        *,
        ssl_context=None,
        source_ip="127.0.0.1",
        timeout=15,
        extra_headers=(),
        origin=None,
    ):
        self.port = port
        self.origin_override = origin
        self.ssl_context = ssl_context
        self.source_ip = source_ip
        self.timeout = timeout
        self.extra_headers = list(extra_headers)
        self.cookies = {}
        self.csrf_token = None
        self.connection = None

    @property
    def origin(self):
        if self.origin_override:
            return self.origin_override
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def _connect(self):
        if self.ssl_context:
            connection = http.client.HTTPSConnection(
                "127.0.0.1",
                self.port,
                timeout=self.timeout,
                context=self.ssl_context,
                source_address=(self.source_ip, 0),
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source_ip, 0)
            )
        return connection

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, *, body=None, headers=(), cookies=True):
        """Send one request; raise OSError/HTTPException when the connection fails."""
        if self.connection is None:
            self.connection = self._connect()
        all_headers = [*self.extra_headers, *headers]
        if cookies and self.cookies:
            all_headers.append(
                ("Cookie", "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
            )
        if body is not None and not any(name.lower() == "content-length" for name, _ in headers):
            all_headers.append(("Content-Length", str(len(body))))
        started = time.monotonic()
        try:
            has_host = any(name.lower() == "host" for name, _ in all_headers)
            self.connection.putrequest(method, path, skip_host=has_host, skip_accept_encoding=True)
            for name, value in all_headers:
                self.connection.putheader(name, value)
            self.connection.endheaders(body)
            response = self.connection.getresponse()
            payload = response.read()
        except CONNECTION_ERRORS:
            self.close()
            raise
        elapsed = time.monotonic() - started
        if response.will_close:
            self.close()
        set_cookies = self._store_cookies(response.msg.get_all("Set-Cookie") or [])
        return Response(
            response.status,
            list(response.getheaders()),
            payload,
            elapsed,
            started,
            response.reason,
            set_cookies,
        )

    def _store_cookies(self, header_values):
        stored = {}
        for header_value in header_values:
            jar = SimpleCookie()
            try:
                jar.load(header_value)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
                stored[name] = morsel.value
        return stored

    def get(self, path, headers=()):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, fields, headers=()):
        body = urllib.parse.urlencode(fields).encode()
        form_headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", self.origin),
            ("Referer", self.origin + path),
            *headers,
        ]
        return self.request("POST", path, body=body, headers=form_headers)

    def signed_in(self):
        return any("session" in name for name in self.cookies)

    def sign_in(self, username, password, login_path="/accounts/login/", field="login"):
        """Sign in through the real form, then load the page it leads to (for a fresh token)."""
        page = self.get(login_path)
        token = page.csrf_token()
        if page.status != 200 or token is None:
            return page
        response = self.post_form(
            login_path, {"csrfmiddlewaretoken": token, field: username, "password": password}
        )
        if response.status == 302 and self.signed_in():
            landing = self.get(urllib.parse.urlsplit(response.location).path or "/")
            self.csrf_token = landing.csrf_token() or self.csrf_token
        return response


def local_address(number):
    """A distinct loopback source address per simulated client (127.0.0.10 ...)."""
    return f"127.0.{number // 200}.{10 + number % 200}"


def loopback_source_addresses_work():
    try:
        with socket.create_connection(
            ("127.0.0.1", 9), timeout=1, source_address=(local_address(1), 0)
        ):
            pass
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    return True


class FormReader(HTMLParser):
    """The fields a browser would submit from the first form whose id matches."""

    def __init__(self, form_id=None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.done = False
        self.fields = []
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self.done:
            if self.form_id is None or attributes.get("id") == self.form_id:
                self.in_form = True
            return
        if not self.in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append(
                (name, attributes.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self._select = name
            self._select_first = None
            self._select_chosen = False
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attributes:
                self.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            value = self._textarea[1]
            self.fields.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def read_form(html, form_id=None):
    reader = FormReader(form_id)
    reader.feed(html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html)
    return reader.fields

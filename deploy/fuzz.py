"""Scenario 8 of the load test: a seeded fuzz pass over the whole site, through nginx.

A seeded generator (`random.Random(seed)`) combines the site's real URLs (read from its
pages) and mutations of them with odd query strings, methods, headers (`HX-*`, charsets in
`Content-Type`, cookies, CSRF tokens) and bodies, signed in and anonymous. Any 5xx answer is
a failure; each is written out with everything needed to replay it (`fuzz-5xx.json` in the
cluster's directory, and the first ones printed).
"""

import contextlib
import json
import random
import re
import threading
import time
import urllib.parse

from deploy.client import CONNECTION_ERRORS, Browser, local_address
from deploy.results import Figures, Outcome

STATIC_PATHS = [
    "/",
    "/healthz",
    "/degrees/",
    "/search/",
    "/progress/",
    "/account/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/logout/",
    "/accounts/password/reset/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/admin/",
    "/admin/login/",
    "/nope",
    "/static/nope.css",
]
SLUG_PATHS = [
    ("/topics/{}/", "topic"),
    ("/degrees/{}/", "degree"),
    ("/progress/resources/{}/status/", "resource"),
    ("/progress/resources/{}/note/", "resource"),
    ("/progress/milestones/{}/evidence/", "milestone"),
    ("/progress/milestones/{}/evidence/withdraw/", "milestone"),
]
METHODS = ["GET"] * 8 + ["POST"] * 7 + ["HEAD"] * 2 + ["PUT", "DELETE", "PATCH", "OPTIONS", "FOO"]
ODD_TEXT = [
    "",
    "a",
    "foo",
    "account_login",
    "progress:dashboard",
    "//evil.example/",
    "https://evil.example/x",
    "/\\evil.example",
    "javascript:alert(1)",
    "/progress/",
    "/topics/calculus/?q=1",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "é" * 3,
    "日本語",
    "\U0001f600",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%ff%fe",
    "\x00",
    "\ud800",
    "a" * 3000,
    "completed",
    "in_progress",
    "not_started",
    "known",
    "skipped",
    "https://example.org/evidence",
]
QUERY_KEYS = ["q", "page", "next", "status", "kind", "level", "topic", "sort", "format", "_"]
FORM_KEYS = ["status", "note", "url", "description", "next", "login", "password", "email"]
CHARSETS = [None, "utf-8", "UTF-8", "latin-1", "iso-8859-1", "utf-16", "utf-32", "x-nope", ""]


def encode_text(text):
    return text.encode("utf-8", errors="surrogatepass")


class RequestGenerator:
    """Seeded: the same seed gives the same requests (given the same site)."""

    def __init__(self, rng, slugs, crawled_paths):
        self.random = rng
        self.slugs = slugs
        self.crawled_paths = crawled_paths

    def odd_text(self):
        choice = self.random.random()
        if choice < 0.6:
            return self.random.choice(ODD_TEXT)
        length = self.random.randrange(1, 40)
        return "".join(
            chr(
                self.random.choice(
                    [self.random.randrange(32, 127), self.random.randrange(0x80, 0x3000)]
                )
            )
            for _ in range(length)
        )

    def slug(self, kind):
        if self.random.random() < 0.8 and self.slugs.get(kind):
            return self.random.choice(self.slugs[kind])
        return urllib.parse.quote(encode_text(self.odd_text()), safe="") or "x"

    def path(self):
        choice = self.random.random()
        if choice < 0.3:
            path = self.random.choice(STATIC_PATHS)
        elif choice < 0.5 and self.crawled_paths:
            path = self.random.choice(self.crawled_paths)
        else:
            template, kind = self.random.choice(SLUG_PATHS)
            path = template.format(self.slug(kind))
        if self.random.random() < 0.2:
            path = self.mutate_path(path)
        return path

    def mutate_path(self, path):
        mutation = self.random.randrange(7)
        if mutation == 0:
            return path.rstrip("/")
        if mutation == 1:
            return path + urllib.parse.quote(encode_text(self.odd_text()), safe="/")
        if mutation == 2:
            return path.replace("/", "//", 1)
        if mutation == 3:
            return path.upper()
        if mutation == 4:
            return path + "%" + "".join(self.random.choice("0123456789abcdefg") for _ in range(2))
        if mutation == 5:
            return path + "/../" * self.random.randrange(1, 4) + "etc/passwd"
        return path + ";" + urllib.parse.quote(encode_text(self.odd_text()), safe="")

    def query_string(self):
        if self.random.random() < 0.5:
            return ""
        pairs = []
        for _ in range(self.random.randrange(1, 4)):
            key = self.random.choice([*QUERY_KEYS, self.odd_text()[:10]])
            pairs.append((key, self.odd_text()))
        if self.random.random() < 0.1:
            # Raw, as a careless client sends it: only what HTTP cannot carry is escaped.
            raw = "&".join(f"{k}={v}" for k, v in pairs)
            return "?" + urllib.parse.quote(encode_text(raw), safe="!\"$&'()*+,/:;<=>?@[\\]^`{|}~%")
        return "?" + urllib.parse.urlencode([(encode_text(k), encode_text(v)) for k, v in pairs])

    def form_fields(self, csrf_token):
        fields = []
        if csrf_token and self.random.random() < 0.75:
            fields.append(("csrfmiddlewaretoken", csrf_token))
        elif self.random.random() < 0.3:
            fields.append(("csrfmiddlewaretoken", self.odd_text()))
        for _ in range(self.random.randrange(0, 5)):
            key = self.random.choice([*FORM_KEYS, self.odd_text()[:12]])
            fields.append((key, self.odd_text()))
        return fields

    def body(self, csrf_token):
        """(content type or None, body bytes)."""
        kind = self.random.randrange(10)
        charset = self.random.choice(CHARSETS)
        if kind <= 5:
            fields = self.form_fields(csrf_token)
            content_type = "application/x-www-form-urlencoded"
            if charset is not None:
                content_type += f"; charset={charset}"
            encoding = (
                charset if charset in {"latin-1", "iso-8859-1", "utf-16", "utf-32"} else "utf-8"
            )
            if self.random.random() < 0.3:  # declared and actual charsets disagree
                encoding = self.random.choice(["utf-8", "utf-16", "latin-1"])
            text = urllib.parse.urlencode([(encode_text(k), encode_text(v)) for k, v in fields])
            return content_type, text.encode(encoding, errors="replace")
        if kind <= 7:
            boundary = "----fuzz" + str(self.random.randrange(10**6))
            parts = []
            for name, value in self.form_fields(csrf_token):
                parts.append(
                    f"--{boundary}\r\n".encode()
                    + encode_text(f'Content-Disposition: form-data; name="{name}"\r\n\r\n')
                    + encode_text(value)
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            if self.random.random() < 0.4:  # broken: truncated, wrong boundary, or none
                body = body[: self.random.randrange(len(body) + 1)]
            declared = self.random.choice(
                [
                    f"; boundary={boundary}",
                    "; boundary=nope",
                    "",
                    f"; boundary={boundary}; charset={charset}",
                ]
            )
            return "multipart/form-data" + declared, body
        if kind == 8:
            return self.random.choice(
                ["application/json", "text/plain", "application/xml"]
            ), encode_text(json.dumps({self.odd_text(): self.odd_text()}, ensure_ascii=False))
        return self.random.choice([None, "application/octet-stream", "x/y; charset=utf-8"]), bytes(
            self.random.randrange(256) for _ in range(self.random.randrange(0, 300))
        )

    def headers(self, origin, csrf_token):
        headers = []
        if self.random.random() < 0.4:
            headers.append(("HX-Request", self.random.choice(["true", "true", "false", "1", "x"])))
            if self.random.random() < 0.7:
                headers.append(
                    (
                        "HX-Current-URL",
                        self.random.choice(
                            [
                                origin + "/",
                                origin + "/progress/",
                                "https://evil.example/",
                                "not a url",
                                origin + self.path(),
                            ]
                        ),
                    )
                )
            for name in (
                "HX-Target",
                "HX-Trigger",
                "HX-Boosted",
                "HX-History-Restore-Request",
                "HX-Prompt",
            ):
                if self.random.random() < 0.15:
                    headers.append((name, self.printable(self.odd_text())))
        if self.random.random() < 0.3:
            headers.append(
                (
                    "X-CSRFToken",
                    csrf_token
                    if csrf_token and self.random.random() < 0.7
                    else self.printable(self.odd_text()),
                )
            )
        if self.random.random() < 0.7:
            headers.append(
                ("Origin", origin if self.random.random() < 0.85 else "https://evil.example")
            )
            headers.append(("Referer", origin + "/"))
        optional = [
            ("Accept-Language", ["fr-CH, fr;q=0.9, en;q=0.8", "xx", "*", "zz-ZZ;q=abc"]),
            ("Accept", ["text/html", "application/json", "*/*", "garbage"]),
            ("If-None-Match", ['"abc"', "*", "W/garbage"]),
            ("If-Modified-Since", ["Wed, 21 Oct 2015 07:28:00 GMT", "yesterday", "0"]),
            ("Range", ["bytes=0-10", "bytes=x", "bytes=100-1"]),
            ("X-Forwarded-For", ["1.2.3.4", "garbage", "1.2.3.4, 5.6.7.8"]),
            ("User-Agent", ["", "fuzz/1.0", "\U0001f600"]),
        ]
        for name, values in optional:
            if self.random.random() < 0.1:
                headers.append((name, self.printable(self.random.choice(values))))
        return headers

    @staticmethod
    def printable(text):
        """Header values must be latin-1 without line breaks for http.client."""
        return (
            text.encode("latin-1", errors="replace")
            .decode("latin-1")
            .replace("\r", " ")
            .replace("\n", " ")
            .replace("\x00", " ")
        )

    def cookies(self, browser):
        cookies = dict(browser.cookies)
        roll = self.random.random()
        if roll < 0.1:
            cookies["csrftoken"] = self.printable(self.odd_text()).replace(";", "")
        elif roll < 0.15:
            cookies["sessionid"] = "garbage"
        elif roll < 0.2:
            cookies.pop("csrftoken", None)
        elif roll < 0.23:
            return "a=b; ; =; c"
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def request(self, browser):
        method = self.random.choice(METHODS)
        path = self.path() + self.query_string()
        headers = self.headers(browser.origin, browser.csrf_token)
        body = None
        if method in {"POST", "PUT", "PATCH"} or self.random.random() < 0.05:
            content_type, body = self.body(browser.csrf_token)
            if content_type is not None:
                headers.append(("Content-Type", self.printable(content_type)))
        headers.append(("Cookie", self.cookies(browser)))
        return method, path, headers, body


def crawl(browser, start_paths):
    """Same-site paths the pages link to or post to (href, action, hx-get, hx-post)."""
    found = set()
    for path in start_paths:
        try:
            response = browser.get(path)
        except CONNECTION_ERRORS:
            continue
        for match in re.finditer(rb'(?:href|action|hx-get|hx-post)="(/[^"]*)"', response.body):
            found.add(match.group(1).decode("utf-8", "replace").replace("&amp;", "&"))
    return sorted(found)


def run_fuzz(
    cluster, *, requests=10_000, seed=12, threads=6, signed_in_learners=(45, 46, 47, 48, 49, 50)
):
    outcome = Outcome(f"8. fuzz ({requests:,} requests)")
    figures = Figures()
    slugs = {
        "topic": [row[0] for row in cluster.query("SELECT slug FROM catalog_topic")],
        "degree": [row[0] for row in cluster.query("SELECT slug FROM catalog_degree")],
        "resource": [row[0] for row in cluster.query("SELECT slug FROM catalog_resource")],
        "milestone": [row[0] for row in cluster.query("SELECT slug FROM catalog_milestone")],
    }
    context = cluster.ssl_context()
    crawler = Browser(cluster.https_port, ssl_context=context, source_ip=local_address(120))
    crawler.sign_in("learner44", "learner44-pass")
    crawled = crawl(
        crawler, ["/", "/degrees/", "/progress/", "/account/", f"/topics/{slugs['topic'][0]}/"]
    )
    crawled = [path for path in crawled if "logout" not in path and "delete" not in path]
    crawler.close()
    failures = []
    client_errors = []
    status_counts = {}
    lock = threading.Lock()
    per_thread = requests // threads
    extra = requests - per_thread * threads
    started = time.monotonic()

    def worker(index):
        rng = random.Random(seed * 7919 + index)
        generator = RequestGenerator(rng, slugs, crawled)
        learner = signed_in_learners[index % len(signed_in_learners)] if index % 2 == 0 else None
        browser = Browser(
            cluster.https_port,
            ssl_context=context,
            source_ip=local_address(130 + index),
            timeout=30,
        )
        count = per_thread + (1 if index < extra else 0)
        for number in range(count):
            if learner and number % 400 == 0:
                browser.cookies.clear()
                with contextlib.suppress(CONNECTION_ERRORS):
                    browser.sign_in(f"learner{learner:02d}", f"learner{learner:02d}-pass")
            method, path, headers, body = generator.request(browser)
            try:
                response = browser.request(method, path, body=body, headers=headers, cookies=False)
            except CONNECTION_ERRORS:
                figures.record_connection_error()
                with lock:
                    status_counts["dropped"] = status_counts.get("dropped", 0) + 1
                continue
            except Exception as error:  # a bug in this generator, not in the site
                with lock:
                    client_errors.append(f"{type(error).__name__}: {error} ({method} {path})")
                browser.close()
                continue
            figures.record(response, is_write=False)
            with lock:
                status_counts[response.status] = status_counts.get(response.status, 0) + 1
                if response.status >= 500 and len(failures) < 200:
                    failures.append(
                        {
                            "status": response.status,
                            "method": method,
                            "path": path,
                            "headers": headers,
                            "body": body.decode("latin-1") if body else None,
                            "response": response.body[:300].decode("utf-8", "replace"),
                        }
                    )
        browser.close()

    workers = [
        threading.Thread(target=worker, args=(index,), daemon=True) for index in range(threads)
    ]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    outcome.seconds = time.monotonic() - started
    outcome.figures = figures
    summary = ", ".join(
        f"{status}: {count}"
        for status, count in sorted(status_counts.items(), key=lambda item: str(item[0]))
    )
    outcome.notes.append(f"seed {seed}, {len(crawled)} crawled paths; answers {summary}")
    if failures:
        path = cluster.workdir / "fuzz-5xx.json"
        path.write_text(json.dumps(failures, indent=2, ensure_ascii=False))
        outcome.notes.append(f"5xx cases written to {path}")
        for failure in failures[:5]:
            print("fuzz 5xx:", json.dumps(failure, ensure_ascii=False)[:1500])
    for error in client_errors[:5]:
        outcome.notes.append(f"client-side error: {error}")
    outcome.check("the generator made only valid HTTP requests", not client_errors)
    outcome.check(f"at least {requests:,} requests sent", figures.requests >= requests)
    outcome.check("0 responses 5xx", not figures.server_errors)
    return outcome

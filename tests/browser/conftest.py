"""Real-browser fixtures: Debian's Chromium driven by Playwright against the live server.

The browser is never downloaded: tests use `/usr/bin/chromium` (or `MLMATH_CHROMIUM`). Without
it they skip with a reason, except under CI (`CI` set), where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in the test's thread; the tests only use the ORM
# between browser steps, never concurrently with them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def chromium_path():
    candidate = os.environ.get("MLMATH_CHROMIUM") or shutil.which("chromium") or ""
    return candidate if candidate and os.access(candidate, os.X_OK) else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        reason = "needs Chromium: install Debian's package `chromium` (apt-get install chromium)"
        skip_or_fail(reason)
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser(live_server, browser):
    """Playwright's browser, started after the live server so that it closes before the server
    stops: the server's threads then end with the connections the browser kept open, while
    they may still use the server's database connection (SQLite's in-memory test database is
    shared with them only until the server stops)."""
    return browser


@pytest.fixture
def seeded_live_server(live_server, transactional_db):
    call_command("loaddata", "catalog", verbosity=0)
    return live_server


class ConsoleErrors(list):
    """Every console error and uncaught page error seen in one test."""


@pytest.fixture
def console_errors(page):
    errors = ConsoleErrors()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert list(errors) == [], f"console errors: {list(errors)}"


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core in the page and return the violations of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) allows it.
        page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]


@pytest.fixture
def sign_in(seeded_live_server):
    """`sign_in(page, user)`: the browser context carries a session for `user`."""

    def sign_in_page(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": seeded_live_server.url}]
        )
        return page

    return sign_in_page

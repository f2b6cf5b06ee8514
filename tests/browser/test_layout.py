"""Look and feel: a phone-width header in at most two rows, no sideways scrolling, and the
screenshots shown in the README (written to docs/screenshots/ by `make screenshots`)."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.factories import complete

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ROWS_OF_HEADER = """() => {
  const items = [document.querySelector('.brand'), ...document.querySelectorAll('.nav > li')];
  const middles = items.map(item => {
    const box = item.getBoundingClientRect();
    return box.top + box.height / 2;
  }).sort((a, b) => a - b);
  return middles.filter((middle, index) => index === 0 || middle - middles[index - 1] > 12).length;
}"""


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("path", ["/", "/topics/linear-algebra/", "/search/?q=edx", "/progress/"])
def test_phone_width_keeps_the_header_to_two_rows_and_nothing_scrolls_sideways(
    page, seeded_live_server, sign_in, learner, console_errors, path, signed_in
):
    if signed_in:
        sign_in(page, learner)
    page.set_viewport_size(PHONE)
    page.goto(seeded_live_server.url + path)

    assert page.evaluate(ROWS_OF_HEADER) <= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_screenshots_of_the_main_pages(
    page, seeded_live_server, sign_in, learner, tmp_path, console_errors
):
    from catalog.models import Resource

    folder = SCREENSHOTS if os.environ.get("MLMATH_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    complete(learner, *Resource.objects.filter(topic__slug="calculus"))
    pages = {
        "catalog": "/",
        "topic": "/topics/linear-algebra/",
        "search": "/search/?q=eigen",
        "degrees": "/degrees/",
    }
    signed_in_pages = {"dashboard": "/progress/"}
    taken = []

    def shoot_each(named_paths):
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(size)
                for name, path in named_paths.items():
                    taken.append(
                        shoot(page, seeded_live_server.url + path, folder, name, size_name, scheme)
                    )

    shoot_each(pages)
    sign_in(page, learner)
    shoot_each(signed_in_pages)

    assert all(Path(file).stat().st_size > 10_000 for file in taken)


def shoot(page, url, folder, name, size_name, scheme):
    page.goto(url)
    path = folder / f"{name}-{size_name}-{scheme}.png"
    page.screenshot(path=path, full_page=size_name == "desktop")
    return path

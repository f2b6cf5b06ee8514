"""The manual builds with `mkdocs build --strict` and loads nothing from another host: no web
fonts, no CDN script, no stylesheet or image from elsewhere (links to other sites are fine)."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Attributes whose URL the browser fetches by itself, by element.
ASSET_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
}
# A <link> fetches its href unless it is only a relation between pages.
NAVIGATION_LINKS = {"canonical", "alternate", "prev", "next", "author", "license", "help"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(?P<url>[^'")\s]+)""")


def fetched_from_another_host(url):
    parts = urlsplit(url.strip())
    return parts.scheme in {"http", "https"} or url.strip().startswith("//")


class AssetCollector(HTMLParser):
    """Every URL a page makes the browser fetch: asset attributes, <link>s, and CSS in
    <style> and style attributes."""

    def __init__(self):
        super().__init__()
        self.urls, self.in_style, self.mermaid = [], False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ASSET_ATTRIBUTES.get(tag, ()):
            if attrs.get(name):
                self.urls += [part.split()[0] for part in attrs[name].split(",") if part.strip()]
        relations = set((attrs.get("rel") or "").split())
        if tag == "link" and attrs.get("href") and not relations <= NAVIGATION_LINKS:
            self.urls.append(attrs["href"])
        if attrs.get("style"):
            self.urls += [match["url"] for match in CSS_URL.finditer(attrs["style"])]
        # Material fetches mermaid.js from unpkg.com for a page with a diagram.
        self.mermaid |= "mermaid" in (attrs.get("class") or "").split()
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.urls += [match["url"] for match in CSS_URL.finditer(data)]


def external_assets(html):
    collector = AssetCollector()
    collector.feed(html)
    found = [url for url in collector.urls if fetched_from_another_host(url)]
    return found + (["mermaid.js (unpkg.com)"] if collector.mermaid else [])


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_the_collector_finds_what_a_browser_would_fetch():
    html = """<html><head>
      <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
      <link rel="preconnect" href="https://fonts.gstatic.com">
      <link rel="canonical" href="https://mlmath.example.org/">
      <script src="//unpkg.com/iframe-worker/shim"></script>
      <style>body { font-family: x; } @import "https://cdn.example.org/a.css";</style>
    </head><body>
      <a href="https://github.com/EderSantana/awesomeMLmath">the list</a>
      <img src="screenshots/catalog.png" srcset="https://cdn.example.org/a.png 2x">
      <div style="background: url('https://cdn.example.org/b.png')"></div>
      <pre class="mermaid">graph LR</pre>
    </body></html>"""
    assert external_assets(html) == [
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://fonts.gstatic.com",
        "//unpkg.com/iframe-worker/shim",
        "https://cdn.example.org/a.css",
        "https://cdn.example.org/a.png",
        "https://cdn.example.org/b.png",
        "mermaid.js (unpkg.com)",
    ]


def test_every_page_of_the_manual_is_built(built_site):
    pages = sorted((PROJECT_DIR / "docs").glob("*.md"))
    assert len(pages) > 5
    for page in pages:
        folder = built_site if page.stem == "index" else built_site / page.stem
        assert (folder / "index.html").is_file(), page.name


def test_no_page_loads_anything_from_another_host(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        assert external_assets(page.read_text()) == [], page.relative_to(built_site)


def test_no_stylesheet_loads_anything_from_another_host(built_site):
    stylesheets = sorted(built_site.rglob("*.css"))
    assert stylesheets
    for stylesheet in stylesheets:
        urls = [match["url"] for match in CSS_URL.finditer(stylesheet.read_text())]
        assert not [url for url in urls if fetched_from_another_host(url)], stylesheet.name


def test_the_manual_names_no_web_font_service(built_site):
    for page in built_site.rglob("*.html"):
        assert "fonts.googleapis.com" not in page.read_text()
        assert "fonts.gstatic.com" not in page.read_text()

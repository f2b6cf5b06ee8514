"""The deployment files: what docs/operations.md shows is what `make cluster` runs, nginx accepts
the site file, and the load test's own tools (form reader, fuzz generator) behave."""

import http.client
import random
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.client import read_form
from deploy.cluster import Cluster
from deploy.fuzz import RequestGenerator
from tests.conftest import skip_or_fail

PROJECT_DIR = Path(__file__).resolve().parent.parent
OPERATIONS_DOC = (PROJECT_DIR / "docs" / "operations.md").read_text()


@pytest.mark.parametrize("config", ["deploy/gunicorn.conf.py", "deploy/nginx/mlmath.conf"])
def test_docs_show_the_configuration_the_cluster_uses(config):
    """The manual includes the file itself (a snippet the strict docs build must resolve), so
    what a reader copies is what `make cluster` runs."""
    assert (PROJECT_DIR / config).is_file()
    assert f'--8<-- "{config}"' in OPERATIONS_DOC


def test_gunicorn_serves_on_loopback_with_sync_workers_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    settings = runpy.run_path(str(PROJECT_DIR / "deploy" / "gunicorn.conf.py"))
    assert settings["bind"].startswith("127.0.0.1:")
    assert settings["worker_class"] == "sync"
    assert settings["forwarded_allow_ips"] == "127.0.0.1"


def test_nginx_accepts_the_rendered_site_file(tmp_path):
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None or shutil.which("openssl") is None:
        skip_or_fail("needs Debian's nginx and openssl: apt-get install nginx openssl")
    cluster = Cluster(base_port=18780, workdir=tmp_path)
    cluster.make_certificate()
    cluster.write_nginx_config()
    result = subprocess.run(
        [*cluster.nginx_command(), "-t"], capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    site = (tmp_path / "nginx" / "mlmath.conf").read_text()
    assert "server 127.0.0.1:18790 max_fails=1" in site
    assert "listen 127.0.0.1:18780 ssl;" in site
    assert "{{" not in site


def test_form_reader_submits_what_a_browser_would():
    html = """
    <form id="other"><input name="ignored" value="x"></form>
    <form id="resource_form" method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="token">
      <input name="title" value="Calculus &amp; more">
      <input type="checkbox" name="is_published" checked>
      <input type="checkbox" name="is_featured">
      <select name="kind"><option value="book">Book</option>
        <option value="video" selected>Video</option></select>
      <select name="level"><option value="">---</option>
        <option value="intro">Intro</option></select>
      <textarea name="note">
First line</textarea>
      <input type="submit" name="_continue" value="Save">
    </form>"""
    assert read_form(html, "resource_form") == [
        ("csrfmiddlewaretoken", "token"),
        ("title", "Calculus & more"),
        ("is_published", "on"),
        ("kind", "video"),
        ("level", ""),
        ("note", "First line"),
    ]


class RecordingConnection(http.client.HTTPConnection):
    """http.client's own checks on a request, without a network."""

    def send(self, data):
        pass


def generated_requests(seed, count):
    class SignedInBrowser:
        origin = "https://127.0.0.1:18750"
        csrf_token = "a" * 64
        cookies = {"csrftoken": "b" * 32, "sessionid": "c" * 32}

    slugs = {"topic": ["calculus"], "degree": ["practitioner"], "resource": ["keras"]}
    generator = RequestGenerator(random.Random(seed), slugs, ["/topics/calculus/"])
    return [generator.request(SignedInBrowser()) for _ in range(count)]


def test_fuzz_generator_is_reproducible_from_its_seed():
    assert generated_requests(7, 200) == generated_requests(7, 200)
    assert generated_requests(7, 200) != generated_requests(8, 200)


def test_fuzz_generator_makes_only_requests_http_can_carry():
    for method, path, headers, body in generated_requests(12, 3000):
        connection = RecordingConnection("127.0.0.1")
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders(body)

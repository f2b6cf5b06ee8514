"""Acceptance: 1EdTech's own Open Badges 2.0 validator checks our hosted assertions.

The validator (`openbadges` on PyPI, openbadges-validator-core) pins dependencies too old for
Python 3.11, so it gets its own virtualenv, built once from ob2_validator/requirements.txt and
cached in the git-ignored `.cache/` folder. It runs offline against a live server on
127.0.0.1 (ob2_validator/validate.py serves it the JSON-LD context from its own copy and
refuses every other address). Without the virtualenv the tests skip, or fail under CI.
"""

import fcntl
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from progress.models import DegreeAward
from tests.conftest import skip_or_fail
from tests.factories import at, earn_seed_practitioner

# The validator, in its own process, reads the real clock and refuses an assertion issued in its
# future: the award is made at a fixed moment in the past, whatever clock this session runs on
# (CI's runs from the end of December). The clock ticks on for the live server.
pytestmark = [
    pytest.mark.ob2_validator,
    pytest.mark.frozen_at(at("2026-03-04T05:06:07"), tick=True),
]

VALIDATOR_FILES = Path(__file__).parent / "ob2_validator"
REQUIREMENTS = VALIDATOR_FILES / "requirements.txt"
VENV = Path(django_settings.BASE_DIR) / ".cache" / "ob2-validator-venv"
CONTEXT_URL = "https://w3id.org/openbadges/v2"


def run(command, timeout):
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def validator_python():
    """The validator's virtualenv, rebuilt only when its requirements change, by one test run
    at a time (CI runs the SQLite and the PostgreSQL passes at once)."""
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / "ob2-validator.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return built_validator()


def built_validator():
    python = VENV / "bin" / "python"
    stamp = VENV / "installed-requirements.txt"
    requirements = REQUIREMENTS.read_text(encoding="utf-8")
    if python.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == requirements:
        return python
    shutil.rmtree(VENV, ignore_errors=True)
    try:
        run([sys.executable, "-m", "venv", str(VENV)], timeout=300)
        run(
            [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-r", str(REQUIREMENTS)],
            timeout=1200,
        )
        run([str(python), "-c", "import openbadges.verifier"], timeout=120)
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        skip_or_fail(
            "cannot build the Open Badges 2.0 validator's virtualenv in "
            f"{VENV} (needs `python3 -m venv` and PyPI): {detail.strip()[-500:]}"
        )
    stamp.write_text(requirements, encoding="utf-8")
    return python


def validate(python, badge, email):
    """The validator's report on a URL or a baked image file, for a recipient email."""
    result = run(
        [str(python), str(VALIDATOR_FILES / "validate.py"), str(badge), email], timeout=600
    )
    return json.loads(result.stdout)


@pytest.fixture
def origin(live_server, transactional_db, settings):
    """The live server on 127.0.0.1, serving the seed catalog, named by SITE_URL."""
    call_command("loaddata", "catalog", verbosity=0)
    origin = live_server.url.replace("localhost", "127.0.0.1")
    settings.SITE_URL = origin
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    settings.BADGES_ISSUER_EMAIL = "badges@mlmath.example.org"
    return origin


@pytest.fixture
def hosted_assertion_url(origin, make_learner):
    award = earn_seed_practitioner(make_learner("ada")).set_shared(True)
    return origin + reverse("badges:assertion", args=[award.public_id])


def offline(report, origin):
    """Every address the validator asked for was our server or the context it holds a copy of."""
    return all(url.startswith(origin) or url == CONTEXT_URL for url in report["reached"])


def test_the_validator_finds_the_hosted_assertion_valid_for_its_learner(
    validator_python, origin, hosted_assertion_url
):
    report = validate(validator_python, hosted_assertion_url, "ada@example.com")
    assert report["errorCount"] == 0, report["messages"]
    assert report["valid"] is True
    assert report["validationSubject"] == hosted_assertion_url
    assert offline(report, origin)
    assert f"{origin}/badges/issuer.json" in report["reached"]


def test_the_validator_reports_a_mismatch_for_another_email(
    validator_python, origin, hosted_assertion_url
):
    report = validate(validator_python, hosted_assertion_url, "bob@example.com")
    assert report["valid"] is False
    [message] = report["messages"]
    assert message["name"] == "VERIFY_RECIPIENT_IDENTIFIER"
    assert "bob@example.com of type email did not match" in message["result"]
    assert offline(report, origin)


@pytest.mark.parametrize("image", ["badges:baked_png", "badges:baked_svg"])
def test_the_validator_reads_our_baked_images(
    validator_python, origin, hosted_assertion_url, client, tmp_path, image
):
    public_id = hosted_assertion_url.split("/")[-2]
    response = client.get(reverse(image, args=[public_id]))
    baked = tmp_path / ("badge.png" if image.endswith("png") else "badge.svg")
    baked.write_bytes(response.content)
    report = validate(validator_python, baked, "ada@example.com")
    assert report["errorCount"] == 0, report["messages"]
    assert report["valid"] is True
    assert offline(report, origin)


def test_the_validator_no_longer_accepts_a_revoked_assertion(
    validator_python, origin, hosted_assertion_url
):
    DegreeAward.objects.all().revoke(reason="Evidence was plagiarised.")
    report = validate(validator_python, hosted_assertion_url, "ada@example.com")
    assert report["valid"] is False
    assert report["errorCount"] >= 1

"""Settings from the environment, checked in fresh processes the way production starts them."""

import json

import pytest
from django.core.management import call_command

from tests.badges.keys import did_private_key_pem, private_key_pem
from tests.processes import (
    DUMP_SETTINGS,
    PROJECT_DIR,
    production_secret_key,
    run_python,
    settings_under,
)


def test_production_settings_pass_the_deployment_checks():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="mlmath.example.org",
        BADGES_SIGNING_KEY=private_key_pem(1),
        BADGES_DID_KEY=did_private_key_pem(1),
        EMAIL_HOST="smtp.example.org",
        SITE_URL="https://mlmath.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(["manage.py", "check"], ALLOWED_HOSTS="mlmath.example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_production_refuses_an_empty_secret_key():
    result = run_python(["-c", DUMP_SETTINGS], SECRET_KEY="", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_starts_without_a_secret_key_using_a_development_default():
    print_key = "from mlmath import settings; print(settings.SECRET_KEY)"
    result = run_python(["-c", print_key], DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("django-insecure-")


def test_database_defaults_to_sqlite_in_the_project():
    dumped = settings_under(SECRET_KEY=production_secret_key())

    assert dumped["ENGINE"] == "django.db.backends.sqlite3"
    assert dumped["NAME"] == str(PROJECT_DIR / "db.sqlite3")


def test_postgresql_comes_from_database_url_with_persistent_checked_connections():
    dumped = settings_under(
        SECRET_KEY=production_secret_key(),
        DATABASE_URL="postgres://mlmath:secret@db.internal:5432/mlmath",
    )

    assert dumped["ENGINE"] == "django.db.backends.postgresql"
    assert (dumped["HOST"], dumped["NAME"]) == ("db.internal", "mlmath")
    assert dumped["CONN_MAX_AGE"] == 600
    assert dumped["CONN_HEALTH_CHECKS"] is True


def test_hosts_and_trusted_origins_are_comma_separated_lists():
    dumped = settings_under(
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="mlmath.example.org, www.mlmath.example.org",
        CSRF_TRUSTED_ORIGINS="https://mlmath.example.org,https://www.mlmath.example.org",
    )

    assert dumped["DEBUG"] is False
    assert dumped["ALLOWED_HOSTS"] == ["mlmath.example.org", "www.mlmath.example.org"]
    assert dumped["CSRF_TRUSTED_ORIGINS"] == [
        "https://mlmath.example.org",
        "https://www.mlmath.example.org",
    ]


def test_production_serves_hashed_compressed_static_files_through_whitenoise():
    dumped = settings_under(SECRET_KEY=production_secret_key())

    assert dumped["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    middleware = dumped["MIDDLEWARE"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )


@pytest.mark.parametrize("debug", ["1", "true", "on"])
def test_debug_is_read_from_the_environment(debug):
    assert settings_under(DEBUG=debug)["DEBUG"] is True


def test_collectstatic_writes_hashed_and_compressed_files(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["css/site.css"]
    assert hashed_css != "css/site.css"
    assert (tmp_path / hashed_css).exists()
    assert (tmp_path / f"{hashed_css}.gz").exists()

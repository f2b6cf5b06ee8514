"""Test settings: the real settings, with a throwaway key, plain static files and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from mlmath.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests may share a Redis database with a running server (the benchmark, `make run`): their keys
# (the catalog version above all, which tests reset) must never touch the server's.
CACHES = {
    **CACHES,  # noqa: F405
    "default": {**CACHES["default"], "KEY_PREFIX": "mlmath-tests"},  # noqa: F405
    "ratelimits": {**CACHES["ratelimits"], "KEY_PREFIX": "mlmath-tests-ratelimits"},  # noqa: F405
}

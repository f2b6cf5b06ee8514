"""Settings for mlmath, read from the environment: `.env.example` lists every one."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (production), "
            "or set DEBUG=1 for a development-only default."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "template_partials",
    "allauth",
    "allauth.account",
    "mlmath",
    # Records each sign-in's session, so that deleting an account can end all of them.
    "allauth.usersessions",
    "catalog",
    "progress",
    "accounts",
    "badges",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mlmath.middleware.RejectUnparsableBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mlmath.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# Uploads: no byte of a file past the largest limit a form accepts (mlmath/uploads.py) is
# kept in memory or on disk, however large the request; Django's defaults do the rest (at most
# 2.5 MB of a file in memory, then a temporary file; 2.5 MB of other fields; 100 files).
FILE_UPLOAD_HANDLERS = [
    "mlmath.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

ROOT_URLCONF = "mlmath.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "progress.context_processors.learner_progress",
            ],
        },
    },
]

WSGI_APPLICATION = "mlmath.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several worker processes write to one file. WAL lets readers carry on beside the one
    # writer; IMMEDIATE takes the write lock at BEGIN, because a transaction that reads first
    # and writes later cannot wait for the lock and fails at once with "database is locked";
    # the timeout (seconds) is how long a writer waits for its turn.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server answers 503 within seconds instead of holding the worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" is shared by every worker and app server (sessions' cache, the version tokens that
# cached pages are keyed by, and anything that must agree across processes): Redis when
# REDIS_URL is set, where an unreachable Redis reads as cache misses; else a table in the
# configured database (every `manage.py migrate` creates the tables, see mlmath/apps.py).
# "ratelimits" is shared the same way but holds only allauth's rate limits, so that nothing
# else can crowd them out: a database cache culls a third of its rows, oldest keys first, once
# it holds MAX_ENTRIES. Its rows live 5 minutes at most (the longest limit below), so the bound
# is the distinct clients and accounts limited in 5 minutes. "local" and "learner_pages" are
# per process, for what mlmath/caching.py keeps under the version tokens (docs/caching.md).
RATE_LIMIT_CACHE_MAX_ENTRIES = int(os.environ.get("RATE_LIMIT_CACHE_MAX_ENTRIES", "100000"))
# Without Redis, the shared cache's table holds sessions and two version tokens per learner:
# Django's default bound (300 rows) culled them under a few hundred learners, and every token
# culled is a write to make it again and a learner's pages rendered afresh.
SHARED_CACHE_MAX_ENTRIES = int(os.environ.get("SHARED_CACHE_MAX_ENTRIES", "100000"))
if os.environ.get("REDIS_URL"):
    SHARED_CACHE = {
        "BACKEND": "mlmath.cache.ForgivingRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        # Give up on a hung Redis within a second rather than hold the request.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    # The same Redis, under its own prefix: Redis keeps each key until it expires, never culls.
    RATE_LIMIT_CACHE = {**SHARED_CACHE, "KEY_PREFIX": "ratelimits"}
else:
    SHARED_CACHE = {
        "BACKEND": "mlmath.cache.UpsertDatabaseCache",
        "LOCATION": "mlmath_cache",
        "OPTIONS": {"MAX_ENTRIES": SHARED_CACHE_MAX_ENTRIES},
    }
    RATE_LIMIT_CACHE = {
        "BACKEND": "mlmath.cache.UpsertDatabaseCache",
        "LOCATION": "mlmath_ratelimits",
        "OPTIONS": {"MAX_ENTRIES": RATE_LIMIT_CACHE_MAX_ENTRIES},
    }
CACHES = {
    "default": SHARED_CACHE,
    # allauth's rate limits and their locks (mlmath.cache.keep_rate_limits_apart).
    "ratelimits": RATE_LIMIT_CACHE,
    # Visitors' pages, catalog data and rendered cards, keyed by the catalog version held in the
    # shared cache (mlmath/caching.py), so a hit costs no network round trip.
    "local": {
        "BACKEND": "mlmath.cache.ProcessMemoryCache",
        "LOCATION": "local",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_MAX_ENTRIES", "20000"))},
    },
    # Learners' whole pages (50-350 KB each), apart so that they cannot crowd out the catalog's
    # entries, and few: the default bounds them to about 100 MB per process.
    "learner_pages": {
        "BACKEND": "mlmath.cache.ProcessMemoryCache",
        "LOCATION": "learner-pages",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LEARNER_PAGE_CACHE_MAX_ENTRIES", "1000"))},
    },
}
# Sessions are read from the shared cache and written through to the database, which holds
# them: a session the cache has dropped is read back from the database, so none is lost.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# With Redis, each process keeps the version tokens it has read or been announced, and reads
# each one again after this many seconds: an announcement lost without notice (a stall, a
# connection that died silently) is then corrected within it. With retries of replacements Redis
# did not take (mlmath.versions), it bounds staleness after a cache fault (docs/caching.md).
VERSION_REREAD_SECONDS = float(os.environ.get("VERSION_REREAD_SECONDS", "10"))

# Argon2id (OWASP's first choice) for new and changed passwords; the PBKDF2 hashers stay so
# existing hashes still verify, and Django re-hashes them with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# The site is in English only: without the translation machinery, the many calls that ask for
# the active language (every reverse(), every translated string) cost nothing (about 5% of a
# learner's page's CPU, docs/performance.md). Dates and numbers keep English formats (below).
USE_I18N = False
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "progress:dashboard"

# Accounts (django-allauth): email + username + password; email confirmation is optional,
# never a gate. allauth's rate limits (in the cache) throttle password guessing.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_BLACKLIST = ["admin", "accounts", "progress", "api", "static", "degrees"]
ACCOUNT_RATE_LIMITS = {
    # Sign-in attempts per IP address. allauth's default, 30 a minute, refused the rest of a class
    # of 50 signing in together from behind a school's one address (NAT) with the right password;
    # 300 lets several classes in at once and still stops a flood. Guessing is limited below.
    "login": "300/m/ip",
    # Failed sign-ins: 10 a minute per IP address, and 5 per 5 minutes per account.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[mlmath] "
# Behind reverse proxies every request comes from the proxy: allauth then takes the client's
# address from X-Forwarded-For, counting this many trusted proxies from the right (nginx in
# front: 1). 0 (the default) ignores the header, which any client can forge.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Verifiable badges (docs/credentials.md). SITE_URL is the public origin that badge
# documents name as their ids (e.g. https://mlmath.example.org); empty uses each request's own
# origin, which suits development. The issuer fields describe the site as an Open Badges issuer.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
BADGES_ISSUER_NAME = os.environ.get("BADGES_ISSUER_NAME", "mlmath")
BADGES_ISSUER_URL = os.environ.get("BADGES_ISSUER_URL", "")  # empty: the site's home page
BADGES_ISSUER_EMAIL = os.environ.get("BADGES_ISSUER_EMAIL", "")  # empty: DEFAULT_FROM_EMAIL's

# Email: printed to the console in development; SMTP from the environment in production.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mlmath <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Open Badges 3.0 signing keys (badges/signing.py; docs/credentials.md, "The signing key"): the
# PEM text of the key ring in BADGES_SIGNING_KEY, else the file BADGES_SIGNING_KEY_FILE. In
# development the default file is generated on first use (git-ignored); production must set one.
BADGES_SIGNING_KEY = os.environ.get("BADGES_SIGNING_KEY", "")
BADGES_SIGNING_KEY_FILE = os.environ.get("BADGES_SIGNING_KEY_FILE", "") or (
    str(BASE_DIR / "var" / "badges-signing-keys.pem") if DEBUG else ""
)
# Ed25519 keys of the site's did:web (badges/did.py; docs/credentials.md, "The DID keys"): they
# sign the Data Integrity proofs. Same pattern: PEM text in BADGES_DID_KEY, else the file.
BADGES_DID_KEY = os.environ.get("BADGES_DID_KEY", "")
BADGES_DID_KEY_FILE = os.environ.get("BADGES_DID_KEY_FILE", "") or (
    str(BASE_DIR / "var" / "badges-did-keys.pem") if DEBUG else ""
)

# The curriculum the site shows at `/` (its topics, degrees and search), by slug; the
# migration that introduced curricula placed the existing catalog in it (docs/curators.md).
DEFAULT_CURRICULUM = os.environ.get("DEFAULT_CURRICULUM", "ml-math")

# The link checker (catalog/links.py) never connects to a private, loopback, link-local,
# reserved or multicast address, except in these networks (comma-separated CIDR, e.g.
# 10.20.0.0/16 for a catalog of intranet links; empty, the default: none).
LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS = env_list("LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS")
for _network in LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"LINK_CHECKER_ALLOWED_PRIVATE_NETWORKS: {error}") from error

# Security: on by default outside DEBUG; each can be relaxed from the environment
# (for instance SECURE_SSL_REDIRECT=0 behind a proxy that already redirects).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the app server over plain HTTP; a redirect would read as "unhealthy".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# The CSRF token reaches HTMX through the page (`hx-headers` on <body>), never the cookie.
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts, styles and everything else only from this
# site's own files; no inline script or style anywhere (htmx's indicator styles are off, see
# base.html). Enforced in production; report-only with DEBUG, so Django's debug pages work.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
    CONTENT_SECURITY_POLICY = {}

# Permissions-Policy (django-permissions-policy): the site uses none of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

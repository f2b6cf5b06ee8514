"""The project itself as an app: its system checks, the database cache tables that every
`migrate` creates, allauth's rate limits in their own cache, and the rules that make cached
pages stale (`mlmath.invalidation`)."""

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_tables(using, verbosity=1, **kwargs):
    """Create the table of every database cache in `CACHES` that the database lacks, so that
    `manage.py migrate` alone leaves a database every command and page works on. Django's own
    `createcachetable` does it (no-op for tables that exist, and for Redis), as the settings
    are now: switching `REDIS_URL` off, or adding a cache, needs only the next `migrate`."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class MlmathConfig(AppConfig):
    name = "mlmath"
    verbose_name = "mlmath"

    def ready(self):
        from mlmath import checks, invalidation  # noqa: F401  (checks registers the checks)
        from mlmath.cache import keep_rate_limits_apart

        keep_rate_limits_apart()
        invalidation.connect()

        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="mlmath-cache-tables")

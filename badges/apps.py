from django.apps import AppConfig


class BadgesConfig(AppConfig):
    """Verifiable badges: share pages, badge images, Open Badges 2.0 and 3.0 documents."""

    name = "badges"
    verbose_name = "Verifiable badges"

    def ready(self):
        from badges import checks  # noqa: F401  (registers the signing key check)

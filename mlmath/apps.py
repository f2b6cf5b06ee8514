"""The project itself as an app, so that its system checks are registered at start-up."""

from django.apps import AppConfig


class MlmathConfig(AppConfig):
    name = "mlmath"
    verbose_name = "mlmath"

    def ready(self):
        from mlmath import checks  # noqa: F401  (registers the checks)

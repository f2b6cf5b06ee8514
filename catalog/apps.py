from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self):
        from catalog import signals  # noqa: F401

        post_migrate.connect(install_search_index, sender=self)


def install_search_index(using, **kwargs):
    """The search index lives in triggers and (on SQLite) a virtual table that migrations
    don't know about, so it is checked after every migrate."""
    from django.db import connections

    from catalog.search import install_index

    install_index(connections[using])

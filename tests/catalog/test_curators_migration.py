"""Catalog migration 0012: the members of the Curators group so far become curators of the
default curriculum, so the admin still shows them what it showed; other accounts do not."""

import pytest
from django.conf import settings

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("catalog", "0011_listings_replace_resource_topics")]
AFTER = [("catalog", "0012_curators_keep_the_default_curriculum")]


@pytest.mark.django_db(transaction=True)
def test_curators_so_far_keep_the_default_curriculum():
    try:
        old_apps = migrate(BEFORE)
        User = old_apps.get_model("auth", "User")
        # get_or_create: a transactional test run before this one flushed the migrations' rows.
        curators, _ = old_apps.get_model("auth", "Group").objects.get_or_create(name="Curators")
        old_apps.get_model("catalog", "Curriculum").objects.get_or_create(
            slug=settings.DEFAULT_CURRICULUM, defaults={"title": "The math you need for ML"}
        )
        curator = User.objects.create(username="grace", is_staff=True)
        curator.groups.add(curators)
        User.objects.create(username="ada")

        new_apps = migrate(AFTER)

        Curriculum = new_apps.get_model("catalog", "Curriculum")
        default = Curriculum.objects.get(slug=settings.DEFAULT_CURRICULUM)
        assert list(default.curators.values_list("username", flat=True)) == ["grace"]
    finally:
        migrate_to_latest()

"""Keep the prerequisite graph acyclic, and cached pages exact, however the catalog is edited
(admin, import, fixtures, shell)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalog.caching import bump_catalog_version
from catalog.models import Degree, Milestone, Requirement, Resource, Topic, prerequisite_cycle_error

CATALOG_MODELS = (Topic, Resource, Degree, Milestone, Requirement)


def catalog_changed(sender, **kwargs):
    """Any saved or deleted catalog row (raw fixture saves too) makes cached pages stale.
    Bulk writes that send no signals go through `CatalogQuerySet`, which bumps as well."""
    bump_catalog_version()


for model in CATALOG_MODELS:
    post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-changed-{model}")
    post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-deleted-{model}")


@receiver(m2m_changed, sender=Topic.prerequisites.through)
def prerequisites_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        bump_catalog_version()


@receiver(m2m_changed, sender=Topic.prerequisites.through)
def reject_prerequisite_cycles(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # `instance` is becoming a prerequisite of each topic in pk_set.
        for topic in Topic.objects.filter(pk__in=pk_set):
            existing = set(topic.prerequisites.values_list("pk", flat=True))
            error = prerequisite_cycle_error(topic, existing | {instance.pk})
            if error:
                raise error
        return
    existing = set(instance.prerequisites.values_list("pk", flat=True))
    error = prerequisite_cycle_error(instance, existing | set(pk_set))
    if error:
        raise error

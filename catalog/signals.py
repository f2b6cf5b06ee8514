"""Keep the prerequisite graph acyclic however the catalog is edited (admin, import, fixtures,
shell). (What makes cached pages stale is in `mlmath.invalidation`.)"""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from catalog.models import Topic, prerequisites_error


@receiver(m2m_changed, sender=Topic.prerequisites.through)
def reject_prerequisite_cycles(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # `instance` is becoming a prerequisite of each topic in pk_set.
        for topic in Topic.objects.filter(pk__in=pk_set):
            existing = set(topic.prerequisites.values_list("pk", flat=True))
            error = prerequisites_error(topic, existing | {instance.pk})
            if error:
                raise error
        return
    existing = set(instance.prerequisites.values_list("pk", flat=True))
    error = prerequisites_error(instance, existing | set(pk_set))
    if error:
        raise error

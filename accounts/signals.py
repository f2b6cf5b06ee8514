"""Give every new account its profile, so that settings and public pages always find one;
revoke a deleted account's awards. (What makes cached pages stale is in
`mlmath.invalidation`.)"""

from django.conf import settings
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from accounts.models import Profile
from accounts.services import revoke_awards_of_deleted_account


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_create_profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_revoke_awards")
def account_deleted(sender, instance, **kwargs):
    """An account deleted in the admin or the shell, not through `delete_account`: its awards
    would otherwise stay valid with no learner, which the share page would call valid while
    the assertion answered 410 revoked."""
    revoke_awards_of_deleted_account(instance)

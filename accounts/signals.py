"""Give every new account its profile, so that settings and public pages always find one;
keep the learner's cached pages exact when it changes."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Profile
from mlmath.versions import bump_learner


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_create_profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(post_save, sender=Profile, dispatch_uid="accounts_profile_changed")
def profile_changed(sender, instance, **kwargs):
    """Name, time zone, weekly goal and privacy show on the learner's pages (see
    `mlmath.versions`)."""
    bump_learner(instance.user_id)

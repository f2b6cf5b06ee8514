"""A learner's profile: how they are named, their time zone, weekly goal and privacy switches."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.time_zones import UTC, time_zone_names

DISPLAY_NAME_MAX_LENGTH = 60
WEEKLY_GOAL_MAX_HOURS = 100
DEFAULT_TIME_ZONE = UTC


def validate_time_zone(name):
    if name not in time_zone_names():
        raise ValidationError(
            "“%(name)s” is not an IANA time zone name; pick one such as Europe/Paris.",
            params={"name": name},
            code="invalid_time_zone",
        )


def validate_display_name(name):
    if "@" in name:
        raise ValidationError(
            "A display name cannot contain “@”, so that it is never taken for an email address.",
            code="display_name_at",
        )


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's profile row, created if it is missing: for writes (POSTs) only.

        Every account gets its profile when it is made (`accounts.signals`); a row can still be
        missing for accounts made without model signals (bulk inserts, raw fixtures).
        """
        profile, _ = self.get_or_create(user=user)
        return profile

    def public(self):
        return self.filter(is_public=True, user__is_active=True)


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        blank=True,
        validators=[validate_display_name],
        help_text="Shown instead of your username. Leave empty to show your username.",
    )
    time_zone = models.CharField(
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text="Your days (streaks, the activity calendar) begin at midnight here.",
    )
    time_zone_chosen = models.BooleanField(
        default=False,
        editable=False,
        help_text="False until the learner saves settings; until then the page offers the "
        "browser's zone.",
    )
    weekly_goal_hours = models.PositiveSmallIntegerField(
        "weekly study goal (hours)",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(WEEKLY_GOAL_MAX_HOURS)],
        help_text=f"Hours a week you mean to study, 1 to {WEEKLY_GOAL_MAX_HOURS}.",
    )
    is_public = models.BooleanField(
        "public profile",
        default=False,
        help_text="Anyone with the link can see your profile page. Off: it does not exist.",
    )
    show_badges = models.BooleanField(
        default=True, help_text="On your public profile: the badges you chose to share."
    )
    show_topic_progress = models.BooleanField(
        "show progress per topic", default=True, help_text="On your public profile."
    )
    show_activity = models.BooleanField(
        "show activity and streaks",
        default=True,
        help_text="On your public profile: the activity calendar and your streaks.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_goal_hours__gte=1)
                & Q(weekly_goal_hours__lte=WEEKLY_GOAL_MAX_HOURS),
                name="profile_weekly_goal_in_range",
            )
        ]

    def __str__(self):
        return f"Profile of {self.user.get_username()}"

    def get_absolute_url(self):
        return reverse("accounts:profile", args=[self.user.get_username()])

    @property
    def name(self):
        return self.display_name or self.user.get_username()

    @property
    def zone(self):
        """The learner's time zone; UTC if the stored name is no longer known."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def display_name(user) -> str:
    """What to call a learner in public: their display name, else their username; never email.

    Reads `user.profile` (select_related("profile") or "learner__profile" avoids a query).
    """
    try:
        profile = user.profile
    except ObjectDoesNotExist:
        return user.get_username()
    return profile.display_name or user.get_username()


def profile_for(user):
    """The user's profile for reading: the stored one, else the defaults, unsaved.

    A page (a GET) reads settings and never writes them: a missing row is created by the
    first write that needs it (`Profile.objects.for_user`), never here.
    """
    try:
        return user.profile
    except ObjectDoesNotExist:
        return Profile(user=user)

"""Learners' profiles in the admin, and allauth's email addresses with their action guarded."""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin

from accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "time_zone", "weekly_goal_hours", "is_public"]
    list_filter = ["is_public"]
    list_select_related = ["user"]
    search_fields = ["user__username", "display_name"]
    raw_id_fields = ["user"]


class GuardedEmailAddressAdmin(EmailAddressAdmin):
    """allauth's admin, whose "verify" action any staff user who may only view addresses could
    run: here it needs the permission to change them, like every action of this site."""

    @admin.action(description="Mark selected email addresses as verified", permissions=["change"])
    def make_verified(self, request, queryset):
        return super().make_verified(request, queryset)


# Importing allauth's admin above registered its own; this one takes its place.
admin.site.unregister(EmailAddress)
admin.site.register(EmailAddress, GuardedEmailAddressAdmin)

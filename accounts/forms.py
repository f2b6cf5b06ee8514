"""The account forms: profile settings, progress import (and its confirmation), deletion."""

import json

from django import forms

from accounts.models import Profile
from accounts.time_zones import (
    aliases,
    grouped_choices,
    place_name,
    place_names,
    time_zone_names,
)
from accounts.transfer.base import MAX_IMPORT_BYTES, ImportFileError
from accounts.transfer.parse import parse_import
from accounts.transfer.preview import MAX_PREVIEW_TOKEN_CHARS, NOT_YOURS, previewed_content
from mlmath.uploads import UploadField


class TimeZoneField(forms.ChoiceField):
    """A select of places grouped by region (`accounts.time_zones`) that accepts any name
    zoneinfo knows, storing a legacy alias as the place it stands for ("Asia/Calcutta" is
    saved as "Asia/Kolkata")."""

    def valid_value(self, value):
        return value in time_zone_names()

    def clean(self, value):
        return place_name(super().clean(value))


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(
        label="Time zone",
        choices=[],
        help_text=Profile._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "time_zone",
            "weekly_goal_hours",
            "is_public",
            "show_badges",
            "show_topic_progress",
            "show_activity",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = place_name(self.instance.time_zone)
        self.initial["time_zone"] = saved
        choices = grouped_choices()
        if saved not in place_names():  # a zone of no place, like "Etc/GMT+5": kept as it is
            choices = [("Your saved zone", [(saved, saved)]), *choices]
        self.fields["time_zone"].choices = choices
        self.fields["time_zone"].error_messages["invalid_choice"] = (
            "“%(value)s” is not an IANA time zone name; pick one from the list."
        )
        self.fields["weekly_goal_hours"].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        if self.offers_browser_zone:
            # Browsers may name a zone by a legacy alias ("Asia/Calcutta"): the script that
            # preselects the browser's zone reads the place each alias stands for here.
            self.fields["time_zone"].widget.attrs["data-aliases"] = json.dumps(
                aliases(), separators=(",", ":"), sort_keys=True
            )

    @property
    def offers_browser_zone(self):
        """Until the learner saves a zone, a script preselects the browser's (never in a form
        that was posted: the learner's own choice is there)."""
        return not self.instance.time_zone_chosen and not self.is_bound

    def save(self, commit=True):
        self.instance.time_zone_chosen = True
        return super().save(commit=commit)


class ImportForm(forms.Form):
    file = UploadField(
        label="Your mlmath-progress file (.json)",
        help_text="The JSON file from Export, on this or another mlmath site.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        max_bytes=MAX_IMPORT_BYTES,
    )

    def clean_file(self):
        # The bytes are kept for a preview's token; cleaned_data holds the parsed file.
        self.content = self.cleaned_data["file"].read()
        try:
            return parse_import(self.content)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error


class ConfirmImportForm(forms.Form):
    """ "Import" after "Preview": the previewed file, carried in a signed token."""

    preview = forms.CharField(
        widget=forms.HiddenInput,
        max_length=MAX_PREVIEW_TOKEN_CHARS,
        error_messages={"required": NOT_YOURS, "max_length": NOT_YOURS},
    )

    def __init__(self, *args, learner, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner

    def clean_preview(self):
        try:
            return parse_import(
                previewed_content(self.cleaned_data["preview"], learner=self.learner)
            )
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Nothing was deleted.", code="wrong_password"
            )
        return password

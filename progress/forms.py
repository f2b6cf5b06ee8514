from django import forms
from django.core.validators import URLValidator

from progress.models import EVIDENCE_DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, Status


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Private note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Only you can see it. Up to {NOTE_MAX_LENGTH} characters.",
    )


class HttpURLField(forms.URLField):
    """A URL field that takes only web links: no ftp:, javascript: or data: URLs."""

    default_error_messages = {"invalid": "Enter a valid http(s) link."}
    default_validators = [URLValidator(schemes=["http", "https"])]


class EvidenceForm(forms.Form):
    url = HttpURLField(
        label="Link to your evidence",
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    description = forms.CharField(
        label="What it shows",
        max_length=EVIDENCE_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"A sentence or two, up to {EVIDENCE_DESCRIPTION_MAX_LENGTH} characters.",
    )


class AwardSharingForm(forms.Form):
    sharing = forms.ChoiceField(choices=[("shared", "Shareable"), ("private", "Private")])

    @property
    def shared(self):
        return self.cleaned_data["sharing"] == "shared"

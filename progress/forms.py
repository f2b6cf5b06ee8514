"""Forms for a learner's own progress: a status, a private note, milestone evidence.

Lengths, validators and help texts come from the models; the forms add only labels, widgets
and the wording of errors a learner sees.
"""

from django import forms
from django.db import models

from progress.models import Evidence, ResourceProgress, status_named


class StatusForm(forms.Form):
    status = forms.CharField()

    def clean_status(self):
        # A page rendered before "skipped" became "known" may still post the former name.
        status = status_named(self.cleaned_data["status"])
        if status is None:
            raise forms.ValidationError("Unknown status.")
        return status


class NoteForm(forms.ModelForm):
    class Meta:
        model = ResourceProgress
        fields = ["note"]
        labels = {"note": "Private note"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, resource, **kwargs):
        # Every card's note field belongs to the page's one form (#progress-form, base.html),
        # so each is named after its resource ("keras-note"), and its label says which title.
        super().__init__(*args, prefix=resource.slug, auto_id="note-%s", label_suffix="", **kwargs)
        self.fields["note"].label = f"Private note on {resource.title}"
        self.fields["note"].widget.attrs["form"] = "progress-form"


def https_by_default(model_field, **kwargs):
    """Form fields as the model makes them; a link typed without a scheme gets https://."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["url", "description"]
        labels = {"url": "Link to your evidence", "description": "What it shows"}
        widgets = {
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"url": {"invalid": "Enter a valid http(s) link."}}
        formfield_callback = https_by_default

    def __init__(self, *args, milestone, **kwargs):
        # One form per milestone on a page: ids say which milestone.
        super().__init__(*args, auto_id=f"evidence-%s-{milestone.slug}", label_suffix="", **kwargs)


class AwardSharingForm(forms.Form):
    sharing = forms.ChoiceField(choices=[("shared", "Shareable"), ("private", "Private")])

    @property
    def shared(self):
        return self.cleaned_data["sharing"] == "shared"

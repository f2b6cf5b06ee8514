from django import forms

from progress.models import NOTE_MAX_LENGTH, Status


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

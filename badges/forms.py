"""Forms of the badges app."""

from django import forms

from mlmath.uploads import MB, UploadField

MAX_UPLOAD_BYTES = 2 * MB
MAX_PASTED_CHARACTERS = 20_000


class VerifyBadgeForm(forms.Form):
    """What a visitor gives /verify/: a link or a VC-JWT, or a baked image; maybe an email."""

    badge = forms.CharField(
        label="Badge link or signed credential (VC-JWT)",
        required=False,
        max_length=MAX_PASTED_CHARACTERS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text="A share page link, an Open Badges 2.0 assertion URL, or a VC-JWT (eyJ…).",
    )
    image = UploadField(
        label="Or a badge image",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml,.png,.svg"}),
        help_text="A baked PNG or SVG badge, as downloaded from its share page.",
        max_bytes=MAX_UPLOAD_BYTES,
    )
    email = forms.EmailField(
        label="Recipient's email address (optional)",
        required=False,
        help_text="To check that the badge was awarded to this address. It is not stored.",
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("badge")) == bool(cleaned.get("image")):
            raise forms.ValidationError(
                "Give one thing to check: paste a link or a VC-JWT, or upload a badge image."
            )
        return cleaned

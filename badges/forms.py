"""Forms of the badges app."""

from django import forms

from mlmath.uploads import MB, UploadField

MAX_UPLOAD_BYTES = 2 * MB
MAX_PASTED_CHARACTERS = 20_000


class VerifyBadgeForm(forms.Form):
    """What a visitor gives /verify/: a link, a VC-JWT or a JSON credential, or a baked image
    or a JSON credential's file; maybe an email."""

    badge = forms.CharField(
        label="Badge link or signed credential (VC-JWT)",
        required=False,
        max_length=MAX_PASTED_CHARACTERS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text="A share page link, an Open Badges 2.0 assertion URL, a VC-JWT (eyJ…), or a "
        "credential with a Data Integrity proof (JSON, {…}).",
    )
    image = UploadField(
        label="Or a badge image or credential file",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/svg+xml,application/json,.png,.svg,.json"}
        ),
        help_text="A baked PNG or SVG badge, as downloaded from its share page, or a credential "
        "saved as JSON (a wallet's export, or credential.json).",
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

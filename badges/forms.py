"""Forms of the badges app."""

from django import forms

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
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
    image = forms.FileField(
        label="Or a badge image",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml,.png,.svg"}),
        help_text="A baked PNG or SVG badge, at most 2 MB.",
    )
    email = forms.EmailField(
        label="Recipient's email address (optional)",
        required=False,
        help_text="To check that the badge was awarded to this address. It is not stored.",
    )

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is {image.size / (1024 * 1024):.1f} MB; badge images are at most "
                "2 MB. Upload the badge image itself, as downloaded from its share page."
            )
        return image

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("badge")) == bool(cleaned.get("image")):
            raise forms.ValidationError(
                "Give one thing to check: paste a link or a VC-JWT, or upload a badge image."
            )
        return cleaned

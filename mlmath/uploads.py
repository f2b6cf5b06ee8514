"""How large an uploaded file may be: one rule and one message for every upload form.

A megabyte here is 1,000,000 bytes, in limits and in messages alike, so "1 MB" on a form
means exactly what the check allows.

No form accepts more than LARGEST_UPLOAD_BYTES, so `BoundedUploadHandler` (first in
FILE_UPLOAD_HANDLERS) stores no byte of a file past it: the rest of a larger file is only
counted, and the form's size check still names the file's real size.
"""

import io
import math

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.deconstruct import deconstructible

MB = 1_000_000
LARGEST_UPLOAD_BYTES = 5 * MB  # the progress import's limit


def megabytes(size: int) -> str:
    """A limit in MB, as people read it: "2", "0.5"."""
    return f"{size / MB:.1f}".removesuffix(".0")


def too_large_message(size: int, limit: int) -> str:
    # Rounded up, so a file just over the limit never reads "1.0 MB; the limit is 1 MB".
    size_in_tenths = math.ceil(size * 10 / MB) / 10
    return f"The file is {size_in_tenths:.1f} MB; the limit is {megabytes(limit)} MB."


@deconstructible
class MaxUploadSizeValidator:
    """Refuse an upload (anything with a `size`) larger than `limit` bytes."""

    code = "file_too_large"

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, upload):
        if upload.size > self.limit:
            raise ValidationError(too_large_message(upload.size, self.limit), code=self.code)

    def __eq__(self, other):
        return isinstance(other, MaxUploadSizeValidator) and other.limit == self.limit


class UploadField(forms.FileField):
    """A FileField that refuses files over `max_bytes`, its help text ending with that limit.

    The limit is given once, so what the form says and what it allows cannot drift apart.
    """

    def __init__(self, *, max_bytes: int, help_text: str, **kwargs):
        if max_bytes > LARGEST_UPLOAD_BYTES:
            raise ValueError(
                f"An upload over LARGEST_UPLOAD_BYTES ({LARGEST_UPLOAD_BYTES}) is cut."
            )
        self.max_bytes = max_bytes
        super().__init__(
            help_text=f"{help_text} At most {megabytes(max_bytes)} MB.",
            validators=[*kwargs.pop("validators", ()), MaxUploadSizeValidator(max_bytes)],
            **kwargs,
        )


class BoundedUploadHandler(FileUploadHandler):
    """Pass on a file's bytes up to LARGEST_UPLOAD_BYTES; past that, count them and keep none.

    A file over the limit becomes an empty upload of its real size, which every UploadField
    refuses ("The file is 12.0 MB; the limit is 2 MB.") before anything reads it.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= LARGEST_UPLOAD_BYTES else None

    def file_complete(self, file_size):
        if self.received <= LARGEST_UPLOAD_BYTES:
            return None  # the next handler (memory or temporary file) holds the whole file
        return UploadedFile(
            io.BytesIO(),
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
        )

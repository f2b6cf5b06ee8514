"""Preview, then confirm: the previewed file travels in the page, signed for its learner.

After a preview the page carries the file back in a hidden field, compressed and signed with
a timestamp, so "Import" needs no second upload and no server-side state. The signature is
salted with the learner's id (another learner's token fails), checked before anything is
decompressed, and expires after PREVIEW_LIFETIME; the content is then parsed again, as on
any upload, so the import applies what the file says now, not what the preview showed.
"""

import base64
import binascii
import datetime
import zlib

from django.core import signing

from accounts.transfer.base import MAX_IMPORT_BYTES, ImportFileError
from mlmath.bounded import InputTooLarge, inflate

PREVIEW_LIFETIME = datetime.timedelta(minutes=30)
# A token rides in a form field, under Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB); an export
# compresses about tenfold, so only a file of random text would be over this.
MAX_PREVIEW_TOKEN_CHARS = 2_000_000

EXPIRED = (
    "This preview is more than {minutes} minutes old: choose the file again and press "
    "Preview or Import. Nothing was imported."
)
NOT_YOURS = (
    "This preview cannot be imported: it was changed, or made for another account. Choose the "
    "file again. Nothing was imported."
)


def _signer(learner):
    return signing.TimestampSigner(salt=f"accounts.import-preview.{learner.pk}")


def sign_preview(content: bytes, *, learner) -> str | None:
    """A token that gives `content` back to this learner for PREVIEW_LIFETIME; None when the
    file is too large to carry in a page."""
    packed = base64.urlsafe_b64encode(zlib.compress(content, 9)).decode("ascii")
    token = _signer(learner).sign(packed)
    return token if len(token) <= MAX_PREVIEW_TOKEN_CHARS else None


def previewed_content(token: str, *, learner) -> bytes:
    """The file a token of `sign_preview` carries; ImportFileError when it is expired, changed
    or another learner's."""
    max_age = PREVIEW_LIFETIME.total_seconds()
    try:
        packed = _signer(learner).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        minutes = int(max_age // 60)
        raise ImportFileError(EXPIRED.format(minutes=minutes)) from error
    except signing.BadSignature as error:
        raise ImportFileError(NOT_YOURS) from error
    try:
        return inflate(base64.urlsafe_b64decode(packed), max_bytes=MAX_IMPORT_BYTES)
    except (binascii.Error, zlib.error, InputTooLarge) as error:
        # Only this site signs tokens, so this means a change of key or format.
        raise ImportFileError(NOT_YOURS) from error

"""An uploaded file carried in a page between a preview (a dry run) and its confirmation.

The page carries the file back in a hidden field, compressed and signed with a timestamp, so
confirming needs no second upload and no server-side state. The salt names the purpose and
the person (another person's token, or one made for another form, fails); the signature is
checked before anything is decompressed, decompression stops at the upload's own limit, and
the token expires. The caller parses the content again, as on any upload, so a confirmation
applies what the file says, never what a page claims.

Used by the learner's progress import (`accounts.transfer.preview`) and the curators'
awesome-list import (`catalog.forms.AwesomeListImportForm`).
"""

import base64
import binascii
import datetime
import zlib

from django.core import signing

from mlmath.bounded import InputTooLarge, inflate

# A token rides in a form field, under Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB); text
# compresses several times over, so only a file of random bytes would be over this.
MAX_TOKEN_CHARS = 2_000_000


class SignedFileError(Exception):
    """A token that gives no file back."""


class SignedFileExpired(SignedFileError):
    """A token older than its lifetime."""


class SignedFileInvalid(SignedFileError):
    """A token altered, cut, made for someone else or another purpose, or by another key."""


def sign_file(content: bytes, *, salt: str, max_token_chars: int = MAX_TOKEN_CHARS) -> str | None:
    """A token that gives `content` back to `signed_file` with the same salt; None when the
    file is too large to carry in a page."""
    packed = base64.urlsafe_b64encode(zlib.compress(content, 9)).decode("ascii")
    token = signing.TimestampSigner(salt=salt).sign(packed)
    return token if len(token) <= max_token_chars else None


def signed_file(token: str, *, salt: str, max_age: datetime.timedelta, max_bytes: int) -> bytes:
    """The file a token of `sign_file` carries, if it is at most `max_age` old; else
    SignedFileExpired, or SignedFileInvalid for any other token."""
    try:
        packed = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise SignedFileExpired(str(error)) from error
    except signing.BadSignature as error:
        raise SignedFileInvalid(str(error)) from error
    try:
        return inflate(base64.urlsafe_b64decode(packed), max_bytes=max_bytes)
    except (binascii.Error, zlib.error, InputTooLarge) as error:
        # Only this site signs tokens, so this means a change of key or format.
        raise SignedFileInvalid(str(error)) from error

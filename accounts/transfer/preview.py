"""Preview, then confirm: the previewed file travels in the page, signed for its learner
(`mlmath.signed_files`), and expires after PREVIEW_LIFETIME; the content is then parsed again,
as on any upload, so the import applies what the file says now, not what the preview showed.
"""

import datetime

from accounts.transfer.base import MAX_IMPORT_BYTES, ImportFileError
from mlmath.signed_files import (
    MAX_TOKEN_CHARS,
    SignedFileExpired,
    SignedFileInvalid,
    sign_file,
    signed_file,
)

PREVIEW_LIFETIME = datetime.timedelta(minutes=30)
MAX_PREVIEW_TOKEN_CHARS = MAX_TOKEN_CHARS

EXPIRED = (
    "This preview is more than {minutes} minutes old: choose the file again and press "
    "Preview or Import. Nothing was imported."
)
NOT_YOURS = (
    "This preview cannot be imported: it was changed, or made for another account. Choose the "
    "file again. Nothing was imported."
)


def _salt(learner):
    return f"accounts.import-preview.{learner.pk}"


def sign_preview(content: bytes, *, learner) -> str | None:
    """A token that gives `content` back to this learner for PREVIEW_LIFETIME; None when the
    file is too large to carry in a page."""
    return sign_file(content, salt=_salt(learner), max_token_chars=MAX_PREVIEW_TOKEN_CHARS)


def previewed_content(token: str, *, learner) -> bytes:
    """The file a token of `sign_preview` carries; ImportFileError when it is expired, changed
    or another learner's."""
    try:
        return signed_file(
            token, salt=_salt(learner), max_age=PREVIEW_LIFETIME, max_bytes=MAX_IMPORT_BYTES
        )
    except SignedFileExpired as error:
        minutes = int(PREVIEW_LIFETIME.total_seconds() // 60)
        raise ImportFileError(EXPIRED.format(minutes=minutes)) from error
    except SignedFileInvalid as error:
        raise ImportFileError(NOT_YOURS) from error

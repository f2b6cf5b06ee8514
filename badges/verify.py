"""Checking a badge someone shows us: what was given, whether we signed it, and the verdict.

Plain functions: `read_submission` says what a pasted text is (a VC-JWT or a link), and
`verify_credential_jwt` checks a VC-JWT against this site's published keys and issuer. The
`/verify/` view adds what only the database knows (revocation) and renders a `Verdict`.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from joserfc import jws, jwt
from joserfc.errors import JoseError

from badges.ob3 import recipient_matches
from badges.signing import SIGNING_ALGORITHM

COMPACT_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


class VerificationProblem(Exception):
    """Why a submission cannot be checked, in words for the person who submitted it."""

    def __init__(self, message, *, issued_here=None, signature_valid=None):
        super().__init__(message)
        self.message = message
        self.issued_here = issued_here
        self.signature_valid = signature_valid

    def verdict(self, source):
        return Verdict(
            source=source,
            issued_here=self.issued_here,
            signature_valid=self.signature_valid,
            problems=[self.message],
        )


@dataclass(frozen=True)
class Submission:
    """What a person gave us to check: a VC-JWT or a URL."""

    kind: str  # "jwt" or "url"
    value: str


def read_submission(text):
    """A pasted text as a Submission; raise VerificationProblem when it is neither."""
    # A token pasted from an email may be broken over several lines.
    without_spaces = "".join(text.split())
    if not without_spaces:
        raise VerificationProblem("Paste a badge link or a VC-JWT, or upload a badge image.")
    if COMPACT_JWT.match(without_spaces):
        return Submission("jwt", without_spaces)
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return Submission("url", text)
    raise VerificationProblem(
        "This is neither a link (https://...) nor a VC-JWT (three parts separated by dots)."
    )


def read_jwt_header(token):
    try:
        return jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeError) as error:
        raise VerificationProblem(
            "This is not a readable VC-JWT: its header cannot be decoded."
        ) from error


def verify_credential_jwt(token, *, key_ring, key_id_for_kid, issuer_id):
    """The verified claims of a VC-JWT signed by this site; raise VerificationProblem if not.

    `key_id_for_kid(kid)` gives the id of a key this site publishes at that `kid` URL, or None
    when the `kid` is elsewhere (another issuer signed it). The key is then looked up in
    `key_ring`, retired keys included.
    """
    header = read_jwt_header(token)
    kid = header.get("kid")
    wanted_key_id = key_id_for_kid(kid)
    if wanted_key_id is None:
        raise VerificationProblem(
            f"This credential was not issued by this site: it names the signing key "
            f"{kid or '(none)'}, which this site does not publish.",
            issued_here=False,
        )
    if header.get("alg") != SIGNING_ALGORITHM:
        raise VerificationProblem(
            f"This credential is signed with {header.get('alg')!r}; this site signs with "
            f"{SIGNING_ALGORITHM}, so it did not sign this.",
            issued_here=False,
        )
    public_key = key_ring.public_key(wanted_key_id)
    if public_key is None:
        raise VerificationProblem(
            "This credential names a key of this site that was never published: it was not "
            "signed here.",
            issued_here=False,
            signature_valid=False,
        )
    try:
        claims = jwt.decode(token, public_key, algorithms=[SIGNING_ALGORITHM]).claims
    except JoseError as error:
        raise VerificationProblem(
            "The signature does not match: the credential was changed after it was signed, "
            "or it was not signed by this site.",
            signature_valid=False,
        ) from error
    except (ValueError, UnicodeError) as error:
        raise VerificationProblem("This VC-JWT's payload is not readable JSON.") from error
    if claims.get("iss") != issuer_id:
        raise VerificationProblem(
            f"This credential says it was issued by {claims.get('iss')!r}, not by this site.",
            issued_here=False,
            signature_valid=True,
        )
    try:
        claims["credentialSubject"]["achievement"]["name"]
        datetime.strptime(claims["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
        claims["jti"]
    except (KeyError, TypeError, ValueError) as error:
        raise VerificationProblem(
            "This VC-JWT is signed by this site but is not an Open Badges credential.",
            issued_here=True,
            signature_valid=True,
        ) from error
    return claims


@dataclass
class Verdict:
    """The answer shown on `/verify/`: each check, and what the badge says."""

    source: str
    issued_here: bool | None = None
    signature_valid: bool | None = None
    revoked: bool | None = None
    recipient: str = "not checked"  # "matches", "does not match" or "not checked"
    degree_name: str = ""
    awarded_at: datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def is_valid(self):
        return (
            self.issued_here is True
            and self.signature_valid is True
            and self.revoked is False
            and self.recipient != "does not match"
            and not self.problems
        )


def verdict_for_claims(claims, *, source, revoked, email=""):
    """The verdict for verified claims, given the credential's revocation state."""
    identity = claims["credentialSubject"].get("identifier") or [{}]
    recipient = "not checked"
    if email.strip():
        first = identity[0] if isinstance(identity, list) and identity else {}
        recipient = (
            "matches"
            if recipient_matches(email, str(first.get("identityHash", "")), first.get("salt", ""))
            else "does not match"
        )
    return Verdict(
        source=source,
        issued_here=True,
        signature_valid=True,
        revoked=revoked,
        recipient=recipient,
        degree_name=claims["credentialSubject"]["achievement"]["name"],
        awarded_at=datetime.strptime(claims["validFrom"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
    )


def pretty_claims(claims):
    """The decoded credential, indented, for people who want to read it."""
    return json.dumps(claims, indent=2, ensure_ascii=False)

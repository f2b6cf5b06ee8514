"""Checking a badge someone shows us: what was given, whether we signed it, and the verdict.

Plain functions: `read_submission` says what a pasted text is (a VC-JWT, a JSON credential or
a link), `verify_credential_jwt` checks a VC-JWT against this site's published keys and issuer,
and `verify_data_integrity_credential` checks a credential with a Data Integrity proof, offline:
this site's did:web from its key ring, any did:key from the DID itself, nothing else. The
`/verify/` view adds what only the database knows (revocation) and renders a `Verdict`.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from joserfc import jws, jwt
from joserfc.errors import JoseError

from badges.dataintegrity import (
    DataIntegrityError,
    SignatureMismatch,
    UnresolvableKey,
    document_proof,
    verify_document,
)
from badges.ob3 import recipient_matches
from badges.signing import SIGNING_ALGORITHM

COMPACT_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
# A JSON credential from a stranger is canonicalized, whose cost grows with its blank nodes and
# with identical siblings among them (RDFC-1.0 tries their permutations): our credentials are
# ~4 KB, 5 levels deep, with at most one object per list; these bounds leave ample room.
MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 16
MAX_JSON_OBJECTS = 200
MAX_ALIKE_SIBLINGS = 4
REFUSED_KEYWORDS = {"@graph", "@reverse", "@included", "@nest"}


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
    """What a person gave us to check: a VC-JWT, a JSON credential or a URL."""

    kind: str  # "jwt", "json" or "url"
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
    if text.startswith("{"):
        return Submission("json", text)
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return Submission("url", text)
    raise VerificationProblem(
        "This is neither a link (https://...), a VC-JWT (three parts separated by dots) nor a "
        "JSON credential ({...})."
    )


def shape(value):
    """A JSON value with every nested object's contents left out: objects alike in this shape
    look alike to canonicalization."""
    if isinstance(value, dict):
        return {key: "{}" if isinstance(item, dict) else shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return value


def check_json_bounds(value, depth=0, counted=None):
    """Raise VerificationProblem when a submitted JSON document is too large to canonicalize
    safely (see MAX_JSON_*) or uses JSON-LD features no credential of ours needs."""
    counted = counted if counted is not None else [0]
    if depth > MAX_JSON_DEPTH:
        raise VerificationProblem(f"This credential nests deeper than {MAX_JSON_DEPTH} levels.")
    if isinstance(value, dict):
        counted[0] += 1
        if counted[0] > MAX_JSON_OBJECTS:
            raise VerificationProblem(
                f"This credential has more than {MAX_JSON_OBJECTS} objects, more than this page "
                "checks: a badge credential has about 10, a learner record about 7 per topic."
            )
        refused = REFUSED_KEYWORDS & set(value)
        if refused:
            raise VerificationProblem(
                f"This credential uses {', '.join(sorted(refused))}, which badge credentials "
                "never need; it is not checked."
            )
        for key, item in value.items():
            if key in ("id", "@id") and isinstance(item, str) and item.startswith("_:"):
                raise VerificationProblem(
                    "This credential names blank nodes (_:…), which badge credentials never do."
                )
            check_json_bounds(item, depth + 1, counted)
    elif isinstance(value, list):
        shapes = [
            json.dumps(shape(item), sort_keys=True) for item in value if isinstance(item, dict)
        ]
        if shapes and max(map(shapes.count, set(shapes))) > MAX_ALIKE_SIBLINGS:
            raise VerificationProblem(
                f"This credential lists more than {MAX_ALIKE_SIBLINGS} alike objects together."
            )
        for item in value:
            check_json_bounds(item, depth + 1, counted)


def read_json_credential(text):
    """A submitted JSON credential as a dict, within bounds; else a VerificationProblem."""
    if len(text.encode("utf-8")) > MAX_JSON_BYTES:
        raise VerificationProblem(
            f"This JSON credential is larger than {MAX_JSON_BYTES // 1024} KB, more than "
            "this page checks: a badge credential is a few KB, a learner record about 3 KB "
            "per topic."
        )
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise VerificationProblem(
            "This is not readable JSON: paste the whole credential, from { to }."
        ) from error
    if not isinstance(document, dict):
        raise VerificationProblem("A credential is a JSON object, from { to }.")
    check_json_bounds(document)
    return document


def issuer_id_of(document):
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def verify_data_integrity_credential(document, *, resolve_key, issuer_did):
    """(credential, issued_here) once its proof verifies (`badges.dataintegrity`); else a
    VerificationProblem.

    `resolve_key` answers this site's did:web keys and did:key keys offline and raises
    UnresolvableKey for any other (`badges.did.key_resolver`). The proof's key must belong to
    the credential's issuer. `issued_here` says whether the issuer is `issuer_did`.
    """
    try:
        proof = document_proof(document)
        resolve_key(proof["verificationMethod"])  # an issuer we cannot resolve is said first
        controller = proof["verificationMethod"].partition("#")[0]
        issuer = issuer_id_of(document)
        if not isinstance(issuer, str) or issuer != controller:
            raise VerificationProblem(
                f"The proof is made with a key of {controller!r}, but the credential says it "
                f"was issued by {issuer!r}: only the issuer's own key can sign its credential.",
                issued_here=False,
                signature_valid=False,
            )
        verify_document(document, resolve_key)
    except UnresolvableKey as error:
        raise VerificationProblem(
            f"Issuer not resolvable offline: {error}", issued_here=False
        ) from error
    except SignatureMismatch as error:
        raise VerificationProblem(
            "The signature does not match: the credential was changed after it was signed, "
            "or it was not signed with the key it names.",
            # Like a changed VC-JWT: whoever the issuer claims to be, nothing says who signed.
            issued_here=None,
            signature_valid=False,
        ) from error
    except DataIntegrityError as error:  # UnknownContext, UndefinedTerm, a malformed proof
        raise VerificationProblem(str(error)) from error
    except RecursionError as error:
        raise VerificationProblem("This credential nests too deeply to be checked.") from error
    return document, issuer == issuer_did


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
    signer: str = ""  # the DID that signed a credential not issued here, when it verified
    issued_here: bool | None = None
    signature_valid: bool | None = None
    revoked: bool | None = None
    recipient: str = "not checked"  # "matches", "does not match" or "not checked"
    degree_name: str = ""
    awarded_at: datetime | None = None
    is_learner_record: bool = False  # a CLR this site signed, its proof valid: not a badge
    problems: list[str] = field(default_factory=list)

    @property
    def is_valid_elsewhere(self):
        """A valid signature by another issuer (a did:key): true to its signer, and no more."""
        return bool(self.signer) and self.signature_valid is True and not self.problems

    @property
    def is_valid(self):
        return (
            self.issued_here is True
            and self.signature_valid is True
            and self.revoked is False
            and self.recipient != "does not match"
            and not self.problems
        )


def recipient_check(subject, email):
    """Whether the hashed email of a credential's subject (its first `identifier`) is `email`:
    "matches", "does not match", or "not checked" without an email."""
    if not email.strip():
        return "not checked"
    identity = subject.get("identifier") if isinstance(subject, dict) else None
    first = identity[0] if isinstance(identity, list) and identity else {}
    first = first if isinstance(first, dict) else {}
    matches = recipient_matches(email, str(first.get("identityHash", "")), first.get("salt", ""))
    return "matches" if matches else "does not match"


def verdict_for_claims(claims, *, source, revoked, email=""):
    """The verdict for verified claims, given the credential's revocation state."""
    recipient = recipient_check(claims["credentialSubject"], email)
    return Verdict(
        source=source,
        issued_here=True,
        signature_valid=True,
        revoked=revoked,
        recipient=recipient,
        degree_name=claims["credentialSubject"]["achievement"]["name"],
        awarded_at=datetime.strptime(claims["validFrom"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
    )


def badge_facts(document):
    """The degree's name and the award's date a credential states, or None when it is not an
    Open Badges credential of the shape this site issues."""
    try:
        name = document["credentialSubject"]["achievement"]["name"]
        awarded_at = datetime.strptime(document["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
    except (KeyError, TypeError, ValueError):
        return None
    return (name, awarded_at.replace(tzinfo=UTC)) if isinstance(name, str) else None


def verdict_for_learner_record(document, *, source, email=""):
    """The verdict on a learner record (CLR 2.0) whose proof, this site's, verified: what it
    is and whom it names. Its badges are checked one at a time, each from its own credential."""
    return Verdict(
        source=source,
        issued_here=True,
        signature_valid=True,
        recipient=recipient_check(document.get("credentialSubject"), email),
        is_learner_record=True,
    )


def verdict_for_foreign_credential(document, *, source):
    """The verdict on a credential whose proof verified with another issuer's key (a did:key):
    its signature holds, but this site knows nothing of its revocation or its recipient."""
    name, awarded_at = badge_facts(document) or ("", None)
    return Verdict(
        source=source,
        signer=issuer_id_of(document),
        issued_here=False,
        signature_valid=True,
        degree_name=name,
        awarded_at=awarded_at,
    )


def pretty_claims(claims):
    """The decoded credential, indented, for people who want to read it."""
    return json.dumps(claims, indent=2, ensure_ascii=False)

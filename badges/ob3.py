"""Open Badges 3.0: an award as an OpenBadgeCredential, signed as a VC-JWT and with a Data
Integrity proof, and the revocation list.

Plain functions over plain values: the views gather the facts of an award and its degree
(`CredentialFacts`), these functions build the documents. The VC-JWT uses joserfc (RS256, the
algorithm 1EdTech's validator accepts; keys from `badges.signing`); the Data Integrity form is
the same credential issued by the site's did:web with an `eddsa-rdfc-2022` proof
(`badges.dataintegrity`; keys from `badges.did`).
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse
from joserfc import jwt

from badges.dataintegrity import sign_document
from badges.did import verification_method_id
from badges.signing import SIGNING_ALGORITHM
from progress.models import PUBLIC_REVOCATION_REASON

CREDENTIAL_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CREDENTIAL_TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
ACHIEVEMENT_CREDENTIAL_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
REVOCATION_LIST_TYPE = "1EdTechRevocationList"
VC_JWT_CONTENT_TYPE = "application/vc+jwt"
# VC 2.0's media type of a credential secured with an embedded proof (JSON-LD).
VC_CONTENT_TYPE = "application/vc"


@dataclass(frozen=True)
class CredentialFacts:
    """Everything an OpenBadgeCredential says, as plain values (URLs absolute)."""

    credential_id: str
    subject_id: str
    issuer_id: str
    issuer_name: str
    issuer_url: str
    achievement_id: str
    achievement_name: str
    achievement_description: str
    criteria_narrative: str
    achievement_image_url: str
    awarded_at: datetime
    identity_hash: str
    identity_salt: str
    revocation_list_url: str
    subject_narrative: str = ""  # what stands behind the award: `badges.awards.resources_narrative`


def same_origin(url, origin):
    """Whether `url` is on `origin` (scheme://host[:port]), ignoring the case of both."""
    url_parts, origin_parts = urlsplit(url), urlsplit(origin)
    return (url_parts.scheme.lower(), url_parts.netloc.lower()) == (
        origin_parts.scheme.lower(),
        origin_parts.netloc.lower(),
    )


def recipient_identity_hash(email, salt):
    """`sha256$` + hex SHA-256 of the trimmed, lower-cased email followed by the salt."""
    normalized = email.strip().lower()
    return "sha256$" + hashlib.sha256((normalized + salt).encode("utf-8")).hexdigest()


def recipient_matches(email, identity_hash, salt):
    return recipient_identity_hash(email, salt) == identity_hash.lower()


def format_timestamp(moment):
    """An RFC 3339 UTC timestamp with a trailing Z, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(facts):
    """The unsigned OpenBadgeCredential (W3C Verifiable Credentials 2.0 data model)."""
    credential = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": facts.credential_id,
        "type": list(CREDENTIAL_TYPE),
        "issuer": {
            "id": facts.issuer_id,
            "type": ["Profile"],
            "name": facts.issuer_name,
            "url": facts.issuer_url,
        },
        "validFrom": format_timestamp(facts.awarded_at),
        "name": facts.achievement_name,
        "credentialSubject": {
            "id": facts.subject_id,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": facts.identity_hash,
                    "salt": facts.identity_salt,
                }
            ],
            "achievement": {
                "id": facts.achievement_id,
                "type": ["Achievement"],
                "name": facts.achievement_name,
                "description": facts.achievement_description,
                "criteria": {"narrative": facts.criteria_narrative},
                "image": {
                    "id": facts.achievement_image_url,
                    "type": "Image",
                    "caption": f"The {facts.achievement_name} badge",
                },
            },
        },
        "credentialSchema": [dict(ACHIEVEMENT_CREDENTIAL_SCHEMA)],
        "credentialStatus": {"id": facts.revocation_list_url, "type": REVOCATION_LIST_TYPE},
    }
    if facts.subject_narrative:
        credential["credentialSubject"]["narrative"] = facts.subject_narrative
    return credential


def jwt_claims(credential):
    """The VC-JWT payload: the credential plus the registered claims that mirror it."""
    valid_from = datetime.strptime(credential["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
    return {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(valid_from.replace(tzinfo=UTC).timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }


def sign_credential(credential, signing_key, kid_url):
    """The credential as a compact VC-JWT (RS256; `kid` is the URL of the public key)."""
    header = {"alg": SIGNING_ALGORITHM, "typ": "JWT", "kid": kid_url}
    return jwt.encode(header, jwt_claims(credential), signing_key, algorithms=[SIGNING_ALGORITHM])


# Entries whose `type` no JSON-LD context defines (1EdTech names them, but its context does
# not): canonicalization cannot cover them, and safe-mode verifiers refuse the credential.
UNDEFINED_IN_JSON_LD = ("credentialSchema", "credentialStatus")


def data_integrity_form(credential, issuer_id, credential_status=None):
    """The credential as secured by a Data Integrity proof: issued under the issuer's DID (the
    same Profile otherwise), without the entries JSON-LD cannot express (UNDEFINED_IN_JSON_LD;
    the OB 3.0 schema requires neither), and with `credential_status` (a
    BitstringStatusListEntry, which the VC 2.0 context defines) when given."""
    kept = {key: value for key, value in credential.items() if key not in UNDEFINED_IN_JSON_LD}
    if credential_status is not None:
        kept["credentialStatus"] = credential_status
    return {**kept, "issuer": {**credential["issuer"], "id": issuer_id}}


def sign_credential_data_integrity(credential, signing_key, did, key_id, credential_status=None):
    """The credential, issued by `did` (`data_integrity_form`), with an eddsa-rdfc-2022
    DataIntegrityProof.

    The proof's `created` is the credential's `validFrom` (when the award was earned): Ed25519
    signatures are deterministic, so an award always gives the same bytes until the key rotates.
    """
    signed = sign_document(
        data_integrity_form(credential, did, credential_status),
        signing_key,
        verification_method_id(did, key_id),
        created=credential["validFrom"],
    )
    # The OB 3.0 schema wants `proof` as an array; a set of one proof signs the same bytes.
    return {**signed, "proof": [signed["proof"]]}


def revocation_list(*, list_url, issuer_id, revoked_credential_ids):
    """The 1EdTech revocation list of these credentials, each with the public reason."""
    return {
        "id": list_url,
        "issuer": issuer_id,
        "revokedCredentials": [
            {"id": credential_id, "revocationReason": PUBLIC_REVOCATION_REASON}
            for credential_id in revoked_credential_ids
        ],
    }


def subject_id_for(award_public_id):
    """The recipient's id in one credential: stable for the award, unlinkable across awards."""
    return f"urn:uuid:{uuid.uuid5(award_public_id, 'recipient')}"


def credential_url(origin, award_public_id):
    """The credential's id, in both its forms (the VC-JWT's URL, which came first)."""
    return origin + reverse("badges:credential_jwt", kwargs={"public_id": award_public_id})


def data_integrity_credential_url(origin, award_public_id):
    """Where the credential with its Data Integrity proof is served (its id stays the VC-JWT's)."""
    return origin + reverse("badges:credential_json", kwargs={"public_id": award_public_id})


def signing_key_url(origin, wanted_key_id):
    """The `kid` of a key: the URL that answers its bare public JWK."""
    return origin + reverse("badges:signing_key", kwargs={"key_id": wanted_key_id})


def key_id_for_kid(kid, origin):
    """The key id named by a `kid` URL of this site, or None for any other `kid`."""
    if not isinstance(kid, str) or not same_origin(kid, origin):
        return None
    try:
        match = resolve(urlsplit(kid).path)
    except Resolver404:
        return None
    return match.kwargs["key_id"] if match.view_name == "badges:signing_key" else None


def credential_facts(award, *, origin, issuer, criteria_narrative, subject_narrative=""):
    """The facts of a shared award (degree and learner loaded) for `build_credential`.

    `issuer` is the site's (`badges.site.site_issuer`). The achievement is named by the degree's
    Open Badges 2.0 BadgeClass URL, so both versions call it by the same permanent id.
    """
    degree = award.degree
    return CredentialFacts(
        credential_id=credential_url(origin, award.public_id),
        subject_id=subject_id_for(award.public_id),
        issuer_id=issuer.id,
        issuer_name=issuer.name,
        issuer_url=issuer.url,
        achievement_id=origin + reverse("badges:badge_class", args=[degree.public_id]),
        achievement_name=degree.title,
        achievement_description=degree.summary or degree.title,
        criteria_narrative=criteria_narrative,
        achievement_image_url=origin + reverse("badges:degree_png", args=[degree.public_id]),
        awarded_at=award.awarded_at,
        identity_hash=recipient_identity_hash(award.learner.email, award.recipient_salt),
        identity_salt=award.recipient_salt,
        revocation_list_url=origin + reverse("badges:revocation_list"),
        subject_narrative=subject_narrative,
    )

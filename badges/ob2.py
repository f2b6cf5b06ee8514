"""Open Badges 2.0 hosted verification: the issuer, a BadgeClass per degree, an Assertion per award.

Plain functions from plain values to the JSON-LD documents; the views pass absolute URLs (each
document's `id` is the URL it is served at) and the facts from `badges.awards`.
"""

import hashlib
from datetime import UTC

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
LD_JSON = "application/ld+json"


def recipient_identity(email, salt):
    """`sha256$` + hex SHA-256 of the trimmed, lower-cased email followed by the salt."""
    normalized = (email or "").strip().lower()
    return "sha256$" + hashlib.sha256((normalized + salt).encode("utf-8")).hexdigest()


def timestamp(moment):
    """ISO 8601 in UTC with a Z, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_document(issuer):
    return {
        "@context": OB2_CONTEXT,
        "id": issuer.id,
        "type": "Issuer",
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }


def badge_class_document(*, badge_class_url, degree, narrative, criteria_url, image_url, issuer_id):
    return {
        "@context": OB2_CONTEXT,
        "id": badge_class_url,
        "type": "BadgeClass",
        "name": degree.title,
        "description": degree.summary or f"The {degree.title} degree of the mlmath curriculum.",
        "image": image_url,
        "criteria": {"id": criteria_url, "narrative": narrative},
        "issuer": issuer_id,
    }


def assertion_document(*, assertion_url, badge_class_url, image_url, badge, recipient_email):
    """The hosted Assertion of a shared award (`badge` is a `badges.awards.SharedBadge`)."""
    award = badge.award
    document = {
        "@context": OB2_CONTEXT,
        "id": assertion_url,
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.recipient_salt,
            "identity": recipient_identity(recipient_email, award.recipient_salt),
        },
        "badge": badge_class_url,
        "image": image_url,
        "verification": {"type": "hosted"},
        "issuedOn": timestamp(award.awarded_at),
    }
    evidence = [
        {
            "id": milestone.url,
            "name": milestone.title,
            "narrative": f"{milestone.review_words}. {milestone.description}".strip(),
        }
        for milestone in badge.accepted_evidence
    ]
    if evidence:
        document["evidence"] = evidence
    return document


def revoked_assertion_document(*, assertion_url, reason):
    """What a revoked assertion answers, with 410 Gone."""
    return {
        "@context": OB2_CONTEXT,
        "id": assertion_url,
        "type": "Assertion",
        "revoked": True,
        "revocationReason": reason,
    }

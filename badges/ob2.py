"""Open Badges 2.0 hosted verification: the issuer, a BadgeClass per degree, an Assertion per award.

Plain functions from plain values to the JSON-LD documents; the views pass absolute URLs (each
document's `id` is the URL it is served at) and the facts from `badges.awards`. The recipient
hash and timestamps are Open Badges 3.0's too, so they come from `badges.ob3`.
"""

from badges.ob3 import format_timestamp, recipient_identity_hash
from progress.models import PUBLIC_REVOCATION_REASON

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
LD_JSON = "application/ld+json"


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
            "identity": recipient_identity_hash(recipient_email, award.recipient_salt),
        },
        "badge": badge_class_url,
        "image": image_url,
        "verification": {"type": "hosted"},
        "issuedOn": format_timestamp(award.awarded_at),
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
    if badge.resources_narrative:
        # Completed and already known resources count alike; the narrative tells them apart.
        document["narrative"] = badge.resources_narrative
    return document


def revoked_assertion_document(*, assertion_url):
    """What a revoked assertion answers, with 410 Gone (never the curator's own reason)."""
    return {
        "@context": OB2_CONTEXT,
        "id": assertion_url,
        "type": "Assertion",
        "revoked": True,
        "revocationReason": PUBLIC_REVOCATION_REASON,
    }

"""The share page's one verdict on a badge: revoked, or how the award's evidence stands (the
standing `progress.degrees.award_standing` gives, the same one the learner's dashboard shows)."""

import pytest
from django.urls import reverse

from catalog.models import Milestone
from progress.models import Evidence
from progress.services import withdraw_evidence
from tests.factories import review_all_evidence
from tests.html import elements, labelled_by, text


def share_page(client, award):
    response = client.get(reverse("badges:share", args=[award.public_id]))
    assert response.status_code == 200
    return response


def verdict(page):
    """The page's verdict, as a reader sees it (there is exactly one)."""
    (found,) = elements(page, "p", class_="verdict")
    return text(found)


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        (None, "Valid, not revoked; some milestone evidence is self-attested"),
        (Evidence.State.VERIFIED, "Valid, not revoked; curators verified the evidence"),
        (Evidence.State.REJECTED, "Rests on rejected evidence: a curator rejected evidence"),
    ],
)
def test_the_verdict_follows_the_awards_standing(client, ada_shared_award, review, expected):
    if review:
        review_all_evidence(review)
    assert verdict(share_page(client, ada_shared_award)).startswith(expected)


def test_a_badge_whose_milestone_evidence_was_withdrawn_says_so_not_self_attested(
    client, ada_shared_award, learner
):
    kaggle = Milestone.objects.get(slug="kaggle-keras-xgboost")
    withdraw_evidence(learner=learner, milestone=kaggle)
    page = share_page(client, ada_shared_award)
    assert verdict(page) == (
        "Valid, not revoked; some milestones of this degree have no evidence (withdrawn, or "
        "asked for since the badge was earned)."
    )
    assert "No evidence" in text(labelled_by(page, "evidence-heading"))


def test_a_revoked_badge_says_only_the_public_revocation_reason(client, ada_shared_award):
    ada_shared_award.revoke(reason="The Kaggle notebook was someone else's.")
    page = share_page(client, ada_shared_award)
    assert verdict(page) == "Revoked by the issuer. This badge does not count any more."
    # Its link preview says the same words, as the badge's documents do.
    (description,) = elements(page, "meta", property="og:description")
    assert dict(description.attributes)["content"] == "Revoked by the issuer."

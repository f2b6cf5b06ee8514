"""A badge says what stands behind it: resources completed on mlmath, and resources its learner
already knew (self-attested), on its page and in both Open Badges documents."""

import json

import pytest
from django.urls import reverse

from badges.awards import resources_narrative
from catalog.models import Milestone, Resource
from progress.degrees import ResourceCounts
from progress.models import DegreeAward
from tests.badges.credentials import fetch_credential, verified_claims
from tests.badges.schema import schema_errors
from tests.factories import complete, give_evidence
from tests.html import elements, labelled_by, text

BEHIND = (
    "Behind this badge: 1 resource completed on mlmath and 1 resource the learner already knew "
    "(self-attested)."
)


@pytest.fixture
def half_known_award(seed_catalog, learner):
    """Ada earns Practitioner with Keras completed and XGboost already known; shared."""
    give_evidence(learner, Milestone.objects.get(slug="kaggle-keras-xgboost"))
    complete(learner, Resource.objects.get(slug="keras"))
    complete(learner, Resource.objects.get(slug="xgboost"), status="known")
    # Resources outside the degree's requirements stand behind nothing of it.
    complete(learner, Resource.objects.get(slug="khan-academy-calculus"), status="known")
    award = DegreeAward.objects.valid().get(learner=learner, degree__slug="practitioner")
    return award.set_shared(True)


@pytest.mark.parametrize(
    ("completed", "known", "sentence"),
    [
        (4, 1, "4 resources completed on mlmath and 1 resource the learner already knew"),
        (1, 2, "1 resource completed on mlmath and 2 resources the learner already knew"),
        (0, 2, "0 resources completed on mlmath and 2 resources the learner already knew"),
        (2, 0, "2 resources completed on mlmath (none marked already known)"),
    ],
)
def test_the_narrative_counts_each_kind_in_plain_words(completed, known, sentence):
    assert sentence in resources_narrative(ResourceCounts(completed=completed, known=known))


def test_the_share_page_tells_completed_from_known(client, half_known_award):
    response = client.get(reverse("badges:share", args=[half_known_award.public_id]))
    assert response.status_code == 200
    section = labelled_by(response, "behind-heading")
    assert [text(item) for item in elements(section, "li")] == [
        "1 resource completed on mlmath",
        "1 resource the learner already knew",
    ]
    assert "self-attested" in text(section)


def test_a_badge_earned_by_completions_alone_says_none_was_known(client, ada_shared_award):
    response = client.get(reverse("badges:share", args=[ada_shared_award.public_id]))
    section = labelled_by(response, "behind-heading")
    assert [text(item) for item in elements(section, "li")] == [
        "2 resources completed on mlmath",
        "0 resources the learner already knew",
    ]


def test_the_open_badges_2_assertion_narrates_completed_and_known(client, half_known_award):
    response = client.get(reverse("badges:assertion", args=[half_known_award.public_id]))
    assert response.status_code == 200
    assert json.loads(response.content)["narrative"] == BEHIND


def test_the_open_badges_3_credential_narrates_them_and_keeps_its_id(client, half_known_award):
    claims = verified_claims(client, fetch_credential(client, half_known_award))
    assert claims["credentialSubject"]["narrative"] == BEHIND
    assert claims["id"].endswith(f"/badges/{half_known_award.public_id}/credential.jwt")
    credential = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "sub")}
    assert schema_errors(credential) == []
    assert "already know" in claims["credentialSubject"]["achievement"]["criteria"]["narrative"]

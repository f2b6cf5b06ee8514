"""/verify/ with a learner record (CLR 2.0) this site signed: its proof is checked, the page
says what it is and whom it names, and how to check the badges it holds."""

import json

import pytest

from tests.badges.test_clr import fetch_record
from tests.badges.test_verify_page import checks
from tests.factories import at
from tests.html import by_id, text

pytestmark = pytest.mark.frozen_at(at("2026-06-01T12:00"))


def verify(client, document, email=""):
    body = document if isinstance(document, str) else json.dumps(document)
    response = client.post("/verify/", {"badge": body, "email": email})
    assert response.status_code == 200
    return response


def test_a_learner_record_is_named_with_its_signature_valid(learner_client, ada_award):
    response, _ = fetch_record(learner_client)
    answer = verify(learner_client, response.content.decode(), email=ada_award.learner.email)

    assert text(by_id(answer, "verdict-heading")) == (
        "✓ Signature valid: a learner record issued by this site"
    )
    assert "This is a learner record (CLR 2.0)" in text(by_id(answer, "verdict"))
    assert checks(answer) == {
        "Checked": "A signed credential (JSON-LD, Data Integrity)",
        "Issued by this site": "Yes",
        "Signature": "Valid",
        "Revocation": "Not checked",
        "Recipient": "Awarded to this email address",
    }


def test_a_learner_record_names_no_one_else(learner_client, ada_award):
    _, record = fetch_record(learner_client)

    assert checks(verify(learner_client, record, email="grace@example.org"))["Recipient"] == (
        "Not awarded to this email address"
    )


def test_a_changed_learner_record_is_not_valid(learner_client, ada_award):
    _, record = fetch_record(learner_client)
    record["name"] = "Learner record: everything"
    answer = verify(learner_client, record)

    assert text(by_id(answer, "verdict-heading")) == "✗ Not valid"
    assert checks(answer)["Signature"] == "Not valid"
    assert "This is a learner record" not in text(by_id(answer, "verdict"))

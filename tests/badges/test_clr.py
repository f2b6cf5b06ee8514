"""The learner record (CLR 2.0): a signed ClrCredential of a learner's record in a curriculum,
theirs only, read without a write, in a fixed number of queries."""

import copy
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from badges.dataintegrity import SignatureMismatch, verify_document
from catalog.models import Curriculum, Degree
from progress.models import DegreeAward, Following
from tests.badges.test_ob3_data_integrity import fetch_data_integrity, published_resolver
from tests.badges.writes import no_writes
from tests.factories import at, make_learner
from tests.html import elements, text

pytestmark = pytest.mark.frozen_at(at("2026-06-01T12:00"))

CLR_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def record_path(username="ada", curriculum="ml-math"):
    return reverse(
        "badges:learner_record", kwargs={"curriculum_slug": curriculum, "username": username}
    )


def fetch_record(client, **kwargs):
    response = client.get(record_path(**kwargs))
    assert response.status_code == 200, response.content
    return response, json.loads(response.content)


def embedded(record, kind):
    return [
        credential
        for credential in record["credentialSubject"]["verifiableCredential"]
        if kind in credential["type"]
    ]


def test_the_record_is_a_signed_clr_credential_of_the_site(learner_client, ada_award):
    response, record = fetch_record(learner_client)

    assert response["Content-Type"] == "application/vc"
    assert response["Content-Disposition"] == (
        'attachment; filename="mlmath-ml-math-learner-record.json"'
    )
    assert "no-store" in response["Cache-Control"]
    proof = verify_document(record, published_resolver(learner_client))
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert record["@context"] == CLR_CONTEXT
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    assert record["issuer"]["id"] == "did:web:testserver"
    assert record["validFrom"] == "2026-06-01T12:00:00Z"
    assert record["credentialSubject"]["type"] == ["ClrSubject"]
    [identity] = record["credentialSubject"]["identifier"]
    assert identity["identityType"] == "emailAddress"
    assert identity["hashed"] is True


def test_the_record_holds_each_award_credential_as_served_and_verifying_alone(
    learner_client, ada_award
):
    _, record = fetch_record(learner_client)
    ada_award.set_shared(True)
    served = fetch_data_integrity(learner_client, ada_award)

    [badge] = embedded(record, "OpenBadgeCredential")
    assert badge == served  # the same bytes a wallet gets from credential.json
    verify_document(badge, published_resolver(learner_client))


def test_each_topic_worked_on_is_an_achievement_with_its_result(learner_client, ada_award):
    _, record = fetch_record(learner_client)

    [topic] = embedded(record, "AchievementCredential")
    achievement = topic["credentialSubject"]["achievement"]
    assert achievement["name"] == 'How to study, the "degrees"'
    [description] = achievement["resultDescription"]
    assert (description["resultType"], description["valueMax"]) == ("RawScore", "2")
    assert topic["credentialSubject"]["result"] == [
        {
            "type": ["Result"],
            "resultDescription": description["id"],
            "value": "2",
            "status": "Completed",
        }
    ]
    assert topic["credentialSubject"]["id"] == record["credentialSubject"]["id"]
    names = [a["name"] for a in record["credentialSubject"]["achievement"]]
    assert names == ["Practitioner", 'How to study, the "degrees"']


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r["credentialSubject"]["verifiableCredential"][1]["credentialSubject"]["result"][
            0
        ].update(value="9"),
        lambda r: r["credentialSubject"]["verifiableCredential"][0]["credentialSubject"].update(
            narrative="Behind this badge: 40 resources."
        ),
        lambda r: r["credentialSubject"]["verifiableCredential"].pop(1),
        lambda r: r["credentialSubject"]["achievement"][0].update(name="Grand master"),
        lambda r: r.update(validFrom="2030-01-01T00:00:00Z"),
    ],
)
def test_a_changed_record_fails_its_proof(learner_client, ada_award, change):
    _, record = fetch_record(learner_client)
    forged = copy.deepcopy(record)
    change(forged)
    with pytest.raises(SignatureMismatch):
        verify_document(forged, published_resolver(learner_client))


def test_a_revoked_award_is_left_out(learner_client, ada_award):
    ada_award.revoke(reason="Copied.")
    _, record = fetch_record(learner_client)
    assert embedded(record, "OpenBadgeCredential") == []
    assert len(embedded(record, "AchievementCredential")) == 1  # the topic stays


def test_only_its_learner_gets_it(client, ada_award):
    path = record_path()
    response = client.get(path)
    assert response.status_code == 302  # to sign in
    assert response["Location"].startswith(reverse("account_login"))

    client.force_login(make_learner("grace"))
    assert client.get(path).status_code == 404  # someone else's: as if it did not exist
    assert client.get(record_path(username="grace")).status_code == 404  # nothing done yet


def test_unknown_and_unpublished_curricula_are_not_found(learner_client, ada_award):
    assert learner_client.get(record_path(curriculum="nope")).status_code == 404
    Curriculum.objects.filter(slug="ml-math").update(is_published=False)
    assert learner_client.get(record_path()).status_code == 404
    assert learner_client.post(record_path()).status_code == 405


def test_downloading_the_record_writes_nothing(learner_client, ada_award):
    with no_writes():
        fetch_record(learner_client)


def record_queries(client):
    client.get(record_path())  # warms what is cached per catalog version
    with CaptureQueriesContext(connection) as queries:
        fetch_record(client)
    return len(queries)


def test_the_record_costs_the_same_queries_for_1_or_4_awards(
    learner_client, ada_award, django_assert_max_num_queries
):
    one = record_queries(learner_client)
    curriculum = ada_award.degree.curriculum
    for rank in range(10, 13):
        degree = Degree.objects.create(
            curriculum=curriculum, slug=f"extra-{rank}", title=f"Extra {rank}", rank=rank
        )
        DegreeAward.objects.create(
            learner=ada_award.learner, degree=degree, awarded_at=timezone.now()
        )
    four = record_queries(learner_client)

    _, record = fetch_record(learner_client)
    assert len(embedded(record, "OpenBadgeCredential")) == 4
    assert one == four
    # On the SQLite default: session and user, the curriculum, the awards (degree, profile and
    # status list entry joined), the learner's credit, the catalog's version (the degree rules
    # and published resources come from its caches), the curriculum's topics.
    with django_assert_max_num_queries(7):
        fetch_record(learner_client)


def test_the_dashboard_links_the_record_of_each_curriculum_worked_in(learner_client, ada_award):
    other = Curriculum.objects.create(slug="stats", title="Statistics", is_published=True)
    Following.objects.create(learner=ada_award.learner, curriculum=other)  # nothing done there
    response = learner_client.get(reverse("progress:dashboard"))
    [link] = elements(response, "a", class_="learner-record")
    assert dict(link.attributes)["href"] == record_path()
    assert "Download your learner record (CLR)" in text(link)


def test_the_record_is_not_linked_before_anything_is_done(client, seed_catalog):
    client.force_login(make_learner("grace"))
    response = client.get(reverse("progress:dashboard"))
    assert elements(response, "a", class_="learner-record") == []


def test_the_clr_context_is_the_published_file_in_both_loaders():
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    ours = (root / "badges/contexts/clr-v2p0-2.0.1.json").read_bytes()
    node = (root / "tests/interop/contexts/clr-v2p0-2.0.1.json").read_bytes()
    assert ours == node
    # The hash openbadgeslib 4.6.3 pins for its copy of the published 2.0.1 file.
    assert hashlib.sha256(ours).hexdigest() == (
        "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6"
    )

"""The revocation status list (W3C Bitstring Status List v1.0): each Data Integrity credential's
entry, its random index, the signed list at /badges/status/revocation/<n>, its caching, and
revocation setting the bit at once.

The list is read the way a verifier reads it: fetched through the test client, its proof checked
with the key of the published DID document, its bits un-gzipped from `encodedList` here."""

import base64
import copy
import gzip
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from badges import models as badge_models
from badges.dataintegrity import SignatureMismatch, verify_document
from badges.models import LIST_LENGTH, StatusListEntry, draw_status_list_entries
from badges.status_list import bit_is_set, bitstring, decode_list, encode_list
from progress.models import DegreeAward
from tests.badges.schema import schema_errors
from tests.badges.test_ob3_data_integrity import fetch_data_integrity, published_resolver
from tests.badges.test_verify_data_integrity import credential_json
from tests.badges.test_verify_page import checks, verdict_text
from tests.badges.writes import no_writes
from tests.factories import at

ORIGIN = "http://testserver"
DID = "did:web:testserver"
LIST_PATH = "/badges/status/revocation/1"
LIST_URL = ORIGIN + LIST_PATH
AWARDED = "2026-06-01T12:00:00Z"

pytestmark = pytest.mark.frozen_at(at("2026-06-01T12:00"))


def fetch_list(client, path=LIST_PATH, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vc"
    return json.loads(response.content)


def bits_of(status_list):
    """The list's bits, decoded by hand as the specification says: 'u', base64url, gunzip."""
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    assert "=" not in encoded
    text = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def set_bits(bits):
    return {index for index in range(len(bits) * 8) if bits[index // 8] & (0x80 >> (index % 8))}


def index_of(credential):
    return int(credential["credentialStatus"]["statusListIndex"])


@pytest.fixture
def awards(make_award, make_learner):
    """Shared awards of several learners."""

    def make(count):
        return [make_award(learner=make_learner(f"learner{n}")) for n in range(count)]

    return make


# The entry in each credential


def test_a_credential_names_its_bit_in_the_revocation_list(client, shared_award):
    credential = fetch_data_integrity(client, shared_award)

    status = credential["credentialStatus"]
    index = shared_award.status_list_entry.index
    assert status == {
        "id": f"{LIST_URL}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": LIST_URL,
    }
    assert 0 <= index < LIST_LENGTH
    assert schema_errors(credential) == []  # the OB 3.0 schema takes this credentialStatus
    verify_document(credential, published_resolver(client))  # and the proof covers it


def test_the_entry_is_covered_by_the_proof(client, shared_award):
    credential = fetch_data_integrity(client, shared_award)
    forged = copy.deepcopy(credential)
    forged["credentialStatus"]["statusListIndex"] = str(index_of(credential) ^ 1)
    with pytest.raises(SignatureMismatch):
        verify_document(forged, published_resolver(client))


def test_an_index_is_drawn_once_and_kept_for_every_later_issue(
    client, shared_award, settings, tmp_path
):
    from badges.did import rotate_did_key_file

    first = fetch_data_integrity(client, shared_award)
    key_file = tmp_path / "did-keys.pem"
    rotate_did_key_file(key_file)
    settings.BADGES_DID_KEY_FILE = str(key_file)
    again = fetch_data_integrity(client, shared_award)

    assert again["proof"] != first["proof"]  # another key signed it
    assert again["credentialStatus"] == first["credentialStatus"]
    assert StatusListEntry.objects.count() == 1


def test_indexes_are_random_not_in_order_of_issue(client, awards):
    issued = awards(40)
    indexes = [index_of(fetch_data_integrity(client, award)) for award in issued]

    assert len(set(indexes)) == 40
    # Forty draws from 131,072 in increasing order, or forty neighbours, would be a
    # 1-in-40! or so event: what an index would say of order and volume, it does not.
    assert indexes != sorted(indexes)
    assert max(indexes) - min(indexes) > 1000


def test_a_drawn_index_already_taken_is_drawn_again(client, awards, monkeypatch):
    draws = iter([7, 7, 7, 12345])
    monkeypatch.setattr(badge_models.secrets, "randbelow", lambda n: next(draws))
    first, second = awards(2)  # the second draws 7, taken, then 7 again, then 12345

    assert index_of(fetch_data_integrity(client, first)) == 7
    assert index_of(fetch_data_integrity(client, second)) == 12345


def test_an_award_given_its_index_meanwhile_keeps_it(shared_award):
    entry = shared_award.status_list_entry
    # Another transaction gave it its index a moment ago: the second draw is refused.
    fresh = DegreeAward.objects.get(pk=shared_award.pk)

    assert draw_status_list_entries([fresh]) == []
    assert list(StatusListEntry.objects.all()) == [entry]


def test_a_list_half_full_sends_new_indexes_to_the_next_list(awards, monkeypatch):
    monkeypatch.setattr(badge_models, "LIST_CAPACITY", 1)
    award, other = awards(2)

    assert award.status_list_entry.status_list == 1
    assert other.status_list_entry.status_list == 2


def test_every_award_has_its_index_from_the_moment_it_is_recorded(
    client, make_award, make_learner, shared_award
):
    private = make_award(is_shared=False, learner=make_learner("grace"))

    entries = dict(StatusListEntry.objects.values_list("award_id", "index"))
    assert set(entries) == {private.pk, shared_award.pk}
    # Reading credentials writes nothing: not the private one's (404), nor the VC-JWT.
    client.get(reverse("badges:credential_json", args=[private.public_id]))
    client.get(reverse("badges:credential_jwt", args=[shared_award.public_id]))
    client.get(reverse("badges:credential_json", args=[shared_award.public_id]))
    assert dict(StatusListEntry.objects.values_list("award_id", "index")) == entries


# The list


def test_the_list_is_a_signed_bitstring_status_list_credential_of_the_same_issuer(
    client, shared_award
):
    credential = fetch_data_integrity(client, shared_award)
    status_list = fetch_list(client)

    proof = verify_document(status_list, published_resolver(client))
    assert proof["verificationMethod"] == credential["proof"][0]["verificationMethod"]
    assert status_list["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert status_list["id"] == LIST_URL
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["issuer"] == credential["issuer"]["id"] == DID
    assert status_list["validFrom"] == "2026-06-01T12:00:00Z"  # when its first index was drawn
    assert proof["created"] == status_list["validFrom"]
    assert "validUntil" not in status_list
    subject = status_list["credentialSubject"]
    assert {k: v for k, v in subject.items() if k != "encodedList"} == {
        "id": f"{LIST_URL}#list",
        "type": "BitstringStatusList",
        "statusPurpose": "revocation",
        "ttl": 60_000,
    }
    assert len(bits_of(status_list)) * 8 == LIST_LENGTH == 131_072
    assert set_bits(bits_of(status_list)) == set()


def test_the_list_sets_exactly_the_bits_of_revoked_awards(client, awards, make_award, make_learner):
    issued = awards(6)
    indexes = {award.pk: index_of(fetch_data_integrity(client, award)) for award in issued}
    private = make_award(learner=make_learner("grace"), is_shared=False)
    issued[1].revoke(reason="Copied.")
    DegreeAward.objects.filter(pk__in=[issued[3].pk, issued[4].pk, private.pk]).revoke(
        reason="Plagiarised."
    )

    bits = bits_of(fetch_list(client))

    # A private award has its bit too (every award has its index): set once it is revoked.
    revoked = {indexes[issued[n].pk] for n in (1, 3, 4)} | {private.status_list_entry.index}
    assert set_bits(bits) == revoked


def test_a_revoked_award_issued_for_the_first_time_sets_its_bit_at_once(client, shared_award):
    shared_award.revoke(reason="Copied.")

    index = index_of(fetch_data_integrity(client, shared_award))  # still served, like the JWT

    assert set_bits(bits_of(fetch_list(client))) == {index}


def test_the_list_changes_its_valid_from_when_a_bit_is_set(client, shared_award, time_machine):
    fetch_data_integrity(client, shared_award)
    time_machine.move_to(at("2026-07-02T08:00"), tick=False)
    shared_award.revoke(reason="Copied.")

    status_list = fetch_list(client)

    assert status_list["validFrom"] == "2026-07-02T08:00:00Z"
    verify_document(status_list, published_resolver(client))


def test_a_tampered_list_fails_its_proof(client, shared_award):
    fetch_data_integrity(client, shared_award)
    status_list = fetch_list(client)
    resolve = published_resolver(client)
    everything_revoked = encode_list(bytes([0xFF]) * (LIST_LENGTH // 8))
    for change in (
        lambda s: s["credentialSubject"].update(encodedList=everything_revoked),
        lambda s: s["credentialSubject"].update(statusPurpose="suspension"),
        lambda s: s.update(validFrom="2030-01-01T00:00:00Z"),
        lambda s: s.update(issuer="did:web:example.org"),
    ):
        forged = copy.deepcopy(status_list)
        change(forged)
        with pytest.raises(SignatureMismatch):
            verify_document(forged, resolve)


def test_lists_with_no_entry_and_other_spellings_are_not_found(client, make_award):
    assert client.get(LIST_PATH).status_code == 404  # no award has an index in it yet
    make_award(is_shared=False)
    assert client.get(LIST_PATH).status_code == 200
    for path in ("/badges/status/revocation/2", "/badges/status/revocation/01",
                 "/badges/status/revocation/0", "/badges/status/suspension/1"):  # fmt: skip
        assert client.get(path).status_code == 404
    assert client.post(LIST_PATH).status_code == 405


# Caching


def test_the_list_is_cacheable_briefly_and_answers_conditional_gets(client, shared_award):
    fetch_data_integrity(client, shared_award)
    response = client.get(LIST_PATH)
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"
    etag = response["ETag"]

    again = client.get(LIST_PATH, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    shared_award.revoke(reason="Copied.")
    changed = client.get(LIST_PATH, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_same_list_is_the_same_bytes_whenever_it_is_rendered(client, shared_award):
    from mlmath.caching import local_cache

    fetch_data_integrity(client, shared_award)
    first = client.get(LIST_PATH)
    local_cache().clear()  # another process, or the cache lost
    second = client.get(LIST_PATH)

    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_an_unchanged_list_is_served_without_reading_a_row(
    client, awards, django_assert_max_num_queries
):
    for award in awards(3):
        fetch_data_integrity(client, award)
    client.get(LIST_PATH)

    with django_assert_max_num_queries(1):  # the version token (the database cache in tests)
        client.get(LIST_PATH)


def test_rendering_the_list_costs_the_same_queries_however_many_awards(client, awards):
    issued = awards(25)
    for award in issued:
        fetch_data_integrity(client, award)

    def queries_to_render():
        with CaptureQueriesContext(connection) as queries:
            bits = bits_of(fetch_list(client))
        return len(queries), len(set_bits(bits))

    issued[0].revoke(reason="Copied.")
    one = queries_to_render()
    DegreeAward.objects.filter(pk__in=[a.pk for a in issued]).revoke(reason="Copied.")
    all_of_them = queries_to_render()

    assert (one[1], all_of_them[1]) == (1, 25)
    # The list's times and its revoked indexes (and the version token with the database cache).
    assert one[0] == all_of_them[0] <= 3


# Revocation sets the bit in its own transaction


@pytest.mark.django_db(transaction=True)
def test_a_revocation_sets_the_bit_when_it_commits_and_not_if_it_fails(client, shared_award):
    index = index_of(fetch_data_integrity(client, shared_award))
    assert not bit_is_set(bits_of(fetch_list(client)), index)

    def revoke_then_fail():
        with transaction.atomic():
            shared_award.revoke(reason="Copied.")
            # Inside the transaction, its own requests see the bit set already...
            assert bit_is_set(bits_of(fetch_list(client)), index)
            raise RuntimeError("the rest of the transaction failed")

    with pytest.raises(RuntimeError):
        revoke_then_fail()
    # ...and once it rolled back, nobody does.
    assert not bit_is_set(bits_of(fetch_list(client)), index)

    with transaction.atomic():
        DegreeAward.objects.filter(pk=shared_award.pk).revoke(reason="Copied.")
    assert bit_is_set(bits_of(fetch_list(client)), index)


def test_deleting_an_account_sets_the_bits_of_its_awards(client, shared_award, badge_learner):
    from accounts.services import delete_account

    index = index_of(fetch_data_integrity(client, shared_award))
    fetch_list(client)

    delete_account(user=badge_learner)

    assert set_bits(bits_of(fetch_list(client))) == {index}


def test_an_award_with_an_index_cannot_be_deleted(client, shared_award):
    from django.db.models import ProtectedError

    fetch_data_integrity(client, shared_award)
    with pytest.raises(ProtectedError):
        shared_award.delete()


# /verify/ reads the list


def test_verify_reports_a_credential_revoked_by_its_bit(client, shared_award, monkeypatch):
    pasted = credential_json(client, shared_award)
    shared_award.revoke(reason="Copied.")
    # Whatever the award row says, the list alone tells it.
    monkeypatch.setattr("badges.verify_views.award_is_revoked", lambda *args: False)

    response = client.post("/verify/", {"badge": pasted})

    assert checks(response)["Revocation"] == "Revoked by the issuer. No longer valid."
    assert checks(response)["Signature"] == "Valid"


def test_verify_reports_a_credential_not_revoked_while_its_bit_is_clear(client, shared_award):
    response = client.post("/verify/", {"badge": credential_json(client, shared_award)})
    assert checks(response)["Revocation"] == "Not revoked"


def test_verify_explains_a_signed_entry_that_names_no_list_of_this_site(client, shared_award):
    from badges.dataintegrity import sign_document
    from badges.did import load_did_key_ring

    credential = fetch_data_integrity(client, shared_award)
    credential["credentialStatus"]["statusListCredential"] = "https://example.org/status/1"
    ring = load_did_key_ring()
    [proof] = credential.pop("proof")
    signed = sign_document(credential, ring.signing_key, proof["verificationMethod"], AWARDED)

    response = client.post("/verify/", {"badge": json.dumps(signed)})

    assert "names no status list of this site" in verdict_text(response)
    assert checks(response)["Signature"] == "Valid"


# The encoding, by itself


def test_bit_zero_is_the_leftmost_bit_of_the_first_byte():
    bits = bitstring([0, 9, LIST_LENGTH - 1])
    assert bits[:2] == bytes([0b1000_0000, 0b0100_0000])
    assert bits[-1] == 0b0000_0001
    assert [bit_is_set(bits, i) for i in (0, 1, 9, LIST_LENGTH - 1, LIST_LENGTH)] == [
        True,
        False,
        True,
        True,
        False,
    ]


def test_the_encoding_round_trips_and_matches_the_specifications_example():
    assert decode_list(encode_list(bitstring([3, 94567]))) == bitstring([3, 94567])
    # The example list of the specification (section 2.2): 131,072 bits, none set.
    example = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
    assert decode_list(example) == bitstring([])


@pytest.mark.parametrize(
    "encoded",
    [
        "zH4sI",  # not base64url multibase
        "u!!!",
        "u" + base64.urlsafe_b64encode(b"not gzip").decode().rstrip("="),
        "u" + base64.urlsafe_b64encode(gzip.compress(bytes(LIST_LENGTH * 2))[:30]).decode(),
        # A small file that inflates past the bound.
        "u" + base64.urlsafe_b64encode(gzip.compress(bytes(LIST_LENGTH * 8 + 1))).decode(),
    ],
)
def test_what_is_not_an_encoded_list_is_refused(encoded):
    from badges.status_list import StatusListError

    with pytest.raises(StatusListError):
        decode_list(encoded, max_length=LIST_LENGTH * 8)


# Awards recorded at once, on PostgreSQL (real connections)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_awards_recorded_at_once_get_one_index_each_and_one_award_per_index(
    make_award, make_learner, monkeypatch
):
    import threading
    import time

    learners = [make_learner(f"racer{n}") for n in range(2)]
    # Every transaction draws bit 5 first: the two awards' first draws collide.
    drawn = threading.local()

    def draw(n):
        drawn.count = getattr(drawn, "count", 0) + 1
        return 5 if drawn.count == 1 else badge_models.secrets.SystemRandom().randrange(n)

    monkeypatch.setattr(badge_models.secrets, "randbelow", draw)
    barrier = threading.Barrier(len(learners))
    recorded, failures = [], []

    def record(learner):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                award = make_award(learner=learner)
                time.sleep(0.2)  # the other's insert of bit 5 waits for this commit
            recorded.append(award.pk)
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=[learner]) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    entries = dict(StatusListEntry.objects.values_list("award_id", "index"))
    assert len(recorded) == 2
    assert set(entries) == set(recorded)
    assert len(set(entries.values())) == 2  # one award per bit
    assert 5 in entries.values()


# Drawn when the award is recorded, never when a credential is read


def test_an_award_earned_by_marking_is_recorded_with_its_index(ada_award):
    entry = StatusListEntry.objects.get(award=ada_award)
    assert 0 <= entry.index < LIST_LENGTH
    assert entry.status_list == 1


def test_an_award_that_rolls_back_leaves_no_index(seed_catalog, learner):
    from tests.factories import earn_seed_practitioner

    with transaction.atomic():
        earn_seed_practitioner(learner)
        assert StatusListEntry.objects.count() == 1
        transaction.set_rollback(True)

    assert StatusListEntry.objects.count() == 0
    assert not DegreeAward.objects.exists()


def test_reading_a_new_awards_credential_writes_nothing(client, ada_shared_award):
    entry = ada_shared_award.status_list_entry
    for _ in range(2):
        with no_writes():
            credential = fetch_data_integrity(client, ada_shared_award)
        assert index_of(credential) == entry.index
    assert list(StatusListEntry.objects.all()) == [entry]


def test_an_award_without_its_entry_is_answered_without_a_write(client, shared_award, caplog):
    # Cannot happen through the models; rows written behind their back could do it.
    StatusListEntry.objects.filter(award=shared_award).delete()
    url = reverse("badges:credential_json", args=[shared_award.public_id])

    with no_writes():
        response = client.get(url)

    assert response.status_code == 503
    assert "status list entry" in caplog.text
    assert not StatusListEntry.objects.exists()


def test_awards_recorded_together_get_an_index_each(degree, make_learner):
    # As record_new_awards does: one bulk insert (no post_save), then one draw for them all.
    learners = [make_learner(f"batch{n}") for n in range(3)]
    awards = DegreeAward.objects.bulk_create(
        DegreeAward(learner=learner, degree=degree, awarded_at=timezone.now())
        for learner in learners
    )
    entries = draw_status_list_entries(awards)

    assert [entry.award_id for entry in entries] == [award.pk for award in awards]
    assert len({entry.index for entry in entries}) == 3
    assert StatusListEntry.objects.count() == 3

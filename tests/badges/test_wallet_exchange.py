"""Add to wallet: the owner starts a VC-API exchange on the share page; a wallet (simulated: a
did:key made in the test) completes it and receives the award's credential bound to its DID.

Exchanges are bound to their learner and award, expire after 15 minutes, are single-use, and
every refusal is a 4xx with a JSON error, never a 500.
"""

import copy
import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from badges.dataintegrity import verify_document
from badges.did import key_resolver, load_did_key_ring
from badges.models import WalletExchange
from tests.badges.schema import schema_errors
from tests.badges.wallet import Wallet
from tests.factories import at
from tests.html import by_id, elements, labelled_by, text

ORIGIN = "http://testserver"
STARTED = at("2026-06-01T12:00")

pytestmark = pytest.mark.frozen_at(STARTED)


def share_path(award):
    return reverse("badges:share", args=[award.public_id])


def start_path(award):
    return reverse("badges:wallet_start", args=[award.public_id])


@pytest.fixture
def owner(client, badge_learner):
    client.force_login(badge_learner)
    return client


@pytest.fixture
def wallet_client():
    """The wallet's own HTTP client: no session, and CSRF checks on, as for any stranger."""
    return Client(enforce_csrf_checks=True)


def start(owner, award):
    response = owner.post(start_path(award))
    assert response.status_code == 200
    return WalletExchange.objects.get(award=award)


def post(client, url, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json")


def ask(client, exchange):
    response = post(client, exchange.get_absolute_url(), {})
    assert response.status_code == 200, response.content
    return response.json()


def refusal(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


# The share page's section --------------------------------------------------------------------


def test_the_owner_sees_add_to_wallet_and_no_one_else_does(
    client, owner, shared_award, make_learner
):
    page = owner.get(share_path(shared_award))
    section = labelled_by(page, "wallet-heading")
    [form] = elements(section, "form", method="post")
    assert dict(form.attributes)["action"] == start_path(shared_award)
    assert dict(form.attributes)["hx-post"] == start_path(shared_award)
    assert elements(form, "input", name="csrfmiddlewaretoken")
    assert text(elements(form, "button")[0]) == "Add to wallet"

    stranger = Client()
    assert not elements(stranger.get(share_path(shared_award)), id="wallet-heading")
    stranger.force_login(make_learner("grace"))
    assert not elements(stranger.get(share_path(shared_award)), id="wallet-heading")


def test_a_revoked_badge_offers_no_wallet(owner, shared_award):
    shared_award.revoke(reason="Plagiarised evidence.")
    assert not elements(owner.get(share_path(shared_award)), id="wallet-heading")
    assert owner.post(start_path(shared_award)).status_code == 404
    assert not WalletExchange.objects.exists()


def offer_of(page):
    """(exchange URL, deep link, the QR code's svg) shown on a page or fragment."""
    qr = elements(page, "svg", role="img")
    assert len(qr) == 1
    link = by_id(page, "wallet-deep-link")
    return text(by_id(page, "wallet-exchange-url")), dict(link.attributes)["href"], qr[0]


def test_starting_without_javascript_shows_the_page_with_a_qr_code_and_a_deep_link(
    owner, shared_award
):
    response = owner.post(start_path(shared_award))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert elements(response, "h1")  # the whole share page
    exchange = WalletExchange.objects.get()
    assert (exchange.award, exchange.learner) == (shared_award, shared_award.learner)
    assert exchange.created_at == STARTED
    assert exchange.expires_at == STARTED + timedelta(minutes=15)
    url, deep_link, qr = offer_of(response)
    assert url == f"{ORIGIN}/badges/exchanges/{exchange.token}"
    assert len(exchange.token) == 43
    # The Learner Credential Wallet's universal link, its request a VC-API interaction.
    parts = urlsplit(deep_link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "lcw.app", "/request")
    [(name, value)] = parse_qsl(parts.query)
    assert name == "request"
    assert json.loads(value) == {"credentialRequestOrigin": ORIGIN, "protocols": {"vcapi": url}}
    assert "scan it with your wallet" in dict(qr.attributes)["aria-label"]
    section = text(labelled_by(response, "wallet-heading"))
    assert "It works once, for 15 minutes (until 12:15 UTC)" in section


def test_starting_with_htmx_answers_the_fragment(owner, shared_award):
    response = owner.post(start_path(shared_award), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert not elements(response, "h1")
    exchange = WalletExchange.objects.get()
    url, _, _ = offer_of(response)
    assert url.endswith(exchange.token)
    # Starting again makes a new exchange; the old one stays usable until it expires.
    owner.post(start_path(shared_award), headers={"HX-Request": "true"})
    assert WalletExchange.objects.open_at(STARTED).count() == 2


def test_another_learner_cannot_start_an_exchange_on_someone_elses_badge(
    client, shared_award, make_learner
):
    client.force_login(make_learner("grace"))
    assert client.post(start_path(shared_award)).status_code == 404
    assert client.post(start_path(shared_award), headers={"HX-Request": "true"}).status_code == 404
    assert not WalletExchange.objects.exists()


def test_starting_needs_a_signed_in_owner_a_shared_badge_and_a_csrf_token(
    client, badge_learner, make_award
):
    award = make_award(is_shared=False)
    client.force_login(badge_learner)
    assert client.post(start_path(award)).status_code == 404
    shared = award.set_shared(True)
    client.logout()
    response = client.post(start_path(shared))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(badge_learner)
    assert client.get(start_path(shared)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(badge_learner)
    assert strict.post(start_path(shared)).status_code == 403
    assert not WalletExchange.objects.exists()


def test_the_owners_page_costs_no_more_queries(owner, shared_award, django_assert_max_num_queries):
    owner.get(share_path(shared_award))
    # The session and its user, then the page's own (the award, its evidence, its resources).
    with django_assert_max_num_queries(6):
        assert owner.get(share_path(shared_award)).status_code == 200


# The exchange --------------------------------------------------------------------------------


def test_an_empty_post_answers_a_did_authentication_request(owner, wallet_client, shared_award):
    exchange = start(owner, shared_award)

    response = post(wallet_client, exchange.get_absolute_url(), {})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    url = f"{ORIGIN}/badges/exchanges/{exchange.token}"
    assert response.json() == {
        "verifiablePresentationRequest": {
            "query": [{"type": "DIDAuthentication", "acceptedMethods": [{"method": "key"}]}],
            "challenge": exchange.challenge,
            "domain": ORIGIN,
            "interact": {
                "service": [{"type": "UnmediatedPresentationService2021", "serviceEndpoint": url}]
            },
        }
    }
    # An empty body, as some wallets send, is the same request; asking twice uses nothing up.
    again = wallet_client.post(exchange.get_absolute_url(), "", content_type="application/json")
    assert again.json() == response.json()


def test_a_wallet_completes_the_exchange_and_gets_a_credential_bound_to_its_did(
    owner, wallet_client, shared_award
):
    exchange = start(owner, shared_award)
    wallet = Wallet()
    request = ask(wallet_client, exchange)

    response = post(wallet_client, exchange.get_absolute_url(), wallet.answer(request))

    assert response.status_code == 200, response.content
    presentation = response.json()["verifiablePresentation"]
    assert presentation["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert presentation["type"] == ["VerifiablePresentation"]
    [credential] = presentation["verifiableCredential"]
    assert credential["credentialSubject"]["id"] == wallet.did
    # The same credential id as the badge's other forms: it names the award's credential.
    served = json.loads(
        owner.get(reverse("badges:credential_json", args=[shared_award.public_id])).content
    )
    assert credential["id"] == served["id"]
    assert credential["credentialStatus"] == served["credentialStatus"]
    assert credential["issuer"]["id"] == "did:web:testserver"
    proof = verify_document(credential, key_resolver("did:web:testserver", load_did_key_ring()))
    assert proof["proofPurpose"] == "assertionMethod"
    assert schema_errors(credential) == []
    exchange.refresh_from_db()
    assert (exchange.completed_at, exchange.holder) == (STARTED, wallet.did)


def test_an_exchange_is_used_once(owner, wallet_client, shared_award):
    exchange = start(owner, shared_award)
    wallet = Wallet()
    answer = wallet.answer(ask(wallet_client, exchange))
    assert post(wallet_client, exchange.get_absolute_url(), answer).status_code == 200

    again = post(wallet_client, exchange.get_absolute_url(), answer)
    assert "already completed" in refusal(again, 410)
    other = Wallet().answer(
        {"verifiablePresentationRequest": {"challenge": exchange.challenge, "domain": ORIGIN}}
    )
    assert "already completed" in refusal(
        post(wallet_client, exchange.get_absolute_url(), other), 410
    )
    assert "already completed" in refusal(post(wallet_client, exchange.get_absolute_url(), {}), 410)
    exchange.refresh_from_db()
    assert exchange.holder == wallet.did


def test_an_exchange_expires_after_15_minutes(owner, wallet_client, shared_award):
    exchange = start(owner, shared_award)
    wallet = Wallet()
    answer = wallet.answer(ask(wallet_client, exchange))

    with time_machine.travel(STARTED + timedelta(minutes=15)):
        assert "expired" in refusal(post(wallet_client, exchange.get_absolute_url(), answer), 410)
        assert "expired" in refusal(post(wallet_client, exchange.get_absolute_url(), {}), 410)
    with time_machine.travel(STARTED + timedelta(minutes=14, seconds=59)):
        assert post(wallet_client, exchange.get_absolute_url(), answer).status_code == 200


def test_pressing_add_to_wallet_again_and_again_keeps_a_handful_of_open_exchanges(
    owner, wallet_client, shared_award, make_award, make_learner
):
    """Earlier exchanges stay usable until they expire, up to five per learner; a start beyond
    that replaces the oldest open one, and one after expiry removes those no wallet used.
    Completed exchanges, which say which DID got the credential, are kept."""
    completed = start(owner, shared_award)
    wallet = Wallet()
    answer = wallet.answer(ask(wallet_client, completed))
    assert post(wallet_client, completed.get_absolute_url(), answer).status_code == 200
    someone_else = make_award(learner=make_learner("grace"))
    theirs = WalletExchange.objects.create(
        award=someone_else,
        learner=someone_else.learner,
        created_at=STARTED,
        expires_at=STARTED + timedelta(minutes=15),
    )

    opened = []
    for minute in range(7):
        with time_machine.travel(STARTED + timedelta(minutes=minute, seconds=1), tick=False):
            assert owner.post(start_path(shared_award)).status_code == 200
            opened.append(WalletExchange.objects.filter(learner=shared_award.learner).latest("pk"))
    open_now = WalletExchange.objects.filter(learner=shared_award.learner, completed_at=None)
    assert list(open_now.order_by("pk")) == opened[2:]
    assert "No exchange" in refusal(post(wallet_client, opened[0].get_absolute_url(), {}), 404)
    assert ask(wallet_client, opened[2])["verifiablePresentationRequest"]

    with time_machine.travel(STARTED + timedelta(hours=1), tick=False):
        assert owner.post(start_path(shared_award)).status_code == 200
    (latest,) = WalletExchange.objects.filter(learner=shared_award.learner, completed_at=None)
    assert latest.created_at == STARTED + timedelta(hours=1)
    completed.refresh_from_db()
    assert completed.holder == wallet.did
    assert WalletExchange.objects.filter(pk=theirs.pk).exists()


def signed_then_changed(wallet, exchange, change):
    presentation = wallet.presentation(challenge=exchange.challenge, domain=ORIGIN)
    changed = copy.deepcopy(presentation)
    change(changed)
    return {"verifiablePresentation": changed}


def refused_answers(wallet, exchange):
    """Presentations the exchange must refuse, each with the words of its refusal."""
    other = Wallet()
    return [
        (
            {
                "verifiablePresentation": wallet.presentation(
                    challenge="not-the-challenge", domain=ORIGIN
                )
            },
            "challenge",
        ),
        (
            {
                "verifiablePresentation": wallet.presentation(
                    challenge=exchange.challenge, domain="https://evil.example"
                )
            },
            "domain",
        ),
        (
            signed_then_changed(wallet, exchange, lambda vp: vp["proof"].update(challenge="x")),
            "does not verify",
        ),
        (
            signed_then_changed(
                wallet,
                exchange,
                lambda vp: vp.update(id="urn:uuid:1d5a3a8e-2b8b-4ad0-9a53-3c1f3c6e8e7f"),
            ),
            "does not verify",
        ),
        (
            {
                "verifiablePresentation": wallet.presentation(
                    challenge=exchange.challenge, domain=ORIGIN, holder="did:web:evil.example"
                )
            },
            "did:key",
        ),
        (
            {
                "verifiablePresentation": other.presentation(
                    challenge=exchange.challenge, domain=ORIGIN, holder=wallet.did
                )
            },
            "holder's own key",
        ),
        (
            {
                "verifiablePresentation": wallet.presentation(
                    challenge=exchange.challenge, domain=ORIGIN, purpose="assertionMethod"
                )
            },
            "purpose",
        ),
        (signed_then_changed(wallet, exchange, lambda vp: vp.pop("proof")), "no proof"),
        (
            signed_then_changed(
                wallet,
                exchange,
                lambda vp: vp.update({"@context": ["https://www.w3.org/2018/credentials/v1"]}),
            ),
            "@context",
        ),
        ({"verifiablePresentation": "a string"}, "JSON object"),
    ]


def test_a_presentation_that_does_not_prove_the_challenge_is_refused(
    owner, wallet_client, shared_award
):
    exchange = start(owner, shared_award)
    wallet = Wallet()
    for answer, words in refused_answers(wallet, exchange):
        message = refusal(post(wallet_client, exchange.get_absolute_url(), answer), 400)
        assert words in message, (words, message)
    # Refusals use nothing up: the real wallet still completes it.
    exchange.refresh_from_db()
    assert exchange.completed_at is None
    answer = wallet.answer(ask(wallet_client, exchange))
    assert post(wallet_client, exchange.get_absolute_url(), answer).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ("{not json", 400, "not JSON"),
        ("[1, 2]", 400, "JSON object"),
        ('{"hello": 1}', 400, "Send {}"),
        ("\xff\xfe", 400, "not JSON"),
        ("[" * 40 + "]" * 40, 413, "levels"),
        ('{"verifiablePresentation": "' + "a" * 20_000 + '"}', 413, "limit"),
    ],
)
def test_malformed_requests_get_a_json_error(
    owner, wallet_client, shared_award, body, status, words
):
    exchange = start(owner, shared_award)
    assert words in refusal(post(wallet_client, exchange.get_absolute_url(), body), status)


def test_unknown_and_malformed_exchange_ids_are_not_found(db, wallet_client):
    assert "No exchange" in refusal(post(wallet_client, f"/badges/exchanges/{'A' * 43}", {}), 404)
    assert post(wallet_client, "/badges/exchanges/short", {}).status_code == 404


def test_the_exchange_takes_post_only_and_answers_a_cors_preflight(
    owner, wallet_client, shared_award
):
    exchange = start(owner, shared_award)
    assert wallet_client.get(exchange.get_absolute_url()).status_code == 405
    preflight = wallet_client.options(exchange.get_absolute_url())
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "POST, OPTIONS"


def test_a_badge_made_private_or_revoked_after_the_start_is_not_issued(
    owner, wallet_client, shared_award
):
    exchange = start(owner, shared_award)
    answer = Wallet().answer(ask(wallet_client, exchange))
    shared_award.set_shared(False)
    assert "No exchange" in refusal(post(wallet_client, exchange.get_absolute_url(), answer), 404)
    shared_award.set_shared(True)
    shared_award.revoke(reason="Plagiarised evidence.")
    assert "revoked" in refusal(post(wallet_client, exchange.get_absolute_url(), answer), 410)
    exchange.refresh_from_db()
    assert exchange.completed_at is None


def test_the_wallets_credential_verifies_at_verify_until_revoked(
    owner, wallet_client, shared_award
):
    exchange = start(owner, shared_award)
    answer = Wallet().answer(ask(wallet_client, exchange))
    [credential] = post(wallet_client, exchange.get_absolute_url(), answer).json()[
        "verifiablePresentation"
    ]["verifiableCredential"]
    visitor = Client()

    page = visitor.post(reverse("badges:verify"), {"badge": json.dumps(credential)})
    verdict = text(by_id(page, "verdict"))
    assert "Valid: a badge issued by this site" in verdict
    assert "Not revoked" in verdict

    shared_award.revoke(reason="Plagiarised evidence.")
    page = visitor.post(reverse("badges:verify"), {"badge": json.dumps(credential)})
    assert "Revoked by the issuer. No longer valid." in text(by_id(page, "verdict"))


# Racing completions, on PostgreSQL (real connections)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_wallets_answering_at_once_exactly_one_gets_the_credential(shared_award):
    import threading

    from django.db import connection

    from badges.exchanges import start_exchange

    exchange = start_exchange(award=shared_award, learner=shared_award.learner, now=STARTED)
    wallets = [Wallet(), Wallet()]
    answers = [
        w.answer(
            {"verifiablePresentationRequest": {"challenge": exchange.challenge, "domain": ORIGIN}}
        )
        for w in wallets
    ]
    barrier = threading.Barrier(len(answers))
    statuses = []

    def complete(answer):
        try:
            barrier.wait(timeout=10)
            statuses.append(post(Client(), exchange.get_absolute_url(), answer).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=[answer]) for answer in answers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200, 410]
    exchange.refresh_from_db()
    assert exchange.holder in {wallet.did for wallet in wallets}

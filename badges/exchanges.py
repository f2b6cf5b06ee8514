"""Add to wallet: the VC-API exchange that issues an award's credential to a wallet's DID.

The flow, as the Learner Credential Wallet and the Digital Credentials Consortium's exchanger
run it (W3C VC-API, "exchanges"): the learner starts an exchange on their badge's page
(`start_exchange`); their wallet POSTs `{}` to the exchange URL and gets a Verifiable
Presentation Request for DID authentication (`presentation_request`); it answers with a
presentation signed by its holder's did:key, with the request's challenge and domain
(`holder_of_presentation` checks it, offline); the exchange is then used up
(`complete_exchange`) and the award's credential issued with `credentialSubject.id` the holder.

Plain functions over plain values and the one model; the HTTP side is `badges.exchange_views`.
"""

from dataclasses import dataclass

from django.db import transaction

from badges.dataintegrity import DataIntegrityError, UnresolvableKey, verify_document
from badges.models import EXCHANGE_LIFETIME, WalletExchange
from badges.multikey import MultikeyError, did_key_public_key
from badges.verify import VerificationProblem, check_json_bounds

AUTHENTICATION = "authentication"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# A wallet's presentation is a few hundred bytes; a credential's bounds leave ample room.
MAX_REQUEST_BYTES = 16 * 1024
MAX_REQUEST_DEPTH = 8
# Open exchanges one learner may have at once (several devices or wallets; a few to spare).
MAX_OPEN_EXCHANGES = 5


class ExchangeRefused(Exception):
    """Why an exchange step is refused, for the wallet: an HTTP status and a message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def start_exchange(*, award, learner, now):
    """A new exchange for `learner`'s own `award`, open for EXCHANGE_LIFETIME from `now`.

    Earlier exchanges stay usable until they expire (a second device, a second wallet), up to
    MAX_OPEN_EXCHANGES per learner: a start beyond that replaces their oldest open one. Their
    unused exchanges that expired are deleted at the same time, so however often the button
    is pressed a learner keeps a handful of unused rows at most. Completed exchanges stay: they
    record which DID got the credential."""
    if award.learner_id != learner.pk:
        raise ValueError("An exchange is started by the award's own learner.")
    with transaction.atomic():
        unused = WalletExchange.objects.filter(learner=learner, completed_at__isnull=True)
        unused.filter(expires_at__lte=now).delete()
        oldest = unused.order_by("-created_at", "-pk").values_list("pk", flat=True)
        WalletExchange.objects.filter(pk__in=list(oldest[MAX_OPEN_EXCHANGES - 1 :])).delete()
        return WalletExchange.objects.create(
            award=award, learner=learner, created_at=now, expires_at=now + EXCHANGE_LIFETIME
        )


def open_exchange(token, now):
    """The exchange with this token that a wallet may still complete; else ExchangeRefused."""
    exchange = (
        WalletExchange.objects.filter(token=token)
        .select_related("award__degree__curriculum", "award__learner", "award__status_list_entry")
        .first()
    )
    if exchange is None:
        raise ExchangeRefused(404, "No exchange has this id.")
    state = exchange.state_at(now)
    if state == "completed":
        raise ExchangeRefused(410, "This exchange was already completed: start a new one.")
    if state == "expired":
        raise ExchangeRefused(410, "This exchange expired: start a new one on the badge's page.")
    award = exchange.award
    if award.learner_id != exchange.learner_id or not award.is_shared:
        # The learner made the badge private, or deleted their account, since.
        raise ExchangeRefused(404, "No exchange has this id.")
    if award.is_revoked:
        raise ExchangeRefused(410, "This badge was revoked by its issuer.")
    return exchange


def presentation_request(exchange, *, origin, exchange_url):
    """The Verifiable Presentation Request a wallet answers: DID authentication with a did:key,
    over this exchange's challenge and the site's origin as domain."""
    return {
        "verifiablePresentationRequest": {
            "query": [{"type": "DIDAuthentication", "acceptedMethods": [{"method": "key"}]}],
            "challenge": exchange.challenge,
            "domain": origin,
            "interact": {
                "service": [
                    {"type": "UnmediatedPresentationService2021", "serviceEndpoint": exchange_url}
                ]
            },
        }
    }


def did_key_resolver(verification_method):
    """`resolve_key` for a holder's proof: a did:key only, read from the DID itself."""
    try:
        return did_key_public_key(verification_method)
    except MultikeyError as error:
        raise UnresolvableKey(f"The holder's key is not a did:key: {error}") from error


@dataclass(frozen=True)
class Holder:
    did: str


def holder_of_presentation(presentation, *, challenge, domain):
    """The did:key that signed `presentation` for this challenge and domain; else
    ExchangeRefused (400) saying why.

    The presentation must be a VerifiablePresentation (VC 2.0 context) whose `holder` is a
    did:key, with one eddsa-rdfc-2022 DataIntegrityProof, purpose authentication, made with the
    holder's own key, over the exchange's challenge and the site's domain.
    """
    if not isinstance(presentation, dict):
        raise ExchangeRefused(400, "verifiablePresentation must be a JSON object.")
    try:
        check_json_bounds(presentation)
    except VerificationProblem as problem:
        raise ExchangeRefused(400, problem.message.replace("credential", "presentation")) from None
    context = presentation.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if not contexts or contexts[0] != VC_CONTEXT:
        raise ExchangeRefused(400, f"The presentation's first @context must be {VC_CONTEXT}.")
    types = presentation.get("type")
    if "VerifiablePresentation" not in (types if isinstance(types, list) else [types]):
        raise ExchangeRefused(400, "The presentation's type must include VerifiablePresentation.")
    holder = presentation.get("holder")
    holder = holder.get("id") if isinstance(holder, dict) else holder
    if not isinstance(holder, str) or not holder.startswith("did:key:"):
        raise ExchangeRefused(400, "The presentation's holder must be a did:key.")
    try:
        did_key_public_key(holder)
        proof = verify_document(presentation, did_key_resolver, proof_purpose=AUTHENTICATION)
    except (DataIntegrityError, MultikeyError) as error:
        raise ExchangeRefused(400, f"The presentation does not verify: {error}") from error
    if proof["verificationMethod"].partition("#")[0] != holder:
        raise ExchangeRefused(400, "The presentation must be signed with its holder's own key.")
    if proof.get("challenge") != challenge:
        raise ExchangeRefused(400, "The presentation's challenge is not this exchange's.")
    if proof.get("domain") != domain:
        raise ExchangeRefused(400, f"The presentation's domain must be {domain}.")
    return Holder(did=holder)


def complete_exchange(exchange, *, holder, now):
    """Mark the exchange used by `holder`; ExchangeRefused (410) if another request completed
    it or it expired meanwhile. One conditional UPDATE: of two wallets, exactly one wins."""
    with transaction.atomic():
        completed = (
            WalletExchange.objects.filter(pk=exchange.pk)
            .open_at(now)
            .update(completed_at=now, holder=holder.did)
        )
    if not completed:
        raise ExchangeRefused(410, "This exchange was already completed: start a new one.")
    exchange.completed_at, exchange.holder = now, holder.did
    return exchange

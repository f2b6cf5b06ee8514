"""The revocation status lists over HTTP (/badges/status/revocation/<n>), each a signed
BitstringStatusListCredential, and what /verify/ reads of them.

A list is derived from the database: the bits of its entries whose award is revoked
(`badges.models`). A revocation therefore sets its bit in the statement that revokes, and
replaces the status lists' version token (`mlmath.invalidation.bump_status_lists`); each list is
read and signed once per version and process, and kept in the local cache, so a request for an
unchanged list reads no row and signs nothing. The signed bytes depend only on the rows and the
key (Ed25519 is deterministic; `validFrom` is when the list last changed), so every process
serves the same bytes, and the same ETag, for the same list.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Min, Q
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from badges.did import issuer_did, load_did_key_ring, verification_method_id
from badges.models import StatusListEntry
from badges.ob3 import VC_CONTENT_TYPE, format_timestamp
from badges.site import site_origin
from badges.status_list import (
    TTL_SECONDS,
    bit_is_set,
    bitstring,
    sign_status_list,
    status_entry,
    status_list_credential,
)
from mlmath import versions
from mlmath.caching import LOCAL_TIMEOUT, local_cache


def status_list_path(number):
    return reverse("badges:status_list", kwargs={"number": str(number)})


def status_list_url(origin, number):
    return origin + status_list_path(number)


class MissingStatusEntry(LookupError):
    """An award without its status list entry: cannot happen (every award gets one in the
    transaction that records it), unless rows were written behind the models' back."""


def credential_status_of(award, origin):
    """The award's `credentialStatus`, from the entry drawn when it was recorded. Reads only:
    MissingStatusEntry if it has none (never a credential without status, which could not be
    revoked)."""
    try:
        entry = award.status_list_entry
    except StatusListEntry.DoesNotExist:
        raise MissingStatusEntry(f"Award {award.public_id} has no status list entry.") from None
    return status_entry(status_list_url(origin, entry.status_list), entry.index)


@dataclass(frozen=True)
class ListState:
    """What the database says of one list: its bits, and when it last changed."""

    bits: bytes
    changed_at: datetime


def read_list_state(number):
    """The list's bits and last change, in two queries whatever its size; None if no award has
    an index in it (no credential names it)."""
    entries = StatusListEntry.objects.in_list(number)
    revoked = Q(award__revoked_at__isnull=False)
    times = entries.aggregate(
        first_entry=Min("created_at"),
        # The bit of an award revoked before it got its index is set when the index is drawn.
        last_bit_set=Max(Greatest("award__revoked_at", "created_at"), filter=revoked),
    )
    if times["first_entry"] is None:
        return None
    indexes = entries.revoked().values_list("index", flat=True)
    return ListState(
        bits=bitstring(indexes),
        changed_at=times["last_bit_set"] or times["first_entry"],
    )


def cached_for_status_lists(name, build):
    """`build()` once per process and version of the status lists (None is kept too)."""
    [token] = versions.current(versions.STATUS_LISTS)
    if token is None:
        return build()
    key = f"badges:status-lists:{token}:{name}"
    cached = local_cache().get(key)
    if cached is None:
        cached = (build(),)
        local_cache().set(key, cached, LOCAL_TIMEOUT)
    return cached[0]


def list_state(number):
    return cached_for_status_lists(f"state:{number}", lambda: read_list_state(number))


@dataclass(frozen=True)
class SignedList:
    body: bytes
    etag: str


def signed_list(origin, number):
    """The list's signed credential as served (bytes and ETag), or None when it has no entry."""
    ring = load_did_key_ring()

    def build():
        state = list_state(number)
        if state is None:
            return None
        did = issuer_did(origin)
        credential = status_list_credential(
            list_url=status_list_url(origin, number),
            issuer_id=did,
            valid_from=format_timestamp(state.changed_at),
            bits=state.bits,
        )
        signed = sign_status_list(
            credential, ring.signing_key, verification_method_id(did, ring.signing_key_id)
        )
        body = json.dumps(signed, indent=2).encode("utf-8")
        return SignedList(body=body, etag=f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"')

    return cached_for_status_lists(f"signed:{origin}:{number}:{ring.signing_key_id}", build)


@require_safe
def status_list(request, number):
    signed = signed_list(site_origin(request), int(number))
    if signed is None:
        raise Http404("No status list has this number.")
    response = get_conditional_response(request, etag=signed.etag)
    if response is None:
        response = HttpResponse(signed.body, content_type=VC_CONTENT_TYPE)
    response["ETag"] = signed.etag
    response["Access-Control-Allow-Origin"] = "*"
    # A revocation shows here at once; caches may keep the list as long as its `ttl` says.
    patch_cache_control(response, public=True, max_age=TTL_SECONDS)
    return response


def revoked_in_list(number, index):
    """Whether the list publishes bit `index` as set (False for a list with no entry)."""
    state = list_state(number)
    return state is not None and bit_is_set(state.bits, index)

"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C Data Integrity EdDSA
Cryptosuites v1.0): sign and verify a JSON-LD document, with contexts from local files only.

The transformation, exactly as the specification's section 3.3 says:
1. the document without its `proof` is canonicalized with RDFC-1.0 (URDNA2015) to N-Quads;
2. the proof options (the proof without `proofValue`), with the document's `@context`, likewise;
3. the data signed is SHA-256(canonical proof options) followed by SHA-256(canonical document);
4. the Ed25519 signature of those 64 bytes is the `proofValue`, multibase base58btc ("z…").

Plain functions for every caller (credentials, status lists, presentations):
`sign_document(document, private_key, verification_method, created)` and
`verify_document(document, resolve_key)`, where `resolve_key(verification_method)` answers the
Ed25519 public key of a verification method id or raises `UnresolvableKey`.

JSON-LD contexts come from `badges/contexts/` (see its README) through `load_local_document`;
any other URL raises `UnknownContext` and nothing is ever fetched. Canonicalization runs in
"safe mode": what the contexts do not define raises `UndefinedTerm` rather than being left out
of what is signed.
"""

import copy
import hashlib
import json
import re
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from pyld import jsonld

from badges.multikey import MultikeyError, multibase_decode, multibase_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
ASSERTION_METHOD = "assertionMethod"
CONTEXTS_DIR = Path(__file__).parent / "contexts"
LOCAL_CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-2.0.1.json",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.json",
    "https://w3id.org/security/multikey/v1": "multikey-v1.json",
    "https://www.w3.org/ns/did/v1": "did-v1.json",
}
# An XML Schema dateTimeStamp, as Data Integrity requires of `created` (a time zone is required).
DATE_TIME_STAMP = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class DataIntegrityError(ValueError):
    """A document that cannot be signed or does not verify; the message says why, in words for
    the person who gave it."""


class UnknownContext(DataIntegrityError):
    """A JSON-LD context that is not shipped with the application (it is never fetched)."""

    def __init__(self, url):
        super().__init__(
            f"The JSON-LD context {url!r} is not one this site knows, and contexts are never "
            f"fetched. Known contexts: {', '.join(sorted(LOCAL_CONTEXTS))}."
        )
        self.url = url


class UndefinedTerm(DataIntegrityError):
    """Part of the document would be left out of what is signed (safe mode)."""

    def __init__(self, detail):
        super().__init__(
            f"Part of this document would not be covered by its proof: {detail}. Every "
            "property and type must be defined by the document's JSON-LD contexts."
        )


class UnresolvableKey(DataIntegrityError):
    """The proof's verification method names a key that cannot be found offline."""


class SignatureMismatch(DataIntegrityError):
    """The proof is well formed and its key known, but the signature does not match."""


@cache
def _context_document(filename):
    return json.loads((CONTEXTS_DIR / filename).read_text(encoding="utf-8"))


def load_local_document(url, options=None):
    """A PyLD document loader serving only the shipped contexts; UnknownContext for any other."""
    filename = LOCAL_CONTEXTS.get(url)
    if filename is None:
        raise UnknownContext(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        # A copy: PyLD may annotate what it is given, and the file is shared by every call.
        "document": copy.deepcopy(_context_document(filename)),
        "contentType": "application/ld+json",
    }


def _unknown_context_in(error):
    """The UnknownContext behind a PyLD error (PyLD wraps what the loader raises), or None."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UnknownContext):
            return error
        seen.add(id(error))
        details = getattr(error, "details", None)
        cause = details.get("cause") if isinstance(details, dict) else None
        error = cause or error.__cause__ or error.__context__
    return None


ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*|_):\S*$")


def _relative_iris(expanded):
    """The `@id` and `@type` values of an expanded document that are not absolute IRIs: RDF
    has no place for them, so canonicalization would silently leave them out."""
    found = []
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@id", "@type"):
                    values = value if isinstance(value, list) else [value]
                    found += [v for v in values if isinstance(v, str) and not ABSOLUTE_IRI.match(v)]
                elif key != "@value":
                    stack.append(value)
    return found


def canonicalize(document):
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, as text.

    In "safe mode", like Digital Bazaar's verifiers: a property its contexts do not define, or
    a relative `@id` or `@type`, is an error (UndefinedTerm), because canonicalization would
    drop it and it would then be neither signed nor checked."""
    dropped = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    # No base: PyLD would resolve a relative IRI against a made-up one (http://example.org/base/).
    options = {"documentLoader": load_local_document, "base": None}
    try:
        expanded = processor.expand(document, options)
        if dropped:
            raise UndefinedTerm(f"the property {dropped[0]!r} is not defined by its contexts")
        relative = _relative_iris(expanded)
        if relative:
            raise UndefinedTerm(f"{relative[0]!r} is a relative @id or @type")
        return processor.normalize(
            expanded,
            {**options, "algorithm": "URDNA2015", "format": "application/n-quads"},
        )
    except jsonld.JsonLdError as error:
        unknown = _unknown_context_in(error)
        if unknown is not None:
            raise UnknownContext(unknown.url) from error
        raise DataIntegrityError(
            f"This is not JSON-LD that can be canonicalized ({error.args[0]})."
        ) from error


def proof_configuration(proof, context):
    """The proof options that are signed: the proof without `proofValue`, with `@context`."""
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    options["@context"] = context
    return options


def hash_data(document, proof_options):
    """SHA-256 of the canonical proof options followed by SHA-256 of the canonical document."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof_hash = hashlib.sha256(canonicalize(proof_options).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    return proof_hash + document_hash


def sign_document(
    document,
    private_key,
    verification_method,
    created,
    proof_purpose=ASSERTION_METHOD,
    *,
    challenge=None,
    domain=None,
):
    """A copy of `document` with a DataIntegrityProof (eddsa-rdfc-2022).

    `private_key` is an Ed25519 private key (`cryptography`), `verification_method` the id of
    its public key (a DID URL), `created` an RFC 3339 UTC timestamp string; `challenge` and
    `domain`, for a presentation's authentication proof, go in the proof. Ed25519 is
    deterministic: the same document, key and options give the same bytes.
    """
    if "@context" not in document:
        raise DataIntegrityError("A document to sign needs an @context.")
    if not DATE_TIME_STAMP.match(created):
        raise DataIntegrityError(f"created ({created!r}) is not a date-time with a time zone.")
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    proof.update(
        {name: value for name, value in (("challenge", challenge), ("domain", domain)) if value}
    )
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    data = hash_data(unsecured, proof_configuration(proof, unsecured["@context"]))
    proof["proofValue"] = multibase_encode(private_key.sign(data))
    return {**unsecured, "proof": proof}


def document_proof(document):
    """The one eddsa-rdfc-2022 proof of a document; DataIntegrityError when there is none."""
    if not isinstance(document, dict):
        raise DataIntegrityError("A credential is a JSON object.")
    proof = document.get("proof")
    if proof is None:
        raise DataIntegrityError("This document has no proof: it is not signed.")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise DataIntegrityError("Only documents with exactly one proof can be checked here.")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise DataIntegrityError("The proof is not a JSON object.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise DataIntegrityError(
            f"The proof is a {proof.get('type')!r} with cryptosuite "
            f"{proof.get('cryptosuite')!r}; only {PROOF_TYPE} with {CRYPTOSUITE} is checked here."
        )
    for name in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(name), str):
            raise DataIntegrityError(f"The proof has no {name}.")
    created = proof.get("created")
    if created is not None and not (isinstance(created, str) and DATE_TIME_STAMP.match(created)):
        raise DataIntegrityError("The proof's created is not a date-time with a time zone.")
    return proof


def verify_document(document, resolve_key, proof_purpose=ASSERTION_METHOD):
    """Check a document's eddsa-rdfc-2022 proof; return the proof when it verifies.

    `resolve_key(verification_method)` answers the Ed25519 public key of that verification
    method, or raises UnresolvableKey (for instance a DID that cannot be resolved offline).
    Raises DataIntegrityError (SignatureMismatch when the signature does not match).
    """
    proof = document_proof(document)
    if proof["proofPurpose"] != proof_purpose:
        raise DataIntegrityError(
            f"The proof's purpose is {proof['proofPurpose']!r}, not {proof_purpose!r}."
        )
    if "@context" not in document:
        raise DataIntegrityError("This document has no @context: it is not JSON-LD.")
    try:
        signature = multibase_decode(proof["proofValue"])
    except MultikeyError as error:
        raise SignatureMismatch(f"The proofValue cannot be read: {error}") from error
    public_key = resolve_key(proof["verificationMethod"])
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    data = hash_data(unsecured, proof_configuration(proof, document["@context"]))
    try:
        public_key.verify(signature, data)
    except InvalidSignature as error:
        raise SignatureMismatch(
            "The signature does not match: the document was changed after it was signed, or "
            "it was signed with another key."
        ) from error
    return proof

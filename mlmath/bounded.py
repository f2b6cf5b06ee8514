"""Reading untrusted bytes with bounded work: inflating zlib data and parsing JSON.

Every parser of something a visitor uploads or pastes goes through these, so no input can make
a worker allocate more than a small multiple of a stated limit: a compressed stream is
inflated only up to `max_bytes` (a 2 MB "zip bomb" stops after the limit, not at 2 GB), and a
JSON text is checked for size, nesting depth and number of values before `json.loads` builds
anything (100,000 nested brackets would otherwise exhaust the recursion limit).

Callers turn `InputTooLarge` into their own error class, whose message the person sees.
"""

import json
import re
import zlib
from itertools import accumulate

from mlmath.uploads import megabytes

MAX_JSON_DEPTH = 32


class InputTooLarge(ValueError):
    """The input is over a limit; the message says which, in words a person understands."""


def inflate(data: bytes, *, max_bytes: int) -> bytes:
    """zlib-compressed `data`, inflated, refusing (InputTooLarge) beyond `max_bytes`.

    Streams: at most `max_bytes + 1` bytes of output are ever produced. A stream that is
    corrupt or cut short raises `zlib.error`.
    """
    inflater = zlib.decompressobj()
    inflated = inflater.decompress(data, max_bytes + 1)
    if len(inflated) > max_bytes:
        raise InputTooLarge(f"it expands to more than {size_in_words(max_bytes)}, the limit")
    if not inflater.eof:
        raise zlib.error("the compressed data ends before its end marker")
    return inflated


def size_in_words(size: int) -> str:
    return f"{megabytes(size)} MB" if size >= 1_000_000 else f"{size:,} bytes"


# A JSON string, skipped whole so brackets and commas inside it are not counted; possessive
# quantifiers keep an unterminated string from backtracking.
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\Z)', re.DOTALL)
_OPENING, _CLOSING = b"[{", b"]}"
# Each opening bracket becomes the signed byte 1, each closing one -1; every other byte goes.
_DEPTH_STEPS = bytes.maketrans(_OPENING + _CLOSING, b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _OPENING + _CLOSING)
_EMPTY_CONTAINER = re.compile(rb"\[[ \t\r\n]*\]|\{[ \t\r\n]*\}")


def json_structure(data: bytes) -> tuple[int, int]:
    """(deepest nesting, number of values and keys) of a JSON text, without parsing it.

    Counts brackets, commas and colons outside strings, in C-speed passes (no Python loop per
    byte). For valid JSON both are exact; for a broken text the depth is never below what the
    parser would reach before failing, so checking it first bounds the parser's recursion.
    """
    outside_strings = _JSON_STRING.sub(b'""', data)
    steps = outside_strings.translate(_DEPTH_STEPS, _NOT_BRACKETS)
    depth = max(accumulate(memoryview(steps).cast("b")), default=0)
    # Every value (keys included) is the top one, or follows an opening bracket (unless the
    # container is empty), a comma or a colon.
    followed = sum(outside_strings.count(mark) for mark in (b"[", b"{", b",", b":"))
    empty_containers = _EMPTY_CONTAINER.subn(b"", outside_strings)[1]
    return depth, 1 + followed - empty_containers


def load_json(
    data: bytes | str,
    *,
    max_bytes: int,
    max_depth: int = MAX_JSON_DEPTH,
    max_values: int | None = None,
    what: str = "The file",
):
    """`json.loads(data)` within limits; InputTooLarge names the limit that was passed.

    `max_values` defaults to one value (or key) per 4 bytes of `max_bytes`: denser than any
    real document, and it keeps a text of tiny values (`[{},{},...]`) from becoming millions
    of Python objects. Invalid JSON raises `json.JSONDecodeError`, bad UTF-8 `UnicodeDecodeError`.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > max_bytes:
        raise InputTooLarge(f"{what} is {len(data):,} bytes; the limit is {max_bytes:,} bytes.")
    depth, values = json_structure(data)
    if depth > max_depth:
        raise InputTooLarge(
            f"{what} nests its data {depth} levels deep; the limit is {max_depth} levels."
        )
    max_values = max_bytes // 4 if max_values is None else max_values
    if values > max_values:
        raise InputTooLarge(
            f"{what} holds {values:,} values and keys; the limit is {max_values:,}."
        )
    return json.loads(data.decode("utf-8-sig"))

"""/verify/ under hostile images: bounded work for bombs, a plain verdict for malformed data.

A baked image comes from anyone (no sign-in). Whatever it holds, the verdict names the
problem ("Not valid" and why, as for any unreadable badge), and the worker's memory grows by
a bounded amount: a 2 MB PNG whose badge data would inflate to 2 GB is stopped at 100 KB.
"""

import struct
import time
import tracemalloc
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from badges.baking import (
    MAX_BADGE_DATA_BYTES,
    MAX_PNG_CHUNKS,
    MAX_SVG_ELEMENTS,
    OB3_CREDENTIAL,
    BakingError,
    encode_png,
    unbake_png,
    unbake_svg,
)
from tests.html import by_id, text

VERIFY = "/verify/"
MiB = 1 << 20
IHDR = (b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
IEND = (b"IEND", b"")
SVG_OPEN = b"<svg xmlns='http://www.w3.org/2000/svg'>"


def zlib_of_zeros(mebibytes):
    """A valid zlib stream of `mebibytes` MiB of zeros, about 1 KB per MiB, made in well
    under a second: one fully flushed block of 1 MiB, repeated (deflate allows it, as a full
    flush starts afresh), then the end block with the checksum of all those zeros."""
    compressor = zlib.compressobj(9)
    first = compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()[:-4]
    size = mebibytes * MiB
    adler32_of_zeros = ((size % 65521) << 16) | 1
    return first + block * (mebibytes - 1) + end + adler32_of_zeros.to_bytes(4, "big")


def itxt(keyword, compression_flag, text):
    return (b"iTXt", keyword + b"\x00" + compression_flag + b"\x00" + b"\x00\x00" + text)


def png(*chunks):
    return encode_png([IHDR, *chunks, IEND])


BOMB_MIB = 1900  # 1.99 GB inflated, from a PNG just under the 2 MB upload limit


@pytest.fixture(scope="module")
def png_bomb():
    bomb = png(itxt(b"openbadgecredential", b"\x01", zlib_of_zeros(BOMB_MIB)))
    assert 1_900_000 < len(bomb) < 2_000_000
    return bomb


def verdict(response):
    assert response.status_code == 200
    return text(by_id(response, "verdict"))


def post_image(client, content, name="badge.png", content_type="image/png"):
    return client.post(VERIFY, {"image": SimpleUploadedFile(name, content, content_type)})


def test_a_png_bomb_is_refused_after_inflating_at_most_the_limit(client, db, png_bomb):
    tracemalloc.start()
    try:
        started = time.perf_counter()
        response = post_image(client, png_bomb)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    shown = verdict(response)
    assert "Not valid" in shown
    assert "This PNG's badge data is too large: it expands to more than 100,000 bytes" in shown
    # The upload itself (2 MB, held a few times over by the test client and the parser) and
    # 100 KB of inflated data: far below the 2 GB the data would expand to.
    assert peak < 50_000_000, f"peak {peak:,} bytes in {elapsed:.2f} s"


def test_unbaking_a_png_stops_inflating_at_the_limit():
    bomb = png(itxt(b"openbadgecredential", b"\x01", zlib_of_zeros(64)))
    tracemalloc.start()
    try:
        with pytest.raises(BakingError, match="expands to more than 100,000 bytes"):
            unbake_png(bomb, OB3_CREDENTIAL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # not the 64 MiB the data would inflate to


def test_badge_data_exactly_at_the_limit_is_read():
    token = b"e" * MAX_BADGE_DATA_BYTES
    baked = png(itxt(b"openbadgecredential", b"\x01", zlib.compress(token)))
    assert unbake_png(baked, OB3_CREDENTIAL) == token.decode()


MALFORMED_PNGS = [
    pytest.param(
        png((b"iTXt", b"openbadgecredential\x00\x00\x00no separators at all")),
        "lacks the NUL bytes that end its language and translated keyword",
        id="itxt-without-nul-separators",
    ),
    pytest.param(
        png((b"iTXt", b"openbadgecredential\x00\x00\x00en\x00only one")),
        "lacks the NUL bytes",
        id="itxt-with-one-nul-separator",
    ),
    pytest.param(
        png((b"iTXt", b"openbadgecredential\x00")), "lacks the NUL bytes", id="itxt-cut-short"
    ),
    pytest.param(
        png(itxt(b"openbadgecredential", b"\x01", b"not zlib at all")),
        "does not decompress",
        id="itxt-not-zlib",
    ),
    pytest.param(
        png(itxt(b"openbadgecredential", b"\x01", zlib.compress(b"eyJ")[:-6])),
        "does not decompress",
        id="itxt-zlib-cut-short",
    ),
    pytest.param(
        png(itxt(b"openbadgecredential", b"\x07", b"eyJ")),
        "unknown compression flag",
        id="itxt-unknown-flag",
    ),
    pytest.param(
        png(itxt(b"openbadgecredential", b"\x00", b"e" * (MAX_BADGE_DATA_BYTES + 1))),
        "badge data is too large",
        id="itxt-uncompressed-too-large",
    ),
    pytest.param(
        png((b"tEXt", b"openbadges\x00" + b"h" * (MAX_BADGE_DATA_BYTES + 1))),
        "badge data is too large",
        id="text-too-large",
    ),
    pytest.param(
        png(*[(b"tEXt", b"x\x00y")] * MAX_PNG_CHUNKS),
        "more than 2,000 chunks",
        id="too-many-chunks",
    ),
    pytest.param(
        png(itxt(b"openbadgecredential", b"\x00", b"\xff\xfe not utf-8")),
        "not UTF-8 text",
        id="itxt-not-utf-8",
    ),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED_PNGS)
def test_a_malformed_png_gets_a_plain_verdict(client, db, content, message):
    shown = verdict(post_image(client, content))

    assert "Not valid" in shown
    assert message in shown


MALFORMED_SVGS = [
    pytest.param(
        SVG_OPEN + b"<g/>" * MAX_SVG_ELEMENTS + b"</svg>",
        "more than 50,000 elements",
        id="too-many-elements",
    ),
    pytest.param(SVG_OPEN + b"<g>" * 300_000, "more than 50,000 elements", id="deeply-nested"),
    pytest.param(
        SVG_OPEN.replace(b">", b" xmlns:ob='https://purl.imsglobal.org/ob/v3p0'>")
        + b"<ob:credential>"
        + b"e" * (MAX_BADGE_DATA_BYTES + 1)
        + b"</ob:credential></svg>",
        "badge data is too large",
        id="baked-text-too-large",
    ),
    pytest.param(
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<svg>&b;</svg>",
        "declares a DTD or entities",
        id="entity-expansion",
    ),
    pytest.param(SVG_OPEN + b"<g>", "Not a readable SVG image", id="cut-short"),
    pytest.param(b"<svg \xff\xfe>", "not UTF-8 text", id="not-utf-8"),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED_SVGS)
def test_a_malformed_or_oversized_svg_gets_a_plain_verdict(client, db, content, message):
    shown = verdict(post_image(client, content, "badge.svg", "image/svg+xml"))

    assert "Not valid" in shown
    assert message in shown


def test_reading_a_large_svg_keeps_nothing_but_the_baked_element():
    svg = SVG_OPEN + b"<g><path d='M0 0'/></g>" * (MAX_SVG_ELEMENTS // 2 - 1) + b"</svg>"
    tracemalloc.start()
    try:
        assert unbake_svg(svg) is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(svg)


@pytest.mark.parametrize(
    "header",
    [b"[" * 14_000, b'{"alg":' + b"[" * 5_000 + b"]" * 5_000 + b"}", b"\xff\xfe"],
    ids=["deep-array", "deep-alg", "not-json"],
)
def test_a_pasted_jwt_with_a_hostile_header_gets_a_plain_verdict(client, db, header):
    import base64

    segment = base64.urlsafe_b64encode(header).rstrip(b"=").decode()
    response = client.post(VERIFY, {"badge": f"{segment}.e30.c2ln"})

    shown = verdict(response)
    assert "Not valid" in shown
    assert "This is not a readable VC-JWT: its header cannot be decoded." in shown


def test_a_real_baked_badge_still_verifies(client, shared_award):
    image = client.get(reverse("badges:credential_png", args=[shared_award.public_id])).content

    assert "Valid: a badge issued by this site" in verdict(post_image(client, image))

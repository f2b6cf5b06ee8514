"""Baking badge images and reading them back, checked with independent readers (Pillow, XML)."""

import io
import re
from xml.etree import ElementTree

import pytest
from PIL import Image

from badges.baking import (
    OB2_ASSERTION,
    OB3_CREDENTIAL,
    BakingError,
    bake_png,
    bake_svg,
    png_chunks,
    unbake_png,
    unbake_svg,
)
from badges.images import badge_png, badge_svg, image_description

ASSERTION_URL = "https://mlmath.example.org/badges/0b7c.../assertion.json?a=1&b=2"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL21sbWF0aCJ9.c2lnbmF0dXJl"


def corrupted(data, at):
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def itxt_chunks(png_bytes, keyword):
    return [
        data
        for chunk_type, data in png_chunks(png_bytes)
        if chunk_type == b"iTXt" and data.startswith(keyword + b"\x00")
    ]


def test_baked_png_has_exactly_one_uncompressed_itxt_chunk_that_pillow_reads():
    baked = bake_png(badge_png("Practitioner", 1), ASSERTION_URL)
    [chunk] = itxt_chunks(baked, b"openbadges")
    assert chunk[len(b"openbadges\x00") : len(b"openbadges\x00") + 2] == b"\x00\x00"  # uncompressed
    image = Image.open(io.BytesIO(baked))
    image.load()
    assert image.text["openbadges"] == ASSERTION_URL
    assert image.size == (512, 512)
    assert unbake_png(baked) == ASSERTION_URL


def test_baking_a_png_again_replaces_the_earlier_data():
    once = bake_png(badge_png("Practitioner", 1), "https://example.org/old")
    twice = bake_png(once, ASSERTION_URL)
    assert len(itxt_chunks(twice, b"openbadges")) == 1
    assert unbake_png(twice) == ASSERTION_URL


def test_png_carries_an_open_badges_3_credential_under_its_own_keyword():
    baked = bake_png(badge_png("Developer", 2), JWT, OB3_CREDENTIAL)
    assert Image.open(io.BytesIO(baked)).text["openbadgecredential"] == JWT
    assert unbake_png(baked, OB3_CREDENTIAL) == JWT
    assert unbake_png(baked, OB2_ASSERTION) is None
    both = bake_png(baked, ASSERTION_URL)
    assert (unbake_png(both), unbake_png(both, OB3_CREDENTIAL)) == (ASSERTION_URL, JWT)


def test_an_unbaked_png_holds_nothing():
    assert unbake_png(badge_png("Practitioner", 1)) is None


@pytest.mark.parametrize(
    ("png_bytes", "message"),
    [
        (b"GIF89a not a png", "Not a PNG image"),
        (b"", "Not a PNG image"),
        (badge_png("Practitioner", 1)[:100], "ends in the middle of a chunk"),
        (corrupted(badge_png("Practitioner", 1), at=20), "fails its checksum"),
    ],
)
def test_a_bad_png_is_refused_with_a_reason(png_bytes, message):
    with pytest.raises(BakingError, match=message):
        unbake_png(png_bytes)


def test_baked_svg_has_one_assertion_element_directly_after_the_svg_tag():
    baked = bake_svg(badge_svg("Practitioner", 1), verify_url=ASSERTION_URL)
    start_tag = re.match(r"<svg\b[^>]*>", baked).group(0)
    assert 'xmlns:openbadges="http://openbadges.org"' in start_tag
    after = baked[len(start_tag) :]
    assert after.startswith(
        '<openbadges:assertion verify="https://mlmath.example.org/badges/0b7c.../assertion.json'
        '?a=1&amp;b=2"></openbadges:assertion>'
    )
    assert baked.count("<openbadges:assertion") == 1
    root = ElementTree.fromstring(baked)
    [element] = root.findall("{http://openbadges.org}assertion")
    assert element.get("verify") == ASSERTION_URL
    assert unbake_svg(baked) == ASSERTION_URL


def test_baking_an_svg_again_keeps_one_element_and_one_namespace_declaration():
    once = bake_svg(badge_svg("Practitioner", 1), verify_url="https://example.org/old")
    twice = bake_svg(once, verify_url=ASSERTION_URL)
    assert twice.count("<openbadges:assertion") == 1
    assert twice.count("xmlns:openbadges=") == 1
    assert unbake_svg(twice) == ASSERTION_URL


def test_svg_carries_an_open_badges_3_credential_as_text_or_cdata_json():
    baked = bake_svg(badge_svg("Developer", 2), baking_format=OB3_CREDENTIAL, content=JWT)
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    root = ElementTree.fromstring(baked)
    assert root.find("{https://purl.imsglobal.org/ob/v3p0}credential").text == JWT
    assert unbake_svg(baked, OB3_CREDENTIAL) == JWT
    as_json = bake_svg(
        badge_svg("Developer", 2), baking_format=OB3_CREDENTIAL, content='{"a": "<b>"}'
    )
    assert "<![CDATA[" in as_json
    assert unbake_svg(as_json, OB3_CREDENTIAL) == '{"a": "<b>"}'


@pytest.mark.parametrize(
    ("svg_text", "message"),
    [
        ("not xml at all", "Not a readable SVG"),
        ("<html></html>", "root element is not <svg>"),
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            '<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "DTD",
        ),
        (b"\xff\xfe<svg/>", "not UTF-8"),
    ],
)
def test_a_bad_svg_is_refused_with_a_reason(svg_text, message):
    with pytest.raises(BakingError, match=message):
        unbake_svg(svg_text)


def test_baking_needs_either_a_url_or_content():
    with pytest.raises(ValueError, match="exactly one"):
        bake_svg(badge_svg("Practitioner", 1))


def test_badge_images_name_the_degree_and_level_with_a_colour_per_level():
    svg = badge_svg("Practitioner", 1)
    root = ElementTree.fromstring(svg)
    assert root.find("{http://www.w3.org/2000/svg}title").text == image_description(
        "Practitioner", 1
    )
    assert "Practitioner" in svg
    assert "Level 1" in svg
    fills = {
        rank: re.search(r'fill="(#[0-9a-f]{6})"', badge_svg("X", rank)).group(1)
        for rank in (1, 2, 3)
    }
    assert len(set(fills.values())) == 3
    pixels = {
        rank: Image.open(io.BytesIO(badge_png("X", rank))).getpixel((256, 20)) for rank in (1, 2, 3)
    }
    assert len(set(pixels.values())) == 3


def test_svg_text_is_escaped():
    svg = badge_svg("R&D <Lab>", 2)
    assert "R&amp;D &lt;Lab&gt;" in svg
    ElementTree.fromstring(svg)

"""Every parser of uploaded data, fed random, truncated and mutated input (Hypothesis): each
either reads it or raises its own documented error, never another exception, and the pages
that use them answer 200 or 422, never 500.

Deterministic (`derandomize=True`, no example database), so CI never flakes; each test runs
in a few seconds. A failure prints the input; add it to the explicit regression tests.
"""

import contextlib
import json
import struct
import zlib
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.transfer.base import ImportFileError
from accounts.transfer.parse import ImportFile, parse_import
from accounts.transfer.preview import previewed_content, sign_preview
from badges.baking import (
    OB2_ASSERTION,
    OB3_CREDENTIAL,
    BakingError,
    bake_png,
    bake_svg,
    encode_png,
    unbake_png,
    unbake_svg,
)
from badges.images import badge_png, badge_svg
from badges.verify import VerificationProblem, read_submission
from badges.verify_views import read_baked_image
from catalog.awesome import AwesomeListError, read_awesome_list
from mlmath.bounded import InputTooLarge, load_json
from progress.forms import EvidenceForm
from progress.models import Evidence
from tests import factories

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL21sbWF0aCJ9.c2lnbmF0dXJl"
ASSERTION_URL = "https://mlmath.example.org/badges/0b7c/assertion.json"

fast = settings(max_examples=400, derandomize=True, database=None, deadline=None)
with_database = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def cut_or_flipped(original):
    """`original` truncated at any point, or with some bytes changed."""
    truncated = st.integers(0, len(original)).map(lambda end: original[:end])
    flips = st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)), max_size=4)

    def flipped(changes):
        data = bytearray(original)
        for at, value in changes:
            data[at] = value
        return bytes(data)

    return truncated | flips.map(flipped)


# PNG -----------------------------------------------------------------------------------------

BAKED_PNG = bake_png(badge_png("Practitioner", 1), JWT, OB3_CREDENTIAL)
IHDR = (b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
KEYWORDS = st.sampled_from([b"openbadges", b"openbadgecredential", b"other"])
NUL_OR_NOT = st.sampled_from([b"", b"\x00", b"\x00\x00", b"en\x00", b"\x00\x00\x00"])
BADGE_TEXT = st.binary(max_size=64) | st.sampled_from([JWT.encode(), ASSERTION_URL.encode()])


@st.composite
def text_chunks(draw):
    """iTXt and tEXt chunks as the baking spec makes them, and broken in every field."""
    keyword = draw(KEYWORDS)
    flag = draw(st.sampled_from([b"\x00", b"\x01", b"\x02", b""]))
    method = draw(st.sampled_from([b"\x00", b"\x05", b""]))
    text = draw(BADGE_TEXT)
    if flag == b"\x01" and draw(st.booleans()):
        text = zlib.compress(text)[: draw(st.integers(0, 64))]
    after_keyword = flag + method + draw(NUL_OR_NOT) + draw(NUL_OR_NOT) + text
    chunk_type = draw(st.sampled_from([b"iTXt", b"tEXt", b"zTXt"]))
    return (chunk_type, keyword + draw(NUL_OR_NOT) + after_keyword)


any_chunk = text_chunks() | st.tuples(
    st.sampled_from([b"IHDR", b"IDAT", b"IEND", b"iTXt"]) | st.binary(min_size=4, max_size=4),
    st.binary(max_size=32),
)
png_like = st.lists(any_chunk, max_size=6).map(
    lambda chunks: encode_png([IHDR, *chunks, (b"IEND", b"")])
)
any_png = png_like | cut_or_flipped(BAKED_PNG) | st.binary(max_size=256)


@fast
@given(any_png, st.sampled_from([OB2_ASSERTION, OB3_CREDENTIAL]))
def test_unbaking_any_png_reads_text_or_raises_baking_error(data, baking_format):
    try:
        baked = unbake_png(data, baking_format)
    except BakingError:
        return
    assert baked is None or isinstance(baked, str)


# SVG -----------------------------------------------------------------------------------------

BAKED_SVG = bake_svg(badge_svg("Practitioner", 1), baking_format=OB3_CREDENTIAL, content=JWT)
SVG_PIECES = st.sampled_from(
    [
        "<svg xmlns='http://www.w3.org/2000/svg'>",
        "<svg>",
        "</svg>",
        "<g>",
        "</g>",
        "<openbadges:credential xmlns:openbadges='https://purl.imsglobal.org/ob/v3p0'>",
        "<openbadges:assertion xmlns:openbadges='http://openbadges.org' verify='x'/>",
        "</openbadges:credential>",
        '<?xml version="1.0"?>',
        '<!DOCTYPE svg [<!ENTITY a "aaaa">]>',
        "&a;",
        "<![CDATA[",
        "]]>",
        JWT,
        "\x00",
        "<",
        ">",
        "'",
    ]
)
svg_like = st.lists(SVG_PIECES, max_size=12).map("".join).map(str.encode)
any_svg = svg_like | cut_or_flipped(BAKED_SVG.encode()) | st.binary(max_size=256)


@fast
@given(any_svg | st.text(max_size=200), st.sampled_from([OB2_ASSERTION, OB3_CREDENTIAL]))
def test_unbaking_any_svg_reads_text_or_raises_baking_error(data, baking_format):
    try:
        baked = unbake_svg(data, baking_format)
    except BakingError:
        return
    assert baked is None or isinstance(baked, str)


@fast
@given(any_png | any_svg)
def test_reading_any_uploaded_image_gives_a_submission_or_a_verification_problem(data):
    try:
        submission, _source = read_baked_image(SimpleUploadedFile("badge", data))
    except VerificationProblem:
        return
    assert submission.kind in {"jwt", "url"}


@fast
@given(st.text(max_size=300) | st.sampled_from([JWT, JWT[:-3], JWT.replace(".", "..")]))
def test_reading_any_pasted_text_gives_a_submission_or_a_verification_problem(pasted):
    with contextlib.suppress(VerificationProblem):
        read_submission(pasted)


@with_database
@given(
    image=any_png | any_svg,
    pasted=st.text(max_size=200) | st.sampled_from([JWT, "https://testserver/badges/x/"]),
    use_image=st.booleans(),
)
def test_verify_answers_any_upload_or_paste_with_a_verdict_or_the_form(
    db, image, pasted, use_image
):
    client = Client(raise_request_exception=False)
    if use_image:
        data = {"image": SimpleUploadedFile("badge.png", image, "image/png")}
    else:
        data = {"badge": pasted}

    response = client.post("/verify/", data)

    assert response.status_code in {200, 422}


# JSON and the progress import -----------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
ROW_KEYS = ["resource", "status", "started_at", "completed_at", "updated_at", "note", "at"]
field_values = json_values | st.sampled_from(
    ["completed", "in_progress", "2026-03-01T09:00:00+00:00", "2026-03-01T09:00:00", "yesterday"]
)
resource_refs = st.fixed_dictionaries(
    {},
    optional={"url": field_values | st.just("https://example.org/x"), "slug": field_values},
)
rows = st.dictionaries(
    st.sampled_from(ROW_KEYS), field_values | resource_refs, max_size=len(ROW_KEYS)
)
documents = st.fixed_dictionaries(
    {"format": st.sampled_from(["mlmath-progress", "other"]), "version": st.sampled_from([1, 2])},
    optional={
        "progress": st.lists(rows, max_size=3) | json_values,
        "activity": st.lists(rows, max_size=3) | json_values,
        "awards": json_values,
    },
)
EXPORT = json.dumps(
    {
        "format": "mlmath-progress",
        "version": 1,
        "progress": [
            {
                "resource": {"url": "https://keras.io", "slug": "keras", "title": "Keras"},
                "status": "completed",
                "completed_at": "2026-03-01T09:00:00+00:00",
                "updated_at": "2026-03-01T09:00:00+00:00",
                "note": "",
            }
        ],
        "activity": [{"resource": {"slug": "keras"}, "status": "completed", "at": "x"}],
    }
).encode()
deeply_nested = st.tuples(st.integers(1, 100_000), st.sampled_from([b"[]", b"{}", b'["'])).map(
    lambda depth_and_brackets: (
        depth_and_brackets[1][:1] * depth_and_brackets[0]
        + depth_and_brackets[1][1:] * depth_and_brackets[0]
    )
)
any_import_file = (
    documents.map(lambda document: json.dumps(document).encode())
    | deeply_nested
    | json_values.map(lambda value: json.dumps(value).encode())
    | cut_or_flipped(EXPORT)
    | st.binary(max_size=200)
)


@fast
@given(any_import_file)
def test_parsing_any_import_file_gives_rows_or_an_import_file_error(data):
    try:
        parsed = parse_import(data)
    except ImportFileError:
        return
    assert isinstance(parsed, ImportFile)


@fast
@given(any_import_file | st.text(max_size=200))
def test_loading_any_json_gives_a_value_or_a_documented_error(data):
    with contextlib.suppress(InputTooLarge, json.JSONDecodeError, UnicodeDecodeError):
        load_json(data, max_bytes=10_000, max_depth=4)


LEARNER = SimpleNamespace(pk=7)


@fast
@given(
    st.text(max_size=200)
    | cut_or_flipped(sign_preview(EXPORT, learner=LEARNER).encode()).map(
        lambda token: token.decode("latin-1")
    )
)
def test_reading_any_preview_token_gives_the_file_or_an_import_file_error(token):
    try:
        content = previewed_content(token, learner=LEARNER)
    except ImportFileError:
        return
    assert content == EXPORT


@with_database
@given(data=any_import_file, action=st.sampled_from(["preview", "import"]))
def test_the_import_page_answers_any_file_with_a_report_or_the_form(learner, data, action):
    client = Client(raise_request_exception=False)
    client.force_login(learner)

    response = client.post(
        "/account/import/", {"file": SimpleUploadedFile("export.json", data), "action": action}
    )

    assert response.status_code in {200, 422}


# The awesome-list import ----------------------------------------------------------------------

MARKDOWN_PIECES = st.sampled_from(
    [
        "# Awesome\n",
        "## Topic\n",
        "### Sub\n",
        "- [Keras](https://keras.io) - a library\n",
        "* [Bad](javascript:alert(1))\n",
        "1. https://example.org/x\n",
        "> quote ",
        "    code\n",
        "```\n",
        "| a | b |\n|---|---|\n",
        "[link](",
        "<a href='https://x.org'>x</a>",
        "![badge](https://img.shields.io/x.svg)",
        "## Contents\n",
        "## Degrees\n",
        "## License\n",
        "<!-- [Old](https://example.org/old) -->\n",
        "<!--\n",
        "-->\n",
        "<p><img src='https://x.org/i.png'></p>\n",
        "[Book][ref]",
        "[ref]: https://example.org/ref\n",
        "[Notes](./notes.md)",
        "[Top](#contents)",
        "https://www.example.org/a/?utm_source=x\n",
        "\n",
        "- ",
        "  - ",
        "\u00a0",
    ]
)
markdown_like = st.lists(MARKDOWN_PIECES | st.text(max_size=20), max_size=20).map("".join)
any_awesome_list = (
    markdown_like.map(str.encode)
    | cut_or_flipped(b"# Awesome ML\n\n## Topic\n- [Keras](https://keras.io) - deep learning\n")
    | st.binary(max_size=200)
)


@fast
@given(any_awesome_list)
def test_reading_any_awesome_list_gives_a_plan_or_an_awesome_list_error(data):
    with contextlib.suppress(AwesomeListError):
        read_awesome_list(data, source="list.md")


# Evidence -------------------------------------------------------------------------------------

evidence_fields = st.fixed_dictionaries(
    {},
    optional={
        "url": st.text(max_size=300)
        | st.sampled_from(["https://example.org/notebook", "example.org", "javascript:x", "//x"]),
        "description": st.text(max_size=2500),
    },
)


@fast
@given(evidence_fields)
def test_the_evidence_form_validates_any_input_without_raising(data):
    form = EvidenceForm(data, milestone=SimpleNamespace(slug="mlp"))

    if form.is_valid():
        assert form.cleaned_data["url"].startswith(("http://", "https://"))


@pytest.fixture
def milestone(db):
    return factories.make_milestone(slug="mlp-from-scratch")


@with_database
@given(data=evidence_fields)
def test_the_evidence_page_answers_any_input_with_the_evidence_or_the_form(
    learner, milestone, data
):
    client = Client(raise_request_exception=False)
    client.force_login(learner)

    response = client.post("/progress/milestones/mlp-from-scratch/evidence/", data)

    assert response.status_code in {200, 302, 422}
    assert Evidence.objects.filter(learner=learner).count() <= 1

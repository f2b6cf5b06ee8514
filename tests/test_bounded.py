"""mlmath/bounded.py: inflating and JSON parsing stop at their limits, with a clear message."""

import json
import tracemalloc
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlmath.bounded import InputTooLarge, inflate, json_structure, load_json

MiB = 1 << 20


def compressed_zeros(size):
    compressor = zlib.compressobj(9)
    return (
        b"".join(compressor.compress(bytes(MiB)) for _ in range(size // MiB)) + compressor.flush()
    )


def test_inflate_stops_at_the_limit_without_inflating_the_rest():
    bomb = compressed_zeros(256 * MiB)  # 256 KB that expands to 256 MiB
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLarge, match="expands to more than 100,000 bytes, the limit"):
            inflate(bomb, max_bytes=100_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100_000 + 2 * len(bomb) + 100_000


def test_inflate_gives_data_up_to_the_limit_and_refuses_one_byte_more():
    assert inflate(zlib.compress(b"x" * 1000), max_bytes=1000) == b"x" * 1000
    with pytest.raises(InputTooLarge):
        inflate(zlib.compress(b"x" * 1001), max_bytes=1000)


@pytest.mark.parametrize(
    "data",
    [b"", b"not zlib", zlib.compress(b"hello")[:-1], zlib.compress(b"hello")[:4]],
    ids=["empty", "not-zlib", "without-checksum", "cut-short"],
)
def test_inflate_refuses_a_broken_stream(data):
    with pytest.raises(zlib.error):
        inflate(data, max_bytes=1000)


def test_load_json_refuses_deep_nesting_before_parsing():
    with pytest.raises(InputTooLarge, match="nests its data 100000 levels deep; the limit is 32"):
        load_json(b"[" * 100_000 + b"]" * 100_000, max_bytes=1_000_000)


def test_load_json_reads_nesting_up_to_the_limit():
    nested = load_json(b"[" * 32 + b"]" * 32, max_bytes=1000)
    assert json.dumps(nested) == "[" * 32 + "]" * 32


def test_brackets_inside_strings_are_not_nesting():
    assert load_json(b'["[[[[", "\\"{{{{"]', max_bytes=1000, max_depth=1) == ["[[[[", '"{{{{']


def test_load_json_refuses_a_text_over_its_size():
    with pytest.raises(InputTooLarge, match="The file is 1,001 bytes; the limit is 1,000 bytes"):
        load_json(b" " * 1001, max_bytes=1000)


def test_load_json_refuses_more_values_than_one_per_four_bytes_of_its_limit():
    many_zeros = b"[" + b"0," * 300 + b"0]"
    with pytest.raises(InputTooLarge, match="The file holds 302 values and keys; the limit is 250"):
        load_json(many_zeros, max_bytes=1000)
    assert len(load_json(many_zeros, max_bytes=1000, max_values=302)) == 301


def test_load_json_passes_broken_json_to_the_parser_error():
    with pytest.raises(json.JSONDecodeError):
        load_json(b'{"a": [1, 2', max_bytes=1000)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


def depth_of(value):
    if isinstance(value, (list, dict)):
        children = value.values() if isinstance(value, dict) else value
        return 1 + max((depth_of(child) for child in children), default=0)
    return 0


def values_in(value):
    if isinstance(value, list):
        return 1 + sum(values_in(child) for child in value)
    if isinstance(value, dict):
        return 1 + sum(1 + values_in(child) for child in value.values())
    return 1


@settings(max_examples=300, derandomize=True)
@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_the_structure_scan_is_exact_for_any_json(value, indent, ensure_ascii):
    data = json.dumps(value, indent=indent, ensure_ascii=ensure_ascii).encode()

    assert json_structure(data) == (depth_of(value), values_in(value))


@settings(max_examples=300, derandomize=True)
@given(json_values, st.data())
def test_a_truncated_json_never_nests_deeper_than_the_scan_says(value, data):
    """The scan bounds what the parser can reach, even on a broken text: cut anywhere, the
    parser either fails with a JSONDecodeError or gives a value no deeper than the scan."""
    text = json.dumps(value).encode()
    cut = text[: data.draw(st.integers(0, len(text)))]
    depth, _ = json_structure(cut)
    try:
        parsed = json.loads(cut)
    except json.JSONDecodeError:
        return
    assert depth_of(parsed) <= depth

"""Baking: embed a badge's verification data in its image, and read it back out (unbake).

Follows the Open Badges baking specification. A PNG carries exactly one uncompressed `iTXt`
chunk whose keyword names the format; an SVG declares the format's namespace on its root and
carries exactly one element of that namespace directly after the `<svg>` tag. Baking again
replaces what was baked before, so an image never holds two.

Two formats: Open Badges 2.0 hosted assertions (the assertion URL) and Open Badges 3.0
credentials (the signed VC-JWT, or a JSON credential).
"""

import re
import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from mlmath.bounded import InputTooLarge, inflate, size_in_words

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What a baked image may carry, inflated: a VC-JWT is a few thousand bytes, and a pasted one
# may have 20,000 characters.
MAX_BADGE_DATA_BYTES = 100_000
# Pillow writes a badge in a handful of chunks; other encoders split image data into chunks of
# 8 KB or more, so a 2 MB image has a few hundred.
MAX_PNG_CHUNKS = 2_000
MAX_SVG_ELEMENTS = 50_000


class BakingError(ValueError):
    """The image is not a PNG or SVG we can read; the message says what is wrong."""


@dataclass(frozen=True)
class BakingFormat:
    png_keyword: str
    svg_namespace: str
    svg_element: str


OB2_ASSERTION = BakingFormat(
    png_keyword="openbadges", svg_namespace="http://openbadges.org", svg_element="assertion"
)
OB3_CREDENTIAL = BakingFormat(
    png_keyword="openbadgecredential",
    svg_namespace="https://purl.imsglobal.org/ob/v3p0",
    svg_element="credential",
)


# PNG ---------------------------------------------------------------------------------------


def png_chunks(png_bytes, *, max_chunks=MAX_PNG_CHUNKS):
    """The (type, data) chunks of a PNG, checking the signature, lengths, CRCs and count."""
    if not png_bytes.startswith(PNG_SIGNATURE):
        raise BakingError("Not a PNG image: the file does not start with the PNG signature.")
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset < len(png_bytes):
        if len(chunks) == max_chunks:
            raise BakingError(
                f"Not a PNG we read: it has more than {max_chunks:,} chunks; a badge image has "
                "a handful."
            )
        if offset + 12 > len(png_bytes):
            raise BakingError("Corrupt PNG: it ends in the middle of a chunk.")
        (length,) = struct.unpack(">I", png_bytes[offset : offset + 4])
        chunk_type = png_bytes[offset + 4 : offset + 8]
        data = png_bytes[offset + 8 : offset + 8 + length]
        crc_bytes = png_bytes[offset + 8 + length : offset + 12 + length]
        if len(data) != length or len(crc_bytes) != 4:
            raise BakingError("Corrupt PNG: it ends in the middle of a chunk.")
        if struct.unpack(">I", crc_bytes)[0] != zlib.crc32(chunk_type + data):
            raise BakingError(f"Corrupt PNG: the {chunk_type!r} chunk fails its checksum.")
        chunks.append((chunk_type, data))
        offset += 12 + length
        if chunk_type == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakingError("Corrupt PNG: it lacks its header or end chunk.")
    return chunks


def encode_png(chunks):
    parts = [PNG_SIGNATURE]
    for chunk_type, data in chunks:
        crc = zlib.crc32(chunk_type + data)
        parts.append(struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc))
    return b"".join(parts)


def _is_keyword_chunk(chunk, keyword):
    chunk_type, data = chunk
    return chunk_type in (b"iTXt", b"tEXt", b"zTXt") and data.startswith(
        keyword.encode("latin-1") + b"\x00"
    )


def bake_png(png_bytes, text, baking_format=OB2_ASSERTION):
    """The PNG with `text` in one uncompressed iTXt chunk (any earlier one removed)."""
    chunks = [
        c for c in png_chunks(png_bytes) if not _is_keyword_chunk(c, baking_format.png_keyword)
    ]
    # keyword, NUL, compression flag 0 (uncompressed), method 0, empty language and
    # translated keyword (each NUL-terminated), then the UTF-8 text.
    data = baking_format.png_keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00"
    data += text.encode("utf-8")
    return encode_png([chunks[0], (b"iTXt", data), *chunks[1:]])


def unbake_png(png_bytes, baking_format=OB2_ASSERTION):
    """The text baked into a PNG in the given format, or None when there is none."""
    keyword = baking_format.png_keyword.encode("latin-1") + b"\x00"
    for chunk_type, data in png_chunks(png_bytes):
        if chunk_type == b"iTXt" and data.startswith(keyword):
            return _itxt_text(data[len(keyword) :])
        if chunk_type == b"tEXt" and data.startswith(keyword):
            return _bounded(data[len(keyword) :], "PNG").decode("latin-1")
    return None


def _itxt_text(after_keyword):
    """The text of an iTXt chunk after its keyword: compression flag and method, language
    and translated keyword (each ended by a NUL byte), then UTF-8 text, maybe compressed."""
    compression_flag, compression_method = after_keyword[:1], after_keyword[1:2]
    fields = after_keyword[2:].split(b"\x00", 2)
    if not compression_method or len(fields) != 3:
        raise BakingError(
            "Corrupt PNG: its badge data chunk lacks the NUL bytes that end its language and "
            "translated keyword."
        )
    text = fields[2]
    if compression_flag == b"\x01":
        if compression_method != b"\x00":
            raise BakingError("Corrupt PNG: its badge data uses an unknown compression method.")
        try:
            text = inflate(text, max_bytes=MAX_BADGE_DATA_BYTES)
        except InputTooLarge as error:
            raise BakingError(f"This PNG's badge data is too large: {error}.") from error
        except zlib.error as error:
            raise BakingError("Corrupt PNG: its badge data does not decompress.") from error
    elif compression_flag != b"\x00":
        raise BakingError("Corrupt PNG: its badge data chunk has an unknown compression flag.")
    return _decode(_bounded(text, "PNG"))


def _bounded(text_bytes, kind):
    if len(text_bytes) > MAX_BADGE_DATA_BYTES:
        raise BakingError(
            f"This {kind}'s badge data is too large: it is more than "
            f"{size_in_words(MAX_BADGE_DATA_BYTES)}, the limit."
        )
    return text_bytes


def _decode(text_bytes):
    try:
        return text_bytes.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BakingError("Corrupt image: its badge data is not UTF-8 text.") from error


# SVG ---------------------------------------------------------------------------------------

SVG_START_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)


def bake_svg(svg_text, *, baking_format=OB2_ASSERTION, verify_url=None, content=None):
    """The SVG with one `openbadges:` element directly after its `<svg>` tag.

    Open Badges 2.0 hosted assertions pass `verify_url` (the element's `verify` attribute);
    Open Badges 3.0 passes the credential as `content` (a VC-JWT, or JSON kept in CDATA).
    """
    if (verify_url is None) == (content is None):
        raise ValueError("Pass exactly one of verify_url and content.")
    prefix = "openbadges"
    svg_text = _without_baked_elements(svg_text, baking_format)
    match = SVG_START_TAG.search(svg_text)
    if match is None:
        raise BakingError("Not an SVG image: it has no <svg> element.")
    start_tag = match.group(0)
    start_tag = re.sub(r'\s+xmlns:openbadges="[^"]*"', "", start_tag)
    closing = "/>" if start_tag.endswith("/>") else ">"
    start_tag = (
        start_tag[: -len(closing)].rstrip()
        + f' xmlns:{prefix}="{baking_format.svg_namespace}"'
        + closing
    )
    if verify_url is not None:
        element = f"<{prefix}:{baking_format.svg_element} verify={quoteattr(verify_url)}>"
        element += f"</{prefix}:{baking_format.svg_element}>"
    else:
        body = f"<![CDATA[{content}]]>" if content.lstrip().startswith("{") else escape(content)
        element = (
            f"<{prefix}:{baking_format.svg_element}>{body}</{prefix}:{baking_format.svg_element}>"
        )
    return svg_text[: match.start()] + start_tag + element + svg_text[match.end() :]


def _without_baked_elements(svg_text, baking_format):
    name = rf"[\w.-]+:{baking_format.svg_element}"
    svg_text = re.sub(rf"<{name}\b[^>]*/>", "", svg_text)
    return re.sub(rf"<{name}\b[^>]*>.*?</{name}>", "", svg_text, flags=re.DOTALL)


class _BakedElementFinder:
    """An XML parser target that keeps only what unbaking needs: the root's tag and the
    first baked element directly under it (its `verify` attribute and text). Nothing else
    is stored, so memory stays flat whatever the document holds."""

    def __init__(self, baked_tag):
        self.baked_tag = baked_tag
        self.root_tag = None
        self.verify = None
        self.text_parts = []
        self.found = False
        self.depth = 0
        self.elements = 0
        self._inside_baked = False

    def start(self, tag, attributes):
        self.elements += 1
        if self.elements > MAX_SVG_ELEMENTS:
            raise BakingError(
                f"Not an SVG we read: it has more than {MAX_SVG_ELEMENTS:,} elements; a badge "
                "image has far fewer."
            )
        self.depth += 1
        if self.depth == 1:
            self.root_tag = tag
        elif self.depth == 2 and tag == self.baked_tag and not self.found:
            self.found = self._inside_baked = True
            self.verify = attributes.get("verify")

    def end(self, tag):
        if self.depth == 2:
            self._inside_baked = False
        self.depth -= 1

    def data(self, text):
        if self._inside_baked:
            self.text_parts.append(text)

    def close(self):
        return self


def unbake_svg(svg_text, baking_format=OB2_ASSERTION):
    """What is baked into an SVG: the `verify` URL, else the element's text; None if nothing."""
    if isinstance(svg_text, bytes):
        svg_text = _decode(svg_text)
    finder = _BakedElementFinder(f"{{{baking_format.svg_namespace}}}{baking_format.svg_element}")
    parser = ElementTree.DefusedXMLParser(target=finder, forbid_dtd=True)
    try:
        parser.feed(svg_text)
        parser.close()
    except ElementTree.ParseError as error:
        raise BakingError(f"Not a readable SVG image: {error}.") from error
    except DefusedXmlException as error:
        raise BakingError("Not an SVG we read: it declares a DTD or entities.") from error
    if finder.root_tag not in ("{http://www.w3.org/2000/svg}svg", "svg"):
        raise BakingError("Not an SVG image: its root element is not <svg>.")
    if not finder.found:
        return None
    text = "".join(finder.text_parts)
    _bounded(text.encode("utf-8"), "SVG")
    return finder.verify or text.strip() or None

"""Reading a paragraph's inline Markdown tokens: its lines, its links, its text and Markdown."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Raw HTML is parsed (and then ignored) so badge blocks and <img> banners do not leak into
# guidance as text. "text_join" is off so escapes and entities stay visible in the token stream.
markdown_parser = MarkdownIt("commonmark", {"html": True}).enable("table").disable("text_join")

_validate_url = URLValidator(schemes=["http", "https"])
_BARE_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>]+", re.IGNORECASE)
_BREAKS = {"softbreak", "hardbreak"}
_SEPARATORS = "-–—:|·,"


@dataclass
class Link:
    start: int  # index of link_open in the line's tokens
    end: int  # index of link_close
    href: str
    text: str
    line: int
    bare: bool  # an autolink or a bare URL: its text is the URL itself
    kind: str  # "http", "anchor", "badge", "invalid" or "other"


def _with_link_depth(tokens):
    """Each token with the number of links around it (a link's own open and close included)."""
    depth = 0
    for token in tokens:
        if token.type == "link_open":
            depth += 1
        yield token, depth
        if token.type == "link_close":
            depth -= 1


def with_bare_links(tokens):
    """The inline tokens with bare URLs ("https://...", "ftp://...") in text turned into links."""
    result = []
    for token, depth in _with_link_depth(tokens):
        if token.type != "text" or depth:
            result.append(token)
            continue
        position = 0
        for match in _BARE_URL.finditer(token.content):
            url = _trim_url(match.group())
            if match.start() > position:
                result.append(_text_token(token.content[position : match.start()]))
            result.extend(
                [
                    Token("link_open", "a", 1, attrs={"href": markdown_parser.normalizeLink(url)}),
                    _text_token(url),
                    Token("link_close", "a", -1),
                ]
            )
            result[-3].markup = result[-1].markup = "bare"
            position = match.start() + len(url)
        if position < len(token.content):
            result.append(_text_token(token.content[position:]) if position else token)
    return result


def _text_token(content):
    token = Token("text", "", 0)
    token.content = content
    return token


def _trim_url(url):
    """A bare URL without the punctuation that ends the sentence around it."""
    while url and (
        url[-1] in ".,;:!?'\"*_" or (url[-1] == ")" and url.count("(") < url.count(")"))
    ):
        url = url[:-1]
    return url


def split_lines(tokens, first_line):
    """(tokens, line number) for each line; a break inside a link text does not end a line."""
    lines = []
    current = []
    line_number = start = first_line
    for token, depth in _with_link_depth(tokens):
        if token.type in _BREAKS:
            line_number += 1
            if depth == 0:
                lines.append((current, start))
                current = []
                start = line_number
                continue
        current.append(token)
    lines.append((current, start))
    return lines


def find_links(tokens, line_number):
    """The outermost links among a line's tokens."""
    links = []
    opened_at = None
    for index, (token, depth) in enumerate(_with_link_depth(tokens)):
        if depth == 1 and token.type == "link_open":
            opened_at = index
        elif depth == 1 and token.type == "link_close":
            links.append(_link(tokens, opened_at, index, line_number))
            opened_at = None
    if opened_at is not None:
        links.append(_link(tokens, opened_at, len(tokens), line_number))
    return links


def _link(tokens, start, end, line_number):
    opening = tokens[start]
    inner = tokens[start + 1 : end]
    href = opening.attrGet("href") or ""
    return Link(
        start=start,
        end=end,
        href=href,
        text=plain_text(inner),
        line=line_number,
        bare=opening.markup in {"autolink", "bare"},
        kind=_link_kind(href, inner),
    )


def links_of(paragraph):
    """The links of a paragraph node that could be resources (not badges or anchors)."""
    tokens = with_bare_links(paragraph.children[0].token.children)
    return [link for link in find_links(tokens, 0) if link.kind not in {"badge", "anchor"}]


def _link_kind(href, inner):
    if any(t.type == "image" for t in inner) and not plain_text(inner):
        return "badge"
    if href.startswith("#"):
        return "anchor"
    if urlsplit(href).scheme.lower() not in {"http", "https"}:
        return "other"
    try:
        _validate_url(href)
    except ValidationError:
        return "invalid"
    return "http"


def is_leading(tokens):
    """True when nothing but markup, images or a short label comes before a line's link."""
    before = plain_text(tokens)
    if not any(character.isalnum() for character in before):
        return True
    label = before.removesuffix(":")
    return (
        before.endswith(":")
        and len(label.split()) <= 5
        and not any(mark in label for mark in ".;!?")
    )


def plain_text(tokens):
    """The text a reader sees: markup dropped, links reduced to their text, spaces collapsed."""
    parts = []
    for token in tokens:
        if token.type in {"text", "text_special", "code_inline"}:
            parts.append(token.content)
        elif token.type in _BREAKS:
            parts.append(" ")
    return " ".join("".join(parts).split())


def markdown_text(tokens):
    """The Markdown of some inline tokens, with links reduced to their text and images dropped."""
    parts = []
    for token in tokens:
        if token.type == "text":
            parts.append(token.content)
        elif token.type == "text_special":
            parts.append(token.markup or token.content)
        elif token.type in {"em_open", "em_close", "strong_open", "strong_close"}:
            parts.append(token.markup)
        elif token.type == "code_inline":
            pad = " " if token.content.startswith("`") or token.content.endswith("`") else ""
            parts.append(f"{token.markup}{pad}{token.content}{pad}{token.markup}")
        elif token.type in _BREAKS:
            parts.append("\n")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def line_break():
    """A token that joins two lines of prose into one paragraph."""
    return Token("softbreak", "br", 0)


def strip_separator(text):
    """A note without the dash or colon that separates it from the link before it."""
    text = text.strip()
    while text and text[0] in _SEPARATORS:
        text = text[1:].lstrip()
    return text

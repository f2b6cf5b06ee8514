"""Awesome lists in and out: read an awesome-list README into topics and resources, apply it to
the catalog, and write the catalog back as an awesome list.

The rules, in the order a reader meets them:

- The first heading is the list's title when it is shallower than every other heading; the
  text before the first topic heading is the introduction. Neither is a topic.
- Each other heading is a topic, except contents, licence, contribution and degrees sections
  (skipped with everything under them), a heading that only groups sub-headings (its
  sub-headings are the topics), and a heading under a topic (folded into that topic).
- A line that starts with a link is a resource: the link text is its title and the rest of
  the line its note. A label before a bare URL ("Book: https://...") names the resource. A
  link inside a sentence is a resource too, and the whole sentence is its note.
- Lines without a leading link are the topic's guidance (Markdown, links reduced to text).
- Only http(s) links are resources; other links are skipped and reported, links to anchors
  (tables of contents) and badge images are ignored.
"""

import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import mdurl
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from catalog.models import Degree, Requirement, Resource, Topic

# Raw HTML is parsed (and then ignored) so badge blocks and <img> banners do not leak into
# guidance as text. "text_join" is off so escapes and entities stay visible in the token stream.
_parser = MarkdownIt("commonmark", {"html": True}).enable("table").disable("text_join")
_validate_url = URLValidator(schemes=["http", "https"])
_BARE_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>]+", re.IGNORECASE)
_LIST_TYPES = {"bullet_list", "ordered_list"}
_BREAKS = {"softbreak", "hardbreak"}
_SEPARATORS = "-–—:|·,"

TITLE_MAX_LENGTH = Resource._meta.get_field("title").max_length
URL_MAX_LENGTH = Resource._meta.get_field("url").max_length
TOPIC_TITLE_MAX_LENGTH = Topic._meta.get_field("title").max_length
PROVIDER_MAX_LENGTH = Resource._meta.get_field("provider").max_length

DEFAULT_EXPORT_TITLE = "awesomeMLmath"
DEFAULT_EXPORT_DESCRIPTION = (
    "Curated list to learn the math basics for machine learning, exported from the mlmath catalog."
)
DEGREES_HEADING = "Degrees"

# Labels and headings that say what kind of resource follows ("Books", "Video:").
_KIND_WORDS = {
    "book": Resource.Kind.BOOK,
    "textbook": Resource.Kind.BOOK,
    "ebook": Resource.Kind.BOOK,
    "course": Resource.Kind.COURSE,
    "mooc": Resource.Kind.COURSE,
    "video": Resource.Kind.VIDEO,
    "playlist": Resource.Kind.VIDEO,
    "article": Resource.Kind.ARTICLE,
    "paper": Resource.Kind.ARTICLE,
    "blog": Resource.Kind.ARTICLE,
    "post": Resource.Kind.ARTICLE,
    "tutorial": Resource.Kind.ARTICLE,
    "tool": Resource.Kind.TOOL,
    "library": Resource.Kind.TOOL,
    "software": Resource.Kind.TOOL,
    "discussion": Resource.Kind.DISCUSSION,
    "forum": Resource.Kind.DISCUSSION,
}

# Well-known hosts (and their subdomains): the provider's name and the usual kind of resource.
_KNOWN_HOSTS = {
    "khanacademy.org": ("Khan Academy", Resource.Kind.COURSE),
    "edx.org": ("edX", Resource.Kind.COURSE),
    "coursera.org": ("Coursera", Resource.Kind.COURSE),
    "udacity.com": ("Udacity", Resource.Kind.COURSE),
    "ocw.mit.edu": ("MIT OpenCourseWare", Resource.Kind.COURSE),
    "youtube.com": ("YouTube", Resource.Kind.VIDEO),
    "youtu.be": ("YouTube", Resource.Kind.VIDEO),
    "wikipedia.org": ("Wikipedia", Resource.Kind.ARTICLE),
    "arxiv.org": ("arXiv", Resource.Kind.ARTICLE),
    "distill.pub": ("Distill", Resource.Kind.ARTICLE),
    "medium.com": ("Medium", Resource.Kind.ARTICLE),
    "github.com": ("GitHub", Resource.Kind.TOOL),
    "quora.com": ("Quora", Resource.Kind.DISCUSSION),
    "reddit.com": ("Reddit", Resource.Kind.DISCUSSION),
    "stackexchange.com": ("Stack Exchange", Resource.Kind.DISCUSSION),
    "stackoverflow.com": ("Stack Overflow", Resource.Kind.DISCUSSION),
}


class AwesomeListError(Exception):
    """Input that cannot be imported. The message names the file and, where it applies, the line."""

    def __init__(self, message, *, source, line=None):
        self.message = message
        self.source = source
        self.line = line
        where = source if line is None else f"{source}, line {line}"
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedResource:
    title: str
    url: str
    note: str
    line: int
    kind: str = ""  # A Resource.Kind guessed from a label, heading or host; "" when unknown.


@dataclass
class ParsedTopic:
    title: str
    line: int
    guidance: str = ""
    resources: list[ParsedResource] = field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    """Something in the file that is not imported, and why."""

    line: int
    text: str
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.text} ({self.reason})"


@dataclass
class AwesomeList:
    """An awesome list as plain data: what the file says, before it touches the database."""

    source: str
    title: str
    topics: list[ParsedTopic]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def resources(self):
        return [resource for topic in self.topics for resource in topic.resources]


# Reading


def decode_awesome_list(data, *, source):
    """The file's bytes as text; anything but UTF-8 is an error naming the line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AwesomeListError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} cannot be decoded); "
            "save the file as UTF-8 and try again.",
            source=source,
            line=data.count(b"\n", 0, error.start) + 1,
        ) from error


def read_awesome_list(data, *, source):
    """Decode and parse an uploaded or read file."""
    return parse_awesome_list(decode_awesome_list(data, source=source), source=source)


def parse_awesome_list(text, *, source="the file"):
    """Parse awesome-list Markdown into an AwesomeList, or raise AwesomeListError."""
    if not text.strip():
        raise AwesomeListError("the file is empty.", source=source)
    root = SyntaxTreeNode(_parser.parse(text))
    intro, sections = _split_sections(root.children)

    title = ""
    if len(sections) > 1 and sections[0].level < min(s.level for s in sections[1:]):
        title = sections[0].title
        intro.blocks.extend(sections.pop(0).blocks)

    skipped = []
    intro_reader = _Reader()
    intro_reader.read_blocks(intro.blocks, hint="")
    skipped.extend(intro_reader.skipped)
    skipped.extend(
        Skipped(r.line, f"[{r.title}]({r.url})", "before the first heading, not in a topic")
        for r in intro_reader.resources
    )

    topics = []
    # Open headings above the current one: (section, role, topic) with role one of
    # "topic", "group" (only groups sub-headings) or "skipped".
    open_headings = []
    for index, section in enumerate(sections):
        while open_headings and open_headings[-1][0].level >= section.level:
            open_headings.pop()
        roles = [role for _, role, _ in open_headings]
        owner = next((t for _, role, t in reversed(open_headings) if role == "topic"), None)
        skip_reason = _skipped_section_reason(section.title)
        if "skipped" in roles:
            open_headings.append((section, "skipped", None))
            continue
        if not section.title:
            skip_reason = "a heading without text: its section is not imported"
        if skip_reason:
            skipped.append(Skipped(section.line, section.title or "(empty heading)", skip_reason))
            open_headings.append((section, "skipped", None))
            continue

        reader = _Reader()
        owner_hint = _kind_for(owner.title) if owner is not None else ""
        reader.read_blocks(section.blocks, hint=_kind_for(section.title) or owner_hint)
        skipped.extend(reader.skipped)
        if owner is not None:
            # A heading under a topic is a part of that topic.
            owner.resources.extend(reader.resources)
            owner.guidance = _join_guidance([owner.guidance, reader.guidance])
            open_headings.append((section, "folded", owner))
            continue
        has_subheadings = index + 1 < len(sections) and sections[index + 1].level > section.level
        if reader.resources or not has_subheadings:
            topic = ParsedTopic(
                section.title, section.line, reader.guidance, list(reader.resources)
            )
            topics.append(topic)
            open_headings.append((section, "topic", topic))
        else:
            if reader.guidance:
                skipped.append(
                    Skipped(
                        section.line,
                        f"text under “{section.title}”",
                        "the heading only groups sub-headings; its sub-headings are the topics",
                    )
                )
            open_headings.append((section, "group", None))

    topics = _merge_same_topics(topics)
    skipped.extend(_drop_repeated_urls(topics))
    awesome_list = AwesomeList(source=source, title=title, topics=topics, skipped=skipped)
    _check_lengths(awesome_list)
    if not awesome_list.resources:
        raise AwesomeListError(_no_links_message(awesome_list), source=source)
    return awesome_list


@dataclass
class _Section:
    title: str
    level: int
    line: int
    blocks: list = field(default_factory=list)


def _split_sections(nodes):
    intro = _Section("", 0, 1)
    sections = []
    for node in nodes:
        if node.type == "heading":
            inline = node.children[0].token.children if node.children else []
            sections.append(_Section(_plain(inline), int(node.tag[1:]), node.map[0] + 1))
        elif sections:
            sections[-1].blocks.append(node)
        else:
            intro.blocks.append(node)
    return intro, sections


def _skipped_section_reason(title):
    words = re.findall(r"[a-z]+", title.lower())
    text = " ".join(words)
    if text in {"contents", "table of contents", "toc"}:
        return "table of contents"
    if words and words[0] in {"license", "licence", "licensing", "licenses", "licences"}:
        return "licence section"
    if (words and words[0].startswith("contribut")) or text in {
        "how to contribute",
        "code of conduct",
    }:
        return "contribution section"
    if text in {"acknowledgements", "acknowledgments", "credits", "sponsors", "backers"}:
        return "acknowledgements section"
    if text == DEGREES_HEADING.lower():
        return "degrees are edited in the admin, not imported"
    return ""


def _kind_for(label):
    """The resource kind a label or heading names ("Books", "Free videos"), or ""."""
    words = re.findall(r"[a-z]+", label.lower())
    if not words:
        return ""
    last = words[-1]
    for candidate in (last, last.removesuffix("s"), last.removesuffix("ies") + "y"):
        if candidate in _KIND_WORDS:
            return _KIND_WORDS[candidate]
    return ""


def guess_provider(url):
    """Who offers a URL: a known name for well-known hosts, else the host itself."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return _known_host(host)[0] or host


def _known_host(host):
    parts = host.split(".")
    for start in range(len(parts) - 1):
        known = _KNOWN_HOSTS.get(".".join(parts[start:]))
        if known:
            return known
    return "", ""


@dataclass
class _Link:
    start: int  # index of link_open in the line's tokens
    end: int  # index of link_close
    href: str
    text: str
    line: int
    bare: bool  # an autolink or a bare URL: its text is the URL itself
    kind: str  # "http", "anchor", "badge", "invalid" or "other"


class _Reader:
    """Collects the resources, guidance and skipped items of one section's blocks."""

    def __init__(self):
        self.resources = []
        self.skipped = []
        self._guidance = []  # (part kind "paragraph" or "item", Markdown)

    @property
    def guidance(self):
        text = ""
        previous_kind = None
        for kind, markdown in self._guidance:
            if text:
                text += "\n" if kind == previous_kind == "item" else "\n\n"
            text += markdown
            previous_kind = kind
        return text

    def read_blocks(self, nodes, *, hint):
        for node in nodes:
            if node.type == "paragraph":
                self._read_inline(node.children[0], hint=hint, as_item=False)
            elif node.type in _LIST_TYPES:
                self._read_list(node, hint=hint)
            elif node.type == "blockquote":
                self.read_blocks(node.children, hint=hint)
            elif node.type == "table":
                self._skip_table(node)
            # Code, raw HTML and rules hold neither resources nor guidance.

    def _read_list(self, list_node, *, hint):
        for item in list_node.children:
            paragraphs = [child for child in item.children if child.type == "paragraph"]
            has_sublist = any(child.type in _LIST_TYPES for child in item.children)
            if has_sublist and paragraphs and not any(_links_of(p) for p in paragraphs):
                # "- Books" above a nested list labels the items under it.
                label = " ".join(_plain(p.children[0].token.children) for p in paragraphs)
                for child in item.children:
                    if child.type in _LIST_TYPES:
                        self._read_list(child, hint=_kind_for(label) or hint)
                continue
            for child in item.children:
                if child.type == "paragraph":
                    self._read_inline(child.children[0], hint=hint, as_item=True)
                elif child.type in _LIST_TYPES:
                    self._read_list(child, hint=hint)
                else:
                    self.read_blocks([child], hint=hint)

    def _skip_table(self, table_node):
        for node in table_node.walk():
            if node.type == "inline":
                for link in _find_links(_with_bare_links(node.token.children), node.map[0] + 1):
                    if link.kind == "http":
                        self.skipped.append(
                            Skipped(link.line, f"[{link.text}]({link.href})", "tables are not read")
                        )

    def _read_inline(self, inline_node, *, hint, as_item):
        tokens = _with_bare_links(inline_node.token.children)
        prose = []  # consecutive lines of prose, read together
        for line_tokens, line_number in _split_lines(tokens, inline_node.map[0] + 1):
            links = _find_links(line_tokens, line_number)
            leading = next((link for link in links if link.kind != "badge"), None)
            if leading is not None and _is_leading(line_tokens[: leading.start]):
                self._read_prose(prose, hint=hint, as_item=as_item)
                prose = []
                self._read_link_line(line_tokens, leading, hint=hint)
            elif _plain(line_tokens):
                prose.append((line_tokens, line_number))
        self._read_prose(prose, hint=hint, as_item=as_item)

    def _read_link_line(self, tokens, link, *, hint):
        if link.kind == "anchor":
            return  # A table-of-contents entry.
        if link.kind != "http":
            self._skip_link(link)
            return
        before = _plain(tokens[: link.start])
        label = before.rstrip(":").strip() if before.endswith(":") else ""
        label_kind = _kind_for(label)
        # "Book:" only says the kind; "Deep Learning Book:" is a name (of a book).
        names = bool(label) and not (label_kind and len(label.split()) == 1)
        note = _strip_separator(_plain(tokens[link.end + 1 :]))
        if link.bare:
            title = label if names else _title_from_url(link.href)
        else:
            title = link.text or _title_from_url(link.href)
            if names:
                note = f"{label}: {note}" if note else label
        self._add_resource(link, title=title, note=note, kind=label_kind or hint)

    def _read_prose(self, lines, *, hint, as_item):
        if not lines:
            return
        tokens = []
        for line_tokens, _ in lines:
            if tokens:
                tokens.append(Token("softbreak", "br", 0))
            tokens.extend(line_tokens)
        markdown = _markdown(tokens)
        if markdown:
            if as_item:
                markdown = "- " + markdown.replace("\n", "\n  ")
            self._guidance.append(("item" if as_item else "paragraph", markdown))
        sentence = _plain(tokens)
        for line_tokens, line_number in lines:
            for link in _find_links(line_tokens, line_number):
                if link.kind == "http":
                    title = link.text if not link.bare else _title_from_url(link.href)
                    self._add_resource(link, title=title, note=sentence, kind=hint)
                elif link.kind in {"other", "invalid"}:
                    self._skip_link(link)

    def _add_resource(self, link, *, title, note, kind):
        self.resources.append(
            ParsedResource(
                title=title,
                url=link.href,
                note=note,
                line=link.line,
                kind=kind or _known_host((urlsplit(link.href).hostname or "").lower())[1],
            )
        )

    def _skip_link(self, link):
        reason = "not a valid URL" if link.kind == "invalid" else "not an http(s) link"
        self.skipped.append(Skipped(link.line, f"[{link.text}]({link.href})", reason))


def _with_bare_links(tokens):
    """The inline tokens with bare URLs ("https://...", "ftp://...") in text turned into links."""
    result = []
    depth = 0
    for token in tokens:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
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
                    Token("link_open", "a", 1, attrs={"href": _parser.normalizeLink(url)}),
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


def _split_lines(tokens, first_line):
    """(tokens, line number) for each line; a break inside a link text does not end a line."""
    lines = []
    current = []
    line_number = start = first_line
    depth = 0
    for token in tokens:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
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


def _find_links(tokens, line_number):
    links = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != "link_open":
            index += 1
            continue
        end = index + 1
        depth = 1
        while end < len(tokens):
            depth += {"link_open": 1, "link_close": -1}.get(tokens[end].type, 0)
            if depth == 0:
                break
            end += 1
        inner = tokens[index + 1 : end]
        href = token.attrGet("href") or ""
        links.append(
            _Link(
                start=index,
                end=end,
                href=href,
                text=_plain(inner),
                line=line_number,
                bare=token.markup in {"autolink", "bare"},
                kind=_link_kind(href, inner),
            )
        )
        index = end + 1
    return links


def _links_of(paragraph):
    inline = paragraph.children[0]
    tokens = _with_bare_links(inline.token.children)
    return [link for link in _find_links(tokens, 0) if link.kind not in {"badge", "anchor"}]


def _link_kind(href, inner):
    if any(t.type == "image" for t in inner) and not _plain(inner):
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


def _is_leading(tokens):
    """True when nothing but markup, images or a short label comes before a line's link."""
    before = _plain(tokens)
    if not any(character.isalnum() for character in before):
        return True
    label = before.removesuffix(":")
    return (
        before.endswith(":")
        and len(label.split()) <= 5
        and not any(mark in label for mark in ".;!?")
    )


def _plain(tokens):
    """The text a reader sees: markup dropped, links reduced to their text, spaces collapsed."""
    parts = []
    for token in tokens:
        if token.type in {"text", "text_special", "code_inline"}:
            parts.append(token.content)
        elif token.type in _BREAKS:
            parts.append(" ")
    return " ".join("".join(parts).split())


def _markdown(tokens):
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


def _strip_separator(text):
    """A note without the dash or colon that separates it from the link before it."""
    text = text.strip()
    while text and text[0] in _SEPARATORS:
        text = text[1:].lstrip()
    return text


def _title_from_url(url):
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return mdurl.decode(f"{host}{parts.path}".rstrip("/"))[:TITLE_MAX_LENGTH]


def _join_guidance(parts):
    return "\n\n".join(part for part in parts if part)


def _merge_same_topics(topics):
    """Two headings with the same text are one topic."""
    merged = {}
    for topic in topics:
        key = topic.title.casefold()
        if key in merged:
            first = merged[key]
            first.resources.extend(topic.resources)
            first.guidance = _join_guidance([first.guidance, topic.guidance])
        else:
            merged[key] = topic
    return list(merged.values())


def _drop_repeated_urls(topics):
    first_lines = {}
    skipped = []
    for topic in topics:
        kept = []
        for resource in topic.resources:
            if resource.url in first_lines:
                skipped.append(
                    Skipped(
                        resource.line,
                        f"[{resource.title}]({resource.url})",
                        f"already listed on line {first_lines[resource.url]}",
                    )
                )
                continue
            first_lines[resource.url] = resource.line
            kept.append(resource)
        topic.resources = kept
    return skipped


def _check_lengths(awesome_list):
    for topic in awesome_list.topics:
        if len(topic.title) > TOPIC_TITLE_MAX_LENGTH:
            raise AwesomeListError(
                f"the heading is longer than {TOPIC_TITLE_MAX_LENGTH} characters.",
                source=awesome_list.source,
                line=topic.line,
            )
        for resource in topic.resources:
            if len(resource.url) > URL_MAX_LENGTH:
                raise AwesomeListError(
                    f"the URL is longer than {URL_MAX_LENGTH} characters.",
                    source=awesome_list.source,
                    line=resource.line,
                )
            if len(resource.title) > TITLE_MAX_LENGTH:
                raise AwesomeListError(
                    f"the link text is longer than {TITLE_MAX_LENGTH} characters.",
                    source=awesome_list.source,
                    line=resource.line,
                )


def _no_links_message(awesome_list):
    message = (
        "no links to import: expected links such as [Title](https://example.org) under a heading"
    )
    skipped_links = [s for s in awesome_list.skipped if "](" in s.text]
    if skipped_links:
        first = min(skipped_links, key=lambda s: s.line)
        return f"{message}; the first link, on line {first.line}, was skipped ({first.reason})."
    return f"{message}."


# Applying


@dataclass(frozen=True)
class Change:
    """One topic or resource the import created, updated or left unchanged."""

    model: str  # "topic" or "resource"
    title: str
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    created: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Resources of the imported topics that the file does not list; they are left as they are.
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def count(self, action, model):
        return sum(change.model == model for change in getattr(self, action))

    def summary(self):
        counts = "; ".join(
            f"{model}s: {self.count('created', model)} {self._verb('created')}, "
            f"{self.count('updated', model)} {self._verb('updated')}, "
            f"{self.count('unchanged', model)} unchanged"
            for model in ["topic", "resource"]
        )
        prefix = (
            f"Dry run of {self.source}, nothing was written. "
            if self.dry_run
            else f"Imported {self.source}. "
        )
        return f"{prefix}{counts.capitalize()}; {len(self.skipped)} skipped."

    def details(self, *, verbose=False):
        """One line per created, updated (and, when verbose, unchanged) item and skipped line."""
        lines = [f"{self._verb('created')} {c.model} “{c.title}”" for c in self.created]
        lines += [
            f"{self._verb('updated')} {c.model} “{c.title}” ({', '.join(c.fields)})"
            for c in self.updated
        ]
        if verbose:
            lines += [f"unchanged {c.model} “{c.title}”" for c in self.unchanged]
        lines += [f"skipped {skipped}" for skipped in self.skipped]
        lines += [f"not in the file, left as it is: resource “{t}”" for t in self.not_in_file]
        return [line[0].upper() + line[1:] for line in lines]

    def _verb(self, action):
        if not self.dry_run or action == "unchanged":
            return action
        return {"created": "to create", "updated": "to update"}[action]


def import_awesome_list(awesome_list, *, publish_new=True, dry_run=False):
    """Create or update the list's topics and resources in one transaction; return a report.

    Topics are matched by title, then by slug; resources by URL. The file decides titles,
    notes, guidance, topics and order. Provider, kind, level and publication are set only on
    new resources: curators own them afterwards. Nothing is deleted. With dry_run, everything is
    rolled back and the report says what would have changed.
    """
    report = ImportReport(
        source=awesome_list.source, dry_run=dry_run, skipped=list(awesome_list.skipped)
    )
    with transaction.atomic():
        topics = _match_topics(awesome_list.topics)
        positions = plan_positions([t.position if t else None for t in topics])
        for parsed, topic, position in zip(awesome_list.topics, topics, positions, strict=True):
            topic = _save(
                report,
                Topic,
                topic,
                {"title": parsed.title, "guidance": parsed.guidance, "position": position},
                new=lambda parsed=parsed: {"slug": _unique_slug(Topic, parsed.title, "topic")},
            )
            _import_resources(report, topic, parsed.resources, publish_new=publish_new)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _match_topics(parsed_topics):
    matched = []
    claimed = set()
    for parsed in parsed_topics:
        candidates = Topic.objects.exclude(pk__in=claimed).order_by("pk")
        topic = candidates.filter(title__iexact=parsed.title).first()
        slug = slugify(parsed.title)
        if topic is None and slug:
            topic = candidates.filter(slug=slug).first()
        if topic is not None:
            claimed.add(topic.pk)
        matched.append(topic)
    return matched


def _import_resources(report, topic, parsed_resources, *, publish_new):
    urls = {}
    for parsed in parsed_resources:
        # Match what the file says, and the same URL written without percent-encoding.
        urls[parsed.url] = parsed
        urls.setdefault(mdurl.decode(parsed.url), parsed)
    existing = {}
    for resource in Resource.objects.filter(url__in=list(urls)):
        existing[urls[resource.url].url] = resource
    resources = [existing.get(parsed.url) for parsed in parsed_resources]
    positions = plan_positions(
        [r.position if r is not None and r.topic_id == topic.pk else None for r in resources]
    )
    for parsed, resource, position in zip(parsed_resources, resources, positions, strict=True):
        _save(
            report,
            Resource,
            resource,
            {
                "title": parsed.title,
                "note": parsed.note,
                "topic_id": topic.pk,
                "position": position,
            },
            new=lambda parsed=parsed: {
                "url": parsed.url,
                "slug": _unique_slug(Resource, parsed.title, "resource"),
                "provider": guess_provider(parsed.url)[:PROVIDER_MAX_LENGTH],
                "kind": parsed.kind or Resource.Kind.OTHER,
                "is_published": publish_new,
            },
        )
    listed = [r.pk for r in resources if r is not None]
    report.not_in_file.extend(
        topic.resources.exclude(pk__in=listed)
        .exclude(url__in=[p.url for p in parsed_resources])
        .order_by("position", "title", "pk")
        .values_list("title", flat=True)
    )


def _save(report, model, instance, values, *, new):
    """Create (with the extra values `new()` returns) or update an instance; note it in report."""
    model_name = model._meta.model_name
    if instance is None:
        instance = model.objects.create(**values, **new())
        report.created.append(Change(model_name, instance.title))
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
        fields = tuple(name.removesuffix("_id") for name in changed)
        report.updated.append(Change(model_name, instance.title, fields))
    else:
        report.unchanged.append(Change(model_name, instance.title))
    return instance


def _unique_slug(model, title, fallback):
    max_length = model._meta.get_field("slug").max_length
    base = slugify(title)[:max_length].strip("-") or fallback
    slug = base
    number = 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return slug


def plan_positions(current, *, step=10):
    """Positions for items in the file's order, given each one's current position (None if new).

    Current positions are kept when they already follow the file's order, so re-importing
    changes nothing and gaps a curator left stay; new items fit between their neighbours. When
    the order changed, or a new item does not fit, the items are renumbered step, 2 × step, ...
    """
    known = [position for position in current if position is not None]
    renumbered = [step * (index + 1) for index in range(len(current))]
    if any(a >= b for a, b in itertools.pairwise(known)):
        return renumbered
    planned = list(current)
    index = 0
    while index < len(planned):
        if planned[index] is not None:
            index += 1
            continue
        end = index
        while end < len(planned) and planned[end] is None:
            end += 1
        low = planned[index - 1] if index else 0
        high = planned[end] if end < len(planned) else None
        gap = step if high is None else (high - low) // (end - index + 1)
        if gap < 1:
            return renumbered
        for offset in range(end - index):
            planned[index + offset] = low + gap * (offset + 1)
        index = end
    return planned


# Writing


def render_awesome_list(*, title=DEFAULT_EXPORT_TITLE, description=DEFAULT_EXPORT_DESCRIPTION):
    """The catalog as awesome-list Markdown: every topic, its published resources, the degrees."""
    topics = list(
        Topic.objects.order_by("position", "title", "pk").prefetch_related(
            Prefetch(
                "resources",
                queryset=Resource.objects.published().order_by("position", "title", "pk"),
            )
        )
    )
    degrees = list(
        Degree.objects.order_by("rank").prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.select_related(
                    "resource", "topic", "milestone"
                ).order_by("position", "pk"),
            )
        )
    )
    anchors = {}
    lines = [f"# {_escape(title)}", "", _escape(description), "", "## Contents", ""]
    for topic in topics:
        lines.append(f"- [{_escape(topic.title)}](#{_anchor(topic.title, anchors)})")
    if degrees:
        lines.append(f"- [{DEGREES_HEADING}](#{_anchor(DEGREES_HEADING, anchors)})")
    for topic in topics:
        lines += ["", f"## {_escape(topic.title)}"]
        if topic.guidance.strip():
            lines += ["", topic.guidance.strip()]
        if topic.resources.all():
            lines.append("")
            lines += [_bullet(resource) for resource in topic.resources.all()]
    if degrees:
        lines += ["", f"## {DEGREES_HEADING}"]
        for degree in degrees:
            lines += ["", f"### {_escape(degree.title)}"]
            if degree.summary:
                lines += ["", _escape(degree.summary)]
            if degree.description.strip():
                lines += ["", degree.description.strip()]
            requirements = degree.requirements.all()
            if requirements:
                lines += ["", "Requirements:", ""]
                lines += [f"- {_escape(r.describe())}" for r in requirements]
    return "\n".join(lines) + "\n"


def _bullet(resource):
    url = resource.url
    if any(character in url for character in " ()<>"):
        url = f"<{url}>"
    bullet = f"- [{_escape(resource.title)}]({url})"
    note = " ".join(resource.note.split())
    return f"{bullet} - {_escape(note)}" if note else bullet


def _escape(text):
    """Plain text made safe to put in Markdown: it reads back as the same text."""
    return re.sub(r"([\\`*_\[\]<>&#])", r"\\\1", " ".join(text.split()))


def _anchor(heading, used):
    """The anchor GitHub gives a heading, numbered when the same heading comes again."""
    base = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
    count = used.get(base, 0)
    used[base] = count + 1
    return f"{base}-{count}" if count else base

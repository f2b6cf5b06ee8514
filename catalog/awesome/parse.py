"""Parsing: awesome-list Markdown into an AwesomeList, the plan an import applies. Pure: it
reads no database (model fields give only the lengths to check).

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

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import mdurl
from markdown_it.tree import SyntaxTreeNode

from catalog.awesome.base import (
    DEGREES_HEADING,
    RESOURCE_DETAIL_LABELS,
    AwesomeList,
    AwesomeListError,
    ParsedResource,
    ParsedTopic,
    Skipped,
)
from catalog.awesome.guess import guess_kind, kind_named
from catalog.awesome.inline import (
    find_links,
    is_leading,
    line_break,
    links_of,
    markdown_parser,
    markdown_text,
    plain_text,
    split_lines,
    strip_separator,
    with_bare_links,
)
from catalog.models import Resource, Topic

_LIST_TYPES = {"bullet_list", "ordered_list"}

TITLE_MAX_LENGTH = Resource._meta.get_field("title").max_length
URL_MAX_LENGTH = Resource._meta.get_field("url").max_length
TOPIC_TITLE_MAX_LENGTH = Topic._meta.get_field("title").max_length
PEOPLE_MAX_LENGTH = Resource._meta.get_field("people").max_length
KEYWORDS_MAX_LENGTH = Resource._meta.get_field("keywords").max_length


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
    root = SyntaxTreeNode(markdown_parser.parse(text))
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
        owner_hint = kind_named(owner.title) if owner is not None else ""
        reader.read_blocks(section.blocks, hint=kind_named(section.title) or owner_hint)
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
            sections.append(_Section(plain_text(inline), int(node.tag[1:]), node.map[0] + 1))
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

    def _read_list(self, list_node, *, hint, resource=None):
        """Read a list's items; under a resource's bullet, "People:" and "Keywords:" items are
        that resource's."""
        for item in list_node.children:
            if resource is not None and self._read_resource_detail(item, resource):
                continue
            paragraphs = [child for child in item.children if child.type == "paragraph"]
            has_sublist = any(child.type in _LIST_TYPES for child in item.children)
            if has_sublist and paragraphs and not any(links_of(p) for p in paragraphs):
                # "- Books" above a nested list labels the items under it.
                label = " ".join(plain_text(p.children[0].token.children) for p in paragraphs)
                for child in item.children:
                    if child.type in _LIST_TYPES:
                        self._read_list(child, hint=kind_named(label) or hint)
                continue
            resources_before = len(self.resources)
            for child in item.children:
                if child.type == "paragraph":
                    self._read_inline(child.children[0], hint=hint, as_item=True)
                elif child.type in _LIST_TYPES:
                    owner = self.resources[-1] if len(self.resources) > resources_before else None
                    self._read_list(child, hint=hint, resource=owner)
                else:
                    self.read_blocks([child], hint=hint)

    @staticmethod
    def _read_resource_detail(item, resource):
        """Set the resource's people or keywords from an item such as "People: Gilbert Strang";
        False if the item is anything else."""
        if [child.type for child in item.children] != ["paragraph"]:
            return False
        paragraph = item.children[0]
        if links_of(paragraph):
            return False
        label, colon, value = plain_text(paragraph.children[0].token.children).partition(":")
        names = {label.lower(): name for name, label in RESOURCE_DETAIL_LABELS.items()}
        if not colon or label.strip().lower() not in names:
            return False
        setattr(resource, names[label.strip().lower()], value.strip())
        return True

    def _skip_table(self, table_node):
        for node in table_node.walk():
            if node.type == "inline":
                for link in find_links(with_bare_links(node.token.children), node.map[0] + 1):
                    if link.kind == "http":
                        self.skipped.append(
                            Skipped(link.line, f"[{link.text}]({link.href})", "tables are not read")
                        )

    def _read_inline(self, inline_node, *, hint, as_item):
        tokens = with_bare_links(inline_node.token.children)
        prose = []  # consecutive lines of prose, read together
        for line_tokens, line_number in split_lines(tokens, inline_node.map[0] + 1):
            links = find_links(line_tokens, line_number)
            leading = next((link for link in links if link.kind != "badge"), None)
            if leading is not None and is_leading(line_tokens[: leading.start]):
                self._read_prose(prose, hint=hint, as_item=as_item)
                prose = []
                self._read_link_line(line_tokens, leading, hint=hint)
            elif plain_text(line_tokens):
                prose.append((line_tokens, line_number))
        self._read_prose(prose, hint=hint, as_item=as_item)

    def _read_link_line(self, tokens, link, *, hint):
        if link.kind == "anchor":
            return  # A table-of-contents entry.
        if link.kind != "http":
            self._skip_link(link)
            return
        before = plain_text(tokens[: link.start])
        label = before.rstrip(":").strip() if before.endswith(":") else ""
        label_kind = kind_named(label)
        # "Book:" only says the kind; "Deep Learning Book:" is a name (of a book).
        names = bool(label) and not (label_kind and len(label.split()) == 1)
        note = strip_separator(plain_text(tokens[link.end + 1 :]))
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
                tokens.append(line_break())
            tokens.extend(line_tokens)
        markdown = markdown_text(tokens)
        if markdown:
            if as_item:
                markdown = "- " + markdown.replace("\n", "\n  ")
            self._guidance.append(("item" if as_item else "paragraph", markdown))
        sentence = plain_text(tokens)
        for line_tokens, line_number in lines:
            for link in find_links(line_tokens, line_number):
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
                kind=kind or guess_kind(link.href),
            )
        )

    def _skip_link(self, link):
        reason = "not a valid URL" if link.kind == "invalid" else "not an http(s) link"
        self.skipped.append(Skipped(link.line, f"[{link.text}]({link.href})", reason))


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
    """Refuse a heading, URL or link text too long for its field, naming its line."""
    values = []
    for topic in awesome_list.topics:
        values.append((topic.line, "the heading", topic.title, TOPIC_TITLE_MAX_LENGTH))
        for resource in topic.resources:
            values.append((resource.line, "the URL", resource.url, URL_MAX_LENGTH))
            values.append((resource.line, "the link text", resource.title, TITLE_MAX_LENGTH))
            for name, label, max_length in [
                ("people", "People", PEOPLE_MAX_LENGTH),
                ("keywords", "Keywords", KEYWORDS_MAX_LENGTH),
            ]:
                value = getattr(resource, name) or ""
                values.append((resource.line, f"its “{label}:” line", value, max_length))
    for line, what, value, max_length in values:
        if len(value) > max_length:
            raise AwesomeListError(
                f"{what} is longer than {max_length} characters.",
                source=awesome_list.source,
                line=line,
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


def _title_from_url(url):
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return mdurl.decode(f"{host}{parts.path}".rstrip("/"))[:TITLE_MAX_LENGTH]

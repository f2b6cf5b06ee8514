"""Parsing: awesome-list Markdown into an AwesomeList, the plan an import applies. Pure: it
reads no database (model fields give only the lengths to check).

The rules, in the order a reader meets them:

- The first heading is the list's title when it is shallower than every other heading; the
  text before the first topic heading is the introduction. Neither is a topic.
- Each other heading is a topic, except contents, licence, contribution and degrees sections
  (skipped with everything under them), a heading that only groups sub-headings (its
  sub-headings are the topics), and a heading under a topic (folded into that topic). A
  heading over sub-headings that only name a kind ("### Books", "### Videos") is a topic:
  they are folded into it.
- A line that starts with a link is a resource: the link text is its title and the rest of
  the line its note. A label before a bare URL ("Book: https://...") names the resource. A
  link inside a sentence is a resource too, and the whole sentence is its note.
- Lines without a leading link are the topic's guidance (Markdown, links reduced to text).
- Only http(s) links are resources. Parsing never fails on what a real list holds: everything
  else is skipped and reported with its line and why (`SkipKind`): relative links, links
  within the page, other schemes, badges and images, bullets without a URL among linked ones,
  a URL listed before (the same work: `canonical_url`), text too long for its field, undefined
  reference links, links in tables, raw HTML and HTML comments. Only a file with nothing to
  import (empty, not UTF-8, no http(s) link under a heading) is an error.
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
    SkipKind,
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
from catalog.canonical import canonical_url
from catalog.models import Resource, Topic

_LIST_TYPES = {"bullet_list", "ordered_list"}

TITLE_MAX_LENGTH = Resource._meta.get_field("title").max_length
URL_MAX_LENGTH = Resource._meta.get_field("url").max_length
TOPIC_TITLE_MAX_LENGTH = Topic._meta.get_field("title").max_length
PEOPLE_MAX_LENGTH = Resource._meta.get_field("people").max_length
KEYWORDS_MAX_LENGTH = Resource._meta.get_field("keywords").max_length
# The words before a kind in a heading that only names a kind ("Free books", "Video courses").
_KIND_QUALIFIERS = [[word] for word in ("free", "online", "video", "more", "other", "further")]
# How much of a skipped heading, link or line the report shows.
SHOWN_MAX_LENGTH = 80

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# The http(s) URLs in raw HTML: Markdown links (not read inside HTML), href and src attributes,
# bare URLs; the alternatives in that order, so that a URL is found once.
_URL_IN_HTML = re.compile(
    r"\[(?P<text>[^\]\n]*)\]\((?P<link>https?://[^)\s]+)\)"
    r"|\b(?P<attribute>href|src)\s*=\s*[\"']?(?P<attribute_url>https?://[^\"'\s>]+)"
    r"|(?P<bare>https?://[^\s<>\"'()\[\]]+)",
    re.IGNORECASE,
)
# "[text][label]" or "[text][]" left as text: a reference link whose definition is missing.
_UNDEFINED_REFERENCE = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")


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
    intro, sections, skipped = _split_sections(root.children)

    title = ""
    if len(sections) > 1 and sections[0].level < min(s.level for s in sections[1:]):
        title = sections[0].title
        intro.blocks.extend(sections.pop(0).blocks)

    intro_reader = _Reader(in_topic=False)
    intro_reader.read_blocks(intro.blocks, hint="")
    skipped.extend(intro_reader.skipped)
    skipped.extend(
        Skipped(
            r.line,
            _shown_link(r.title, r.url),
            "before the first heading, not in a topic",
            SkipKind.OUTSIDE_TOPIC,
        )
        for r in intro_reader.resources
    )

    topics = []
    skipped_sections = []
    # Open headings above the current one: (section, role, topic or skipped section) with role
    # one of "topic", "folded" (part of the topic above), "group" (only groups sub-headings) or
    # "skipped".
    open_headings = []
    for index, section in enumerate(sections):
        while open_headings and open_headings[-1][0].level >= section.level:
            open_headings.pop()
        roles = [role for _, role, _ in open_headings]
        owner = next((t for _, role, t in reversed(open_headings) if role == "topic"), None)
        if "skipped" in roles:
            # Part of the skipped section above it: its links count there.
            skipped_section = next(s for _, role, s in open_headings if role == "skipped")
            skipped_section.links += _http_links_in(section)
            open_headings.append((section, "skipped", skipped_section))
            continue
        skipped_section = _skipped_section(section)
        if skipped_section is not None:
            skipped_sections.append(skipped_section)
            open_headings.append((section, "skipped", skipped_section))
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
        subheadings = _subheadings(sections, index)
        # "## Calculus" over "### Books" and "### Videos" is a topic; its sub-headings sort its
        # resources by kind. Were it a group, every subject's "Books" would be one topic.
        if (
            reader.resources
            or not subheadings
            or any(_names_a_kind(subheading.title) for subheading in subheadings)
        ):
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
                        f"text under “{_shortened(section.title)}”",
                        "the heading only groups sub-headings; its sub-headings are the topics",
                        SkipKind.OUTSIDE_TOPIC,
                    )
                )
            open_headings.append((section, "group", None))

    skipped.extend(section.skipped() for section in skipped_sections)
    topics = _merge_same_topics(topics)
    topics = _drop_overlong(topics, skipped)
    skipped.extend(_drop_repeated_urls(topics))
    skipped.sort(key=lambda s: s.line)
    awesome_list = AwesomeList(source=source, title=title, topics=topics, skipped=skipped)
    if not awesome_list.resources:
        raise AwesomeListError(_no_links_message(awesome_list), source=source)
    return awesome_list


@dataclass
class _Section:
    title: str
    level: int
    line: int
    blocks: list = field(default_factory=list)


def _subheadings(sections, index):
    """The sections directly under sections[index] (the shallowest of those below it)."""
    below = []
    for following in range(index + 1, len(sections)):
        if sections[following].level <= sections[index].level:
            break
        below.append(sections[following])
    level = min((section.level for section in below), default=None)
    return [section for section in below if section.level == level]


def _names_a_kind(title):
    """True for a heading that only says a kind of resource: "Books", "Free videos" (not
    "Optimisation software", which says what it is about)."""
    words = re.findall(r"[a-z]+", title.lower())
    return bool(kind_named(title)) and (len(words) == 1 or words[:-1] in _KIND_QUALIFIERS)


def _split_sections(nodes):
    """The introduction, the sections, and the badges and images of the headings, skipped."""
    intro = _Section("", 0, 1)
    sections = []
    skipped = []
    for node in nodes:
        if node.type == "heading":
            inline = node.children[0].token.children if node.children else []
            sections.append(_Section(plain_text(inline), int(node.tag[1:]), node.map[0] + 1))
            skipped.extend(_skipped_images(inline, node.map[0] + 1))
        elif sections:
            sections[-1].blocks.append(node)
        else:
            intro.blocks.append(node)
    return intro, sections, skipped


@dataclass
class _SkippedSection:
    """A section that is not a topic, with the http(s) links under it (its sub-sections' too)."""

    section: _Section
    reason: str
    kind: SkipKind
    links: int = 0

    def skipped(self):
        reason = self.reason
        if self.links:
            links = "1 link" if self.links == 1 else f"{self.links} links"
            reason += f"; {links} under it not imported"
        text = _shortened(self.section.title) or "(empty heading)"
        return Skipped(self.section.line, text, reason, self.kind)


def _skipped_section(section):
    """The section as a _SkippedSection if it is not a topic (contents, licence, ...)."""
    if not section.title:
        reason = "a heading without text: its section is not imported"
        kind = SkipKind.OUTSIDE_TOPIC
    elif what := _skipped_section_reason(section.title):
        reason, kind = f"not a learning-resource section: {what}", SkipKind.SECTION
    else:
        return None
    return _SkippedSection(section, reason, kind, links=_http_links_in(section))


def _http_links_in(section):
    reader = _Reader()
    reader.read_blocks(section.blocks, hint="")
    return len(reader.resources)


def _skipped_section_reason(title):
    words = re.findall(r"[a-z]+", title.lower())
    text = " ".join(words)
    if text in {"contents", "table of contents", "toc", "index"}:
        return "table of contents"
    if words and words[0] in {"license", "licence", "licensing", "licenses", "licences"}:
        return "licence"
    if (words and words[0].startswith("contribut")) or text in {
        "how to contribute",
        "code of conduct",
        "maintainers",
        "authors",
    }:
        return "contributing"
    if text in {"acknowledgements", "acknowledgments", "credits", "sponsors", "backers"}:
        return "acknowledgements"
    if text in {"changelog", "footnotes", "star history"}:
        return "about the list itself"
    if text == DEGREES_HEADING.lower():
        return "degrees, which are edited in the admin"
    return ""


class _Reader:
    """Collects the resources, guidance and skipped items of one section's blocks (`in_topic`:
    false for the introduction, whose prose is nobody's guidance)."""

    def __init__(self, *, in_topic=True):
        self.in_topic = in_topic
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
            elif node.type == "html_block":
                self._skip_html(node.content, node.map[0] + 1)
            # Code and rules hold neither resources nor guidance.

    def _read_list(self, list_node, *, hint, resource=None):
        """Read a list's items; under a resource's bullet, "People:" and "Keywords:" items are
        that resource's."""
        # Items without any link, among items that are resources: entries without a URL.
        without_links = []
        any_resource = False
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
            skipped_before = len(self.skipped)
            for child in item.children:
                if child.type == "paragraph":
                    self._read_inline(child.children[0], hint=hint, as_item=True)
                elif child.type in _LIST_TYPES:
                    owner = self.resources[-1] if len(self.resources) > resources_before else None
                    self._read_list(child, hint=hint, resource=owner)
                else:
                    self.read_blocks([child], hint=hint)
            if len(self.resources) > resources_before:
                any_resource = True
            elif (
                paragraphs
                and not has_sublist
                and len(self.skipped) == skipped_before
                and not any(_has_links(paragraph) for paragraph in paragraphs)
            ):
                without_links.append((item, paragraphs))
        if any_resource:
            where = "its text stays in the topic's guidance" if self.in_topic else "not in a topic"
            for item, paragraphs in without_links:
                text = " ".join(plain_text(p.children[0].token.children) for p in paragraphs)
                self.skipped.append(
                    Skipped(
                        item.map[0] + 1,
                        _shortened(text),
                        f"no URL: an entry needs an http(s) link to be a resource; {where}",
                        SkipKind.NO_URL,
                    )
                )

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
                            Skipped(
                                link.line,
                                _shown_link(link.text, link.href),
                                "in a table: tables are not read",
                                SkipKind.NOT_READ,
                            )
                        )

    def _skip_html(self, content, first_line):
        """Report the http(s) URLs in raw HTML (not read) or an HTML comment (not shown)."""
        comments = [(m.start(), m.end()) for m in _HTML_COMMENT.finditer(content)]
        next_comment, comment_end = 0, -1
        line, counted_to = first_line, 0
        for match in _URL_IN_HTML.finditer(content):
            line += content.count("\n", counted_to, match.start())
            counted_to = match.start()
            # Comments and matches come in order: the last comment begun is the one it may be in.
            while next_comment < len(comments) and comments[next_comment][0] <= match.start():
                comment_end = comments[next_comment][1]
                next_comment += 1
            in_comment = match.start() < comment_end
            if match["link"]:
                text = _shown_link(match["text"], match["link"])
            elif match["attribute"]:
                text = f'{match["attribute"]}="{_shortened(match["attribute_url"])}"'
            else:
                text = _shortened(match["bare"].rstrip(".,;:!?*_"))
            if in_comment:
                reason = "in an HTML comment, which readers of the list do not see"
                kind = SkipKind.HTML_COMMENT
            elif (match["attribute"] or "").lower() == "src":
                reason, kind = "an image in raw HTML, not a resource", SkipKind.IMAGE
            else:
                reason = "in raw HTML, which is not read: write it as a Markdown link"
                kind = SkipKind.NOT_READ
            self.skipped.append(Skipped(line, text, reason, kind))

    def _read_inline(self, inline_node, *, hint, as_item):
        tokens = with_bare_links(inline_node.token.children)
        prose = []  # consecutive lines of prose, read together
        for line_tokens, line_number in split_lines(tokens, inline_node.map[0] + 1):
            self._skip_what_is_not_a_link(line_tokens, line_number)
            links = find_links(line_tokens, line_number)
            leading = next((link for link in links if link.kind != "badge"), None)
            if leading is not None and is_leading(line_tokens[: leading.start]):
                self._read_prose(prose, hint=hint, as_item=as_item)
                prose = []
                self._read_link_line(line_tokens, leading, hint=hint)
            elif plain_text(line_tokens):
                prose.append((line_tokens, line_number))
        self._read_prose(prose, hint=hint, as_item=as_item)

    def _skip_what_is_not_a_link(self, tokens, line_number):
        """Report a line's badges and images, its inline HTML, and its reference links whose
        definition is missing (left as text)."""
        self.skipped.extend(_skipped_images(tokens, line_number))
        line = line_number
        for token in tokens:
            if token.type == "html_inline":
                self._skip_html(token.content, line)
                line += token.content.count("\n")  # a comment may span lines
        for match in _UNDEFINED_REFERENCE.finditer(plain_text(tokens)):
            label = match[2] or match[1]
            self.skipped.append(
                Skipped(
                    line_number,
                    _shortened(match[0]),
                    f"undefined reference: no “[{label}]: URL” line defines its link",
                    SkipKind.UNDEFINED_REFERENCE,
                )
            )

    def _read_link_line(self, tokens, link, *, hint):
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
                elif link.kind != "badge":  # Badges are reported with the line's images.
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
        scheme = urlsplit(link.href).scheme.lower() if link.kind == "other" else ""
        if link.kind == "anchor":
            reason = "a link within the page (a table of contents, back to top), not a resource"
            kind = SkipKind.ANCHOR
        elif link.kind == "invalid":
            reason, kind = "not a valid URL", SkipKind.INVALID_URL
        elif scheme:
            reason = f"unsupported scheme “{scheme}:”, only http(s) links are resources"
            kind = SkipKind.UNSUPPORTED_SCHEME
        else:
            reason = "relative link: a file or page beside the list, not a web address"
            kind = SkipKind.RELATIVE_LINK
        self.skipped.append(Skipped(link.line, _shown_link(link.text, link.href), reason, kind))


def _has_links(paragraph):
    """True when a paragraph has a link of any kind (an anchor, a badge, a bare URL too)."""
    return bool(find_links(with_bare_links(paragraph.children[0].token.children), 0))


def _skipped_images(tokens, line_number):
    """A line's badges (images that are a link's whole text) and images outside links."""
    if not any(token.type == "image" for token in tokens):
        return []
    badges = [(link.start, link.end) for link in find_links(tokens, 0) if link.kind == "badge"]
    skipped = []
    depth = 0
    for index, token in enumerate(tokens):
        depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
        in_badge = any(start < index < end for start, end in badges)
        if token.type == "image" and (depth == 0 or in_badge):
            reason = "a badge, not a resource" if in_badge else "an image, not a resource"
            shown = f"![{_shortened(token.content)}]({_shortened(token.attrGet('src') or '')})"
            skipped.append(Skipped(line_number, shown, reason, SkipKind.IMAGE))
    return skipped


def _shortened(text, max_length=SHOWN_MAX_LENGTH):
    """Text as the report shows it: at most `max_length` characters."""
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


def _shown_link(text, url):
    return f"[{_shortened(text)}]({_shortened(url)})"


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
    """Keep the first entry of each work (URLs that differ only in `canonical_url`'s ways, such
    as `www.`, a trailing slash or tracking parameters, are one work); skip the others."""
    first = {}
    skipped = []
    for topic in topics:
        kept = []
        for resource in topic.resources:
            work = canonical_url(resource.url)
            if work in first:
                skipped.append(
                    Skipped(
                        resource.line,
                        _shown_link(resource.title, resource.url),
                        f"duplicate of “{_shortened(first[work].title)}” on line "
                        f"{first[work].line} (same work)",
                        SkipKind.DUPLICATE,
                    )
                )
                continue
            first[work] = resource
            kept.append(resource)
        topic.resources = kept
    return skipped


def _drop_overlong(topics, skipped):
    """The topics without what is too long for its field, each reported: a heading (with its
    links), a link's URL or text (the link), a "People:" or "Keywords:" line (the line)."""
    kept_topics = []
    for topic in topics:
        if len(topic.title) > TOPIC_TITLE_MAX_LENGTH:
            count = len(topic.resources)
            links = {0: "", 1: "; its link is not imported"}.get(
                count, f"; its {count} links are not imported"
            )
            skipped.append(
                Skipped(
                    topic.line,
                    _shortened(topic.title),
                    f"too long: the heading is longer than {TOPIC_TITLE_MAX_LENGTH} characters"
                    + links,
                    SkipKind.TOO_LONG,
                )
            )
            continue
        kept = []
        for resource in topic.resources:
            for what, value, max_length in [
                ("the URL", resource.url, URL_MAX_LENGTH),
                ("the link text", resource.title, TITLE_MAX_LENGTH),
            ]:
                if len(value) > max_length:
                    skipped.append(
                        Skipped(
                            resource.line,
                            _shown_link(resource.title, resource.url),
                            f"too long: {what} is longer than {max_length} characters",
                            SkipKind.TOO_LONG,
                        )
                    )
                    break
            else:
                kept.append(resource)
                skipped.extend(_drop_overlong_details(resource))
        topic.resources = kept
        kept_topics.append(topic)
    return kept_topics


def _drop_overlong_details(resource):
    skipped = []
    for name, max_length in [("people", PEOPLE_MAX_LENGTH), ("keywords", KEYWORDS_MAX_LENGTH)]:
        value = getattr(resource, name)
        if value is not None and len(value) > max_length:
            label = RESOURCE_DETAIL_LABELS[name]
            setattr(resource, name, None)  # As if the file did not say: the resource's own stay.
            skipped.append(
                Skipped(
                    resource.line,
                    _shortened(f"{label}: {value}"),
                    f"too long: its “{label}:” line is longer than {max_length} characters; "
                    "the resource is imported without it",
                    SkipKind.TOO_LONG,
                )
            )
    return skipped


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

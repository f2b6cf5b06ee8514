"""Template helpers for catalog pages: safe Markdown and search highlights."""

import hashlib
import html

import nh3
from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from catalog import search
from mlmath.caching import LOCAL_TIMEOUT, local_cache

register = template.Library()

# Raw HTML in the source is escaped by markdown-it ("html": False); nh3 is the second fence.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


@register.filter(name="markdown")
def render_markdown(text):
    """Render curator-written Markdown to sanitised HTML; links open safely in a new tab.

    Rendered once per text and process: the key is the text's hash, so an edit is a new key and
    nothing needs invalidating."""
    if not text:
        return ""
    key = "markdown:" + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
    cached = local_cache().get(key)
    if cached is None:
        cached = markdown_to_safe_html(text)
        local_cache().set(key, cached, LOCAL_TIMEOUT)
    return mark_safe(cached)


def markdown_to_safe_html(text):
    html = _markdown.render(text)
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )
    return cleaned


@register.filter(name="highlight")
def highlight_terms(text, terms):
    """The text, escaped, with the words that the search terms matched marked."""
    return search.highlight(text, terms)


@register.filter
def topic_snippet(topic, terms):
    """Where a search matched a resource's topic: an excerpt of its summary or guidance."""
    return search.snippet([topic.summary, topic.guidance, topic.title], terms)


@register.filter
def matched_keywords(resource, terms):
    """The resource's keywords that the search terms matched, highlighted, comma-separated."""
    return search.matched_phrases(resource.keyword_list, terms)


@register.filter
def source_quotes(requirements, description=""):
    """The distinct source sentences behind a degree's requirements, in requirement order,
    but for those its description (Markdown) already quotes.

    Several requirements often come from one sentence of the source list; the degree pages
    quote it once, with the degree, rather than under each requirement, and not at all when
    the degree's description quotes the source paragraph it comes from.
    """
    quoted = _words(html.unescape(strip_tags(render_markdown(description))))
    quotes = dict.fromkeys(r.source_quote for r in requirements if r.source_quote)
    return [quote for quote in quotes if _words(quote) not in quoted]


def _words(text):
    return " ".join(text.split())

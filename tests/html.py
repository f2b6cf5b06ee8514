"""Reading rendered pages as parsed HTML, so tests assert what a reader sees and which elements
are there, not how the markup happens to be spelled (attribute order, quotes, whitespace).

Built on Django's test HTML parser, the one `assertContains(..., html=True)` uses. For one whole
element, prefer `pytest_django.asserts.assertContains(response, "<a ...>...</a>", html=True)`;
these helpers are for "the text of this part of the page" and "the elements inside it".
"""

import re

from django.test.html import Element, parse_html


def parsed(page):
    """A response, or HTML text, as an element tree."""
    if not isinstance(page, (str, Element)):
        page = page.content.decode()
    return parse_html(page) if isinstance(page, str) else page


def elements(page, tag=None, **attributes):
    """Every element (depth first) with this tag and these attribute values; `class_` matches
    one class among several."""
    wanted = {name.rstrip("_"): value for name, value in attributes.items()}

    def matches(element):
        if tag is not None and element.name != tag:
            return False
        present = dict(element.attributes)
        for name, value in wanted.items():
            if name == "class":
                if value not in (present.get("class") or "").split():
                    return False
            elif present.get(name) != value:
                return False
        return True

    found = []
    stack = [parsed(page)]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            continue
        if matches(node):
            found.append(node)
        stack.extend(reversed(node.children))
    return found


def by_id(page, element_id):
    """The element with this id; the test fails if the page has none."""
    found = elements(page, id=element_id)
    assert found, f"no element with id={element_id!r} on the page"
    return found[0]


def text(node):
    """The words a reader sees in a page or element, spaces collapsed."""
    node = parsed(node) if not isinstance(node, (str, Element)) else node
    if isinstance(node, str):
        return node
    words = " ".join(text(child) for child in node.children)
    return re.sub(r" ([.,;:!?)])", r"\1", " ".join(words.split()))


def main_text(response, status=200):
    """The words of a page's <main> region (without the site's header, navigation and footer),
    once the response is known to have answered `status`: words found missing from a 404 or a
    500 page would prove nothing."""
    assert response.status_code == status, f"answered {response.status_code}, not {status}"
    return text(by_id(response, "main"))


def list_items(page, label):
    """The words of each item of the list named `label` (its aria-label), in order."""
    [found] = elements(page, "ul", **{"aria-label": label})
    return [text(item) for item in elements(found, "li")]


def labelled_by(page, heading_id):
    """The element (a section, an article...) that a heading with this id labels."""
    found = elements(page, **{"aria-labelledby": heading_id})
    assert found, f"nothing on the page is labelled by id={heading_id!r}"
    return found[0]


def result_titles(page):
    """The titles of the resource cards on a page or in an element, in order (without their
    hidden "opens in a new tab" and search highlights)."""
    return [
        text(heading).removesuffix(" (opens in a new tab)")
        for heading in elements(page, class_="resource__title")
    ]


def topic_titles(page):
    """The titles of the topics the catalog page lists, in order."""
    return [
        text(heading)
        for heading in elements(page, "h3")
        if (dict(heading.attributes).get("id") or "").startswith("topic-")
    ]

"""A resource's link is kept as written, its identity is its canonical URL: two lists spelling
one work differently list one resource, whose cards open the spelling of the list that listed
it first, and a learner's progress on it is one."""

import pytest

from catalog.awesome import import_awesome_list, read_awesome_list
from catalog.models import Resource
from tests.factories import default_curriculum, make_curriculum, make_resource, make_topic
from tests.html import by_id, elements

pytestmark = pytest.mark.django_db

FIRST_LIST = b"## Linear Algebra\n- [The Book](https://www.example.org/book/) - Read it.\n"
# canonical.py keeps the scheme: http://example.org/book would be another work.
SECOND_LIST = b"## Algebra\n- [The same book](https://Example.org/book?utm_source=x) - Here too.\n"


def import_list(markdown, curriculum, source="list.md"):
    return import_awesome_list(read_awesome_list(markdown, source=source), curriculum=curriculum)


def card_link(response, slug):
    """Where the resource card's title leads."""
    [card] = elements(response, "li", id=f"resource-{slug}")
    [link] = elements(card, "a", target="_blank")
    return dict(link.attributes)["href"]


@pytest.fixture
def one_work_in_two_lists():
    physics = make_curriculum(slug="physics", title="Physics")
    import_list(FIRST_LIST, default_curriculum(), "first.md")
    import_list(SECOND_LIST, physics, "second.md")
    return Resource.objects.get()


def test_two_spellings_in_two_lists_are_one_resource_opening_the_first_spelling(
    client, one_work_in_two_lists
):
    book = one_work_in_two_lists
    assert (book.url, book.canonical_url) == (
        "https://www.example.org/book/",
        "https://example.org/book",
    )
    assert book.listings.count() == 2

    assert card_link(client.get("/topics/linear-algebra/"), book.slug) == (
        "https://www.example.org/book/"
    )
    assert card_link(client.get("/physics/topics/algebra/"), book.slug) == (
        "https://www.example.org/book/"
    )
    assert card_link(client.get("/search/?q=book"), book.slug) == "https://www.example.org/book/"


def test_a_learners_status_on_the_work_shows_in_both_curricula(
    learner_client, one_work_in_two_lists
):
    book = one_work_in_two_lists
    response = learner_client.post(
        f"/progress/resources/{book.slug}/status/", {"status": "completed"}
    )
    assert response.status_code in (200, 302)

    for page in ("/topics/linear-algebra/", "/physics/topics/algebra/"):
        card = by_id(learner_client.get(page), f"resource-{book.slug}")
        assert "resource--completed" in dict(card.attributes)["class"].split(), page


def test_reading_the_first_list_again_restores_a_link_stored_canonical():
    # As every link was stored before links were kept as written.
    book = make_resource(make_topic(title="Linear Algebra"), url="https://example.org/book")
    physics = make_curriculum(slug="physics")
    import_list(SECOND_LIST, physics)

    # Another curriculum's list never respells it, even read again.
    import_list(SECOND_LIST, physics)
    book.refresh_from_db()
    assert book.url == "https://example.org/book"

    report = import_list(FIRST_LIST, default_curriculum())

    book.refresh_from_db()
    assert (book.url, book.canonical_url) == (
        "https://www.example.org/book/",
        "https://example.org/book",
    )
    [change] = [c for c in report.updated if c.model == "resource"]
    assert ("url", "https://example.org/book", "https://www.example.org/book/") in [
        (f.name, f.before, f.after) for f in change.fields
    ]


def test_a_link_a_curator_wrote_stays_when_the_list_is_read_again():
    book = make_resource(make_topic(title="Linear Algebra"), url="https://example.org/book/")

    import_list(FIRST_LIST, default_curriculum())

    book.refresh_from_db()
    assert book.url == "https://example.org/book/"

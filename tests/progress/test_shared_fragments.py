"""Learner state never enters what is cached for everyone: a learner's page served with fragments
another learner's render cached is the page a fresh render gives them, and shows nothing of the
other learner's."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client

from catalog.models import Resource
from progress.models import Status
from progress.services import set_resource_note, set_resource_status
from tests.factories import make_resources
from tests.html import elements, parsed, text

pytestmark = pytest.mark.django_db

PAGES = ["/topics/calculus/", "/", "/search/?q=calculus", "/degrees/", "/degrees/developer/"]
CARD = "resource-khan-academy-calculus"
# The one thing a page may differ in from request to request: its CSRF token.
CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")\w+')


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def visit(client):
    pages = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.text
    return pages


def rendered_afresh(client):
    """Each page rendered with nothing cached: no fragment, no whole page."""
    pages = {}
    for url in PAGES:
        caches["local"].clear()
        caches["learner_pages"].clear()
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.text
    return pages


def without_csrf_tokens(page):
    return parsed(CSRF_TOKEN.sub(r"\1", page))


def card(page):
    """The calculus resource's card: its classes and its words (status, note)."""
    (found,) = elements(page, id=CARD)
    return set(dict(found.attributes)["class"].split()), text(found)


def topic_progress(page):
    return [text(bar) for bar in elements(page, id="topic-progress-calculus")]


@time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False)
def test_a_learners_pages_through_shared_fragments_are_their_own(seed_catalog, make_learner):
    ada, bob = make_learner("adalovelace5"), make_learner("bobbybrown5")
    calculus = Resource.objects.get(slug="khan-academy-calculus")
    set_resource_status(learner=ada, resource=calculus, status=Status.COMPLETED)
    set_resource_note(learner=ada, resource=calculus, note="Ada's secret jotting")
    set_resource_status(learner=bob, resource=calculus, status=Status.IN_PROGRESS)
    set_resource_note(learner=bob, resource=calculus, note="Bob's private musing")
    ada_client, bob_client = signed_in(ada), signed_in(bob)

    ada_first = visit(ada_client)  # caches the shared fragments from Ada's render
    bob_cached = visit(bob_client)  # Bob's pages, built on them
    caches["learner_pages"].clear()  # Ada's whole pages, not the fragments Bob's render added
    ada_later = visit(ada_client)

    assert [url for url in PAGES if elements(ada_first[url], id=CARD)] == PAGES[:3]
    assert [url for url in PAGES if topic_progress(ada_first[url])] == PAGES[:2]
    for url in PAGES:
        ada_words, bob_words = text(parsed(ada_later[url])), text(parsed(bob_cached[url]))
        assert "adalovelace5" in ada_words
        assert "adalovelace5" not in bob_words
        assert "bobbybrown5" in bob_words
        assert "bobbybrown5" not in ada_words
        if elements(ada_first[url], id=CARD):
            for page in (ada_first[url], ada_later[url]):
                classes, words = card(page)
                assert "resource--completed" in classes
                assert "Ada's secret jotting" in words
                assert "Bob's private musing" not in words
            classes, words = card(bob_cached[url])
            assert "resource--in_progress" in classes
            assert "resource--completed" not in classes
            assert "Bob's private musing" in words
            assert "Ada's secret jotting" not in words
        if topic_progress(ada_first[url]):
            assert topic_progress(ada_later[url]) == ["1 of 1 done"]
            assert topic_progress(bob_cached[url]) == ["0 of 1 done"]

    bob_fresh, ada_fresh = rendered_afresh(bob_client), rendered_afresh(ada_client)
    for url in PAGES:
        assert without_csrf_tokens(bob_cached[url]) == without_csrf_tokens(bob_fresh[url]), url
        assert without_csrf_tokens(ada_later[url]) == without_csrf_tokens(ada_fresh[url]), url


def test_the_same_card_completed_on_two_days_shows_each_learners_own_day(
    seed_catalog, make_learner
):
    """A card's key holds the day its learner completed it: two learners whose cards differ
    only in that day never share one."""
    ada, bob = make_learner("adalovelace6"), make_learner("bobbybrown6")
    calculus = Resource.objects.get(slug="khan-academy-calculus")
    with time_machine.travel(datetime(2026, 3, 9, 12, tzinfo=UTC), tick=False):
        set_resource_status(learner=ada, resource=calculus, status=Status.COMPLETED)
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False):
        set_resource_status(learner=bob, resource=calculus, status=Status.COMPLETED)
        ada_page = signed_in(ada).get("/topics/calculus/")
        bob_page = signed_in(bob).get("/topics/calculus/")

    assert "Completed 9 Mar 2026" in card(ada_page.text)[1]
    assert "Completed 10 Mar 2026" in card(bob_page.text)[1]


def test_a_home_topic_bar_follows_a_completion_its_preview_does_not_show(
    seed_catalog, make_learner
):
    """The home page shows five resources of a topic: a completion of the sixth changes only
    the topic's count, which the topic section's key holds beside its cards' keys."""
    calculus = Resource.objects.get(slug="khan-academy-calculus")
    more = make_resources(calculus.main_listing.topic, 5, is_published=True, position=1000)
    ada = make_learner("adalovelace7")
    client = signed_in(ada)
    assert topic_progress(client.get("/").text) == ["0 of 6 done"]
    set_resource_status(learner=ada, resource=more[-1], status=Status.COMPLETED)
    assert topic_progress(client.get("/").text) == ["1 of 6 done"]


def test_the_same_card_with_two_notes_shows_each_learners_own_note(seed_catalog, make_learner):
    """A card's key holds its learner's note: two learners whose cards differ only in their
    notes never share one."""
    ada, bob = make_learner("adalovelace5"), make_learner("bobbybrown5")
    calculus = Resource.objects.get(slug="khan-academy-calculus")
    set_resource_note(learner=ada, resource=calculus, note="Ada's own words")
    set_resource_note(learner=bob, resource=calculus, note="Bob's own words")
    ada_page = signed_in(ada).get("/topics/calculus/")
    bob_page = signed_in(bob).get("/topics/calculus/")

    assert "Ada's own words" in card(ada_page.text)[1]
    assert "Bob's own words" in card(bob_page.text)[1]


def test_a_visitors_card_and_a_new_learners_card_are_never_one_entry(seed_catalog, make_learner):
    """A visitor's card and the card of a learner who has not started the resource show the
    same status (none), but only the learner's has the controls: whoever comes first, the other
    gets their own card."""
    visitor_first = card(Client().get("/topics/calculus/").text)[1]
    learner_next = card(signed_in(make_learner("adalovelace8")).get("/topics/calculus/").text)[1]
    caches["local"].clear()
    caches["learner_pages"].clear()
    learner_first = card(signed_in(make_learner("bobbybrown8")).get("/topics/calculus/").text)[1]
    visitor_next = card(Client().get("/search/?q=calculus").text)[1]

    for words in (visitor_first, visitor_next):
        assert "Not started" not in words
        assert "Start" not in words.split()
    for words in (learner_next, learner_first):
        assert "Not started" in words
        assert "Start" in words.split()

"""Learners make their own badges shareable or private; private badges answer 404 everywhere."""

import datetime
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import earn_seed_practitioner
from tests.html import by_id, elements, text

HOUR = datetime.timedelta(hours=1)


def sharing_url(award):
    return reverse("progress:award_sharing", args=[award.public_id])


def public_urls(award):
    return [
        reverse(name, args=[award.public_id])
        for name in ("badges:share", "badges:assertion", "badges:baked_png", "badges:baked_svg")
    ]


def sharing_control(page, award):
    """(its words, the value its form posts, its button's words) of an award's sharing control;
    `page` is the dashboard, or the control alone as HTMX gets it."""
    [form] = elements(page, "form", action=sharing_url(award))
    [choice] = elements(form, "input", name="sharing")
    [button] = elements(form, "button")
    words = [text(paragraph) for paragraph in elements(page, "p") if paragraph not in form.children]
    return words, dict(choice.attributes)["value"], text(button)


def links_to_the_share_page(page, award):
    return elements(page, "a", href=reverse("badges:share", args=[award.public_id]))


def test_the_dashboard_offers_to_share_each_earned_badge(learner_client, ada_award):
    page = learner_client.get("/progress/")
    assert page.status_code == 200
    control = by_id(page, f"award-sharing-{ada_award.public_id}")
    words, choice, button = sharing_control(control, ada_award)
    assert words[0].startswith("Private: only you see this badge.")
    assert (choice, button) == ("shared", "Make shareable your Practitioner badge")
    assert not links_to_the_share_page(page, ada_award)


def test_plain_post_shares_the_badge_and_the_dashboard_links_to_its_page(learner_client, ada_award):
    response = learner_client.post(sharing_url(ada_award), {"sharing": "shared"})
    assert response.status_code == 302
    assert response["Location"] == "/progress/#badge-practitioner"
    ada_award.refresh_from_db()
    assert ada_award.is_shared
    page = learner_client.get("/progress/")
    [message] = elements(page, "ul", class_="messages")
    assert text(message) == "Your Practitioner badge is now shareable."
    control = by_id(page, f"award-sharing-{ada_award.public_id}")
    assert links_to_the_share_page(control, ada_award)
    assert sharing_control(control, ada_award)[1:] == (
        "private",
        "Make private your Practitioner badge",
    )


def test_a_next_on_this_site_is_where_the_post_goes_on_to(learner_client, ada_award):
    """The earned panel's one control shares the badge and opens its page (its `next`)."""
    share_page = reverse("badges:share", args=[ada_award.public_id])
    response = learner_client.post(
        sharing_url(ada_award), {"sharing": "shared", "next": share_page}
    )
    assert response["Location"] == share_page
    offsite = learner_client.post(
        sharing_url(ada_award), {"sharing": "shared", "next": "https://evil.example/"}
    )
    assert offsite["Location"] == "/progress/#badge-practitioner"


def test_htmx_post_returns_only_the_sharing_control(learner_client, ada_award, hx):
    response = learner_client.post(sharing_url(ada_award), {"sharing": "shared"}, **hx())
    assert response.status_code == 200
    assert not elements(response, "html")
    words, choice, button = sharing_control(response, ada_award)
    assert words[0].startswith("Shared. Anyone with the link sees your Practitioner badge page")
    assert links_to_the_share_page(response, ada_award)
    assert (choice, button) == ("private", "Make private your Practitioner badge")

    response = learner_client.post(sharing_url(ada_award), {"sharing": "private"}, **hx())
    assert sharing_control(response, ada_award)[0][0].startswith("Private: only you see")
    ada_award.refresh_from_db()
    assert not ada_award.is_shared


def test_making_a_badge_private_again_makes_every_public_url_a_404(
    client, learner_client, ada_award
):
    learner_client.post(sharing_url(ada_award), {"sharing": "shared"})
    assert [client.get(url).status_code for url in public_urls(ada_award)] == [200] * 4
    learner_client.post(sharing_url(ada_award), {"sharing": "private"})
    assert [client.get(url).status_code for url in public_urls(ada_award)] == [404] * 4


def test_a_private_badge_answers_exactly_like_an_unknown_id(client, ada_award):
    unknown = type("Unknown", (), {"public_id": uuid.uuid4()})
    for private_url, unknown_url in zip(public_urls(ada_award), public_urls(unknown), strict=True):
        private, missing = client.get(private_url), client.get(unknown_url)
        assert private.status_code == missing.status_code == 404
        assert private.content == missing.content


def test_nobody_can_share_someone_elses_badge(client, ada_award, make_learner, hx):
    client.force_login(make_learner("mallory"))
    assert client.post(sharing_url(ada_award), {"sharing": "shared"}).status_code == 404
    assert client.post(sharing_url(ada_award), {"sharing": "shared"}, **hx()).status_code == 404
    ada_award.refresh_from_db()
    assert not ada_award.is_shared


def test_visitors_are_sent_to_sign_in(client, ada_award):
    response = client.post(sharing_url(ada_award), {"sharing": "shared"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    ada_award.refresh_from_db()
    assert not ada_award.is_shared


def test_sharing_needs_the_csrf_token_and_a_post(learner, ada_award):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(sharing_url(ada_award), {"sharing": "shared"}).status_code == 403
    assert strict.get(sharing_url(ada_award)).status_code == 405
    ada_award.refresh_from_db()
    assert not ada_award.is_shared


def test_an_unknown_choice_is_a_400_that_changes_nothing(learner_client, ada_award):
    response = learner_client.post(sharing_url(ada_award), {"sharing": "everyone"})
    assert response.status_code == 400
    assert "use shared or private" in text(response)
    ada_award.refresh_from_db()
    assert not ada_award.is_shared


def test_a_revoked_badge_cannot_be_toggled_from_the_dashboard(learner_client, ada_award):
    ada_award.revoke(reason="Copied evidence.")
    assert learner_client.post(sharing_url(ada_award), {"sharing": "shared"}).status_code == 404


@pytest.mark.usefixtures("seed_catalog")
def test_each_learner_shares_only_their_own(make_learner):
    ada, bob = make_learner("ada"), make_learner("bob")
    ada_award, bob_award = earn_seed_practitioner(ada), earn_seed_practitioner(bob)
    client = Client()
    client.force_login(ada)
    client.post(sharing_url(ada_award), {"sharing": "shared"})
    ada_award.refresh_from_db()
    bob_award.refresh_from_db()
    assert (ada_award.is_shared, bob_award.is_shared) == (True, False)


# The badge is earned, and the learner signs in, the day before it is first shared (at the real
# time, the badge could be earned after it was shared, or the session expire before).
@pytest.mark.frozen_at(datetime.datetime(2026, 4, 30, 9, 0, tzinfo=datetime.UTC))
def test_the_first_sharing_is_remembered_for_good(learner_client, ada_award):
    """A badge once public may be held outside the site: its revocation will be published."""
    first = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
    assert ada_award.first_shared_at is None
    for moment, sharing in [
        (first, "shared"),
        (first + HOUR, "private"),
        (first + 2 * HOUR, "shared"),
    ]:
        with time_machine.travel(moment, tick=False):
            response = learner_client.post(sharing_url(ada_award), {"sharing": sharing})
        assert response.status_code == 302
        ada_award.refresh_from_db()
        assert ada_award.first_shared_at == first

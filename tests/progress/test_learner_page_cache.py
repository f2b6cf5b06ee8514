"""A learner's pages are cached whole until something of theirs changes, whoever changes it."""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from accounts.models import Profile
from accounts.transfer.apply import import_activity
from accounts.transfer.parse import ActivityRow
from catalog.models import Curriculum, Milestone, Resource, Topic
from mlmath import versions
from progress import services
from progress.models import Activity, DegreeAward, Evidence, Following, ResourceProgress
from tests.factories import (
    at,
    complete,
    earn_seed_practitioner,
    give_evidence,
    make_curriculum,
    make_resource,
    make_topic,
)
from tests.html import by_id, elements, list_items, result_titles, text

# Ten minutes before the new year (UTC), the clock stopped: a learner's cached page is kept per
# quarter hour (their local date can only change then), so a test that crossed one between two
# visits would see a fresh render where it counts a cached one.
NOW = at("2026-12-31T23:50")
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]

PAGES = ["/", "/topics/calculus/", "/degrees/", "/progress/"]


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def words(response):
    """Every word of a page that answered 200 (its header included, where the learner's name
    and badge are): words missing from an error page would prove nothing."""
    assert response.status_code == 200
    return text(response)


def badge_of(response):
    return text(by_id(response, "header-badge"))


def card_classes(response, slug):
    return dict(by_id(response, f"resource-{slug}").attributes)["class"].split()


def test_a_second_visit_with_nothing_changed_is_the_page_already_rendered(
    seed_catalog, learner, django_assert_max_num_queries
):
    client = signed_in(learner)
    complete(learner, Resource.objects.get(slug="khan-academy-calculus"))
    for url in PAGES:
        first = client.get(url)
        # The session, the user, and both versions (one query when the shared cache is the
        # database table, none with Redis).
        with django_assert_max_num_queries(3):
            again = client.get(url)
        assert again.status_code == 200
        # The same bytes but for the CSRF tokens, which each response masks anew.
        strip = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")\w+')
        assert strip.sub("", again.text) == strip.sub("", first.text)
        assert "private" in again["Cache-Control"]
        assert "public" not in again["Cache-Control"]


def page_tokens(page):
    return {dict(field.attributes)["value"] for field in elements(page, name="csrfmiddlewaretoken")}


def test_a_cached_page_carries_a_csrf_token_of_the_learners_own_secret(seed_catalog, learner):
    """A cached page's token is made from the CSRF secret in its key, so it posts for as long
    as the learner keeps that secret; signing in again makes a new secret, and a new page."""
    client = signed_in(learner, enforce_csrf_checks=True)
    pages = [client.get("/topics/calculus/") for _ in range(3)]
    secret = client.cookies["csrftoken"].value
    tokens = [page_tokens(page) for page in pages]
    assert all(len(tokens_of_page) == 1 for tokens_of_page in tokens)
    assert {_unmask_cipher_token(next(iter(t))) for t in tokens} == {secret}
    response = client.post(
        "/progress/resources/khan-academy-calculus/status/",
        {"status": "completed", "csrfmiddlewaretoken": next(iter(tokens[-1]))},
    )
    assert response.status_code == 302
    assert "resource--completed" in card_classes(
        client.get("/topics/calculus/"), "khan-academy-calculus"
    )  # rendered afresh, with the mark's message
    client.get("/topics/calculus/")  # cached for this secret

    del client.cookies["csrftoken"]  # a browser that lost it: the page is made for a new one
    page = client.get("/topics/calculus/")
    new_secret = client.cookies["csrftoken"].value
    assert new_secret != secret
    (token,) = page_tokens(page)
    assert _unmask_cipher_token(token) == new_secret


def test_a_visit_with_a_message_to_show_is_rendered_fresh(seed_catalog, learner):
    client = signed_in(learner)
    client.get("/progress/")
    milestone = Milestone.objects.get(slug="kaggle-keras-xgboost")
    client.post(
        f"/progress/milestones/{milestone.slug}/evidence/",
        {"url": "https://example.org/kaggle", "description": "My notebook."},
    )
    assert "saved. It counts right away." in words(client.get("/progress/"))
    assert "saved. It counts right away." not in words(client.get("/progress/"))


def review(curator, learner, state):
    services.review_evidence(
        evidence_ids=Evidence.objects.filter(learner=learner).values_list("pk", flat=True),
        state=state,
        reviewer=curator,
        note="Checked.",
    )


def set_weekly_goal(learner, hours):
    profile = Profile.objects.get(user=learner)
    profile.weekly_goal_hours = hours
    profile.save()


CHANGES = {
    "a status set in the shell": (
        lambda learner, curator: complete(
            learner, Resource.objects.get(slug="khan-academy-calculus")
        ),
        "/topics/calculus/",
        "Completed 31 Dec 2026",
    ),
    "a bulk update of notes in the shell, then bump_learner_versions": (
        lambda learner, curator: (
            ResourceProgress.objects.filter(learner=learner).update(note="Reread chapter two")
            and call_command("bump_learner_versions", learner.username, verbosity=0)
        ),
        "/topics/how-to-study-the-degrees/",
        "Reread chapter two",
    ),
    "awards revoked in bulk (the admin's action)": (
        lambda learner, curator: DegreeAward.objects.for_learner(learner).revoke(reason="Copied."),
        "/degrees/",
        "No degree yet",
    ),
    "a curator verifying evidence": (
        lambda learner, curator: review(curator, learner, Evidence.State.VERIFIED),
        "/progress/",
        "Verified by a curator",
    ),
    "a curator revoking the award": (
        lambda learner, curator: DegreeAward.objects.get(learner=learner).revoke(reason="Copied."),
        "/degrees/",
        "No degree yet",
    ),
    "a new username": (
        lambda learner, curator: setattr(learner, "username", "adalovelace") or learner.save(),
        "/",
        "adalovelace",
    ),
    "a new weekly goal": (
        lambda learner, curator: set_weekly_goal(learner, 9),
        "/progress/",
        "Your weekly goal is 9 hours",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_to_a_learners_rows_shows_at_once(
    seed_catalog, learner, curator, change, make_learner
):
    earn_seed_practitioner(learner)
    make_change, url, expected = CHANGES[change]
    client = signed_in(learner)
    assert expected not in words(client.get(url))
    assert expected not in words(client.get(url))  # served from the cache
    make_change(learner, curator)
    assert expected in words(client.get(url))


def delete_award(award):
    """An award deleted (by hand: its status list entry protects it, so that goes first)."""
    from badges.models import StatusListEntry

    StatusListEntry.objects.filter(award=award).delete()
    award.delete()


def test_an_award_recorded_on_its_own_shows_at_once(seed_catalog, learner):
    """An award recorded with no other row of the learner's changing (the degree's requirements
    changed since the learner met them, say): a bulk write, which sends no signals."""
    from badges.models import StatusListEntry

    earn_seed_practitioner(learner)
    # Undone as if it had never been recorded: its status list index first (it protects it).
    StatusListEntry.objects.filter(award__learner=learner).delete()
    DegreeAward.objects.filter(learner=learner).delete()
    client = signed_in(learner)
    assert "No degree yet" in header_badge(client.get("/degrees/"))
    assert "No degree yet" in header_badge(client.get("/degrees/"))  # served from the cache
    services.record_new_awards(learner=learner)
    assert "Practitioner" in header_badge(client.get("/degrees/"))


@time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False)
def test_imported_activity_shows_at_once(seed_catalog, learner):
    """A progress file's activity alone (no status of the learner's changes): a bulk write."""
    client = signed_in(learner)
    day = "1 completion on 2 March 2026"
    assert day not in calendar_days(client.get("/progress/"))
    assert day not in calendar_days(client.get("/progress/"))  # served from the cache
    row = ActivityRow(
        url="", slug="keras", status="completed", at=datetime(2026, 3, 2, 9, tzinfo=UTC)
    )
    assert import_activity(learner, [row]) == 1
    assert day in calendar_days(client.get("/progress/"))


def header_badge(response):
    assert response.status_code == 200
    return text(by_id(response, "header-badge"))


def calendar_days(response):
    assert response.status_code == 200
    return [text(title) for title in elements(response, "title")]


def test_a_curators_review_in_the_admin_shows_at_once(seed_catalog, learner, curator_client):
    give_evidence(learner, Milestone.objects.get(slug="kaggle-keras-xgboost"))
    client = signed_in(learner)
    assert "Verified by a curator" not in words(client.get("/progress/"))
    evidence = Evidence.objects.get(learner=learner)
    curator_client.post(
        "/admin/progress/evidence/",
        {"action": "mark_verified", "_selected_action": [evidence.pk]},
    )
    assert Evidence.objects.get(pk=evidence.pk).state == Evidence.State.VERIFIED
    assert "Verified by a curator" in words(client.get("/progress/"))


def verify_all_evidence(curator_client):
    evidence = list(Evidence.objects.values_list("pk", flat=True))
    curator_client.post(
        "/admin/progress/evidence/", {"action": "mark_verified", "_selected_action": evidence}
    )


def revoke_all_awards(curator_client):
    awards = list(DegreeAward.objects.values_list("pk", flat=True))
    curator_client.post(
        "/admin/progress/degreeaward/",
        {"action": "revoke", "_selected_action": awards, "apply": "1", "reason": "Copied work."},
    )


# name: (the curator's bulk action, page, (words before, words after) on each learner's page)
BULK_ACTIONS = {
    "evidence verified": (
        verify_all_evidence,
        "/progress/",
        words,
        ("Self-attested", "Verified by a curator"),
    ),
    "awards revoked": (revoke_all_awards, "/degrees/", header_badge, ("Practitioner", "No degree")),
}


@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_a_curators_bulk_action_over_several_learners_shows_to_each_at_once(
    seed_catalog, make_learner, curator_client, action
):
    """One `update()` over several learners' rows (no signals): every one of them sees it."""
    act, url, shown, (before, after) = BULK_ACTIONS[action]
    clients = []
    for username in ("adalovelace8", "bobbybrown8", "gracehopper8"):
        learner = make_learner(username)
        earn_seed_practitioner(learner)
        clients.append(signed_in(learner))
    for client in clients:
        assert before in shown(client.get(url))
        assert before in shown(client.get(url))  # served from the cache
    act(curator_client)
    for client in clients:
        page = shown(client.get(url))
        assert after in page
        assert before not in page


def test_two_learners_dashboards_interleaved_never_mix(seed_catalog, make_learner):
    ada, bob = make_learner("adalovelace9"), make_learner("bobbybrown9")
    earn_seed_practitioner(ada)
    ada_client, bob_client = signed_in(ada), signed_in(bob)
    for _round in range(3):
        for url in PAGES:
            ada_page, bob_page = ada_client.get(url), bob_client.get(url)
            assert "adalovelace9" in words(ada_page)
            assert "bobbybrown9" in words(bob_page)
            # Nowhere in the other learner's bytes, not even in an attribute.
            assert "adalovelace9" not in bob_page.content.decode()
            assert "bobbybrown9" not in ada_page.content.decode()
            assert "Practitioner" in badge_of(ada_page)
            assert "No degree yet" in badge_of(bob_page)


def test_the_dashboard_moves_on_with_the_learners_clock(seed_catalog, learner):
    complete(learner, Resource.objects.get(slug="khan-academy-calculus"))
    client = signed_in(learner)
    assert list_items(client.get("/progress/"), "Streaks")[0] == "1 day current streak"
    assert list_items(client.get("/progress/"), "Streaks")[0] == "1 day current streak"
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert list_items(client.get("/progress/"), "Streaks")[0] == "0 days current streak"


def save_alone(row, **fields):
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def keras_progress(learner):
    return ResourceProgress.objects.get(learner=learner, resource__slug="keras")


def activity_on_2_march(learner):
    Activity.objects.create(
        learner=learner,
        resource=Resource.objects.get(slug="keras"),
        status="completed",
        created_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )


def keras_topic(learner):
    return Resource.objects.get(slug="keras").main_listing.topic.get_absolute_url()


def physics(learner=None):
    physics = make_curriculum(slug="physics", title="Physics for ML", is_published=True)
    make_resource(make_topic(curriculum=physics, slug="mechanics", title="Mechanics"))
    return physics


def physics_followed(learner):
    Following.objects.create(learner=learner, curriculum=physics())


EVIDENCE_URL = "https://example.org/{username}/kaggle-keras-xgboost"

# name: (prepare, change, page, words shown only after the change, or only before it)
ROWS_CHANGED_ALONE = {
    "a progress row saved": (
        None,
        lambda learner: save_alone(keras_progress(learner), note="Saved on its own"),
        keras_topic,
        "Saved on its own",
        True,
    ),
    "a progress row deleted": (
        lambda learner: save_alone(keras_progress(learner), note="Deleted on its own"),
        lambda learner: keras_progress(learner).delete(),
        keras_topic,
        "Deleted on its own",
        False,
    ),
    "an activity row saved": (
        None,
        activity_on_2_march,
        lambda learner: "/progress/",
        "1 completion on 2 March 2026",
        True,
    ),
    "an activity row deleted": (
        activity_on_2_march,
        lambda learner: Activity.objects.get(learner=learner, created_at__day=2).delete(),
        lambda learner: "/progress/",
        "1 completion on 2 March 2026",
        False,
    ),
    "evidence saved": (
        None,
        lambda learner: save_alone(Evidence.objects.get(learner=learner), curator_note="Neat."),
        lambda learner: "/progress/",
        "Curator’s note: Neat.",
        True,
    ),
    "evidence deleted": (
        None,
        lambda learner: Evidence.objects.get(learner=learner).delete(),
        lambda learner: "/progress/",
        EVIDENCE_URL.format(username="ada"),
        False,
    ),
    "a following saved": (
        physics,
        lambda learner: Following.objects.create(
            learner=learner, curriculum=Curriculum.objects.get(slug="physics")
        ),
        lambda learner: "/progress/",
        "Physics for ML",
        True,
    ),
    "a following deleted": (
        physics_followed,
        lambda learner: Following.objects.get(learner=learner).delete(),
        lambda learner: "/progress/",
        "Physics for ML",
        False,
    ),
    "an award saved": (
        None,
        lambda learner: DegreeAward.objects.get(learner=learner).set_shared(True),
        lambda learner: "/progress/",
        "Anyone with the link sees",
        True,
    ),
    "an award deleted": (
        None,
        lambda learner: delete_award(DegreeAward.objects.get(learner=learner)),
        lambda learner: "/degrees/",
        "No degree yet",
        True,
    ),
}


@time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False)
@pytest.mark.parametrize("change", ROWS_CHANGED_ALONE)
def test_each_kind_of_learner_row_saved_or_deleted_on_its_own_shows_at_once(
    seed_catalog, learner, change
):
    """In the shell or the admin, one row changes and nothing else of the learner's does."""
    prepare, make_change, page, expected, shown_after = ROWS_CHANGED_ALONE[change]
    earn_seed_practitioner(learner)
    if prepare:
        prepare(learner)
    client = signed_in(learner)
    url = page(learner)
    assert (expected in words(client.get(url))) is not shown_after
    assert (expected in words(client.get(url))) is not shown_after  # served from the cache
    make_change(learner)
    assert (expected in words(client.get(url))) is shown_after


def card_and_bar(page, slug="khan-academy-calculus", topic="calculus"):
    """What a page shows of one resource's status and its topic's bar, as a reader sees it."""
    assert page.status_code == 200
    card = by_id(page, f"resource-{slug}")
    status = text(elements(card, "p", class_="status")[0])
    return status, text(by_id(page, f"topic-progress-{topic}"))


def test_two_learners_pages_through_the_cache_each_show_only_their_own_state(
    seed_catalog, make_learner
):
    """Rendered, served from the page cache, and rendered again after one learner's write, in
    turns: neither learner's card or topic bar ever shows the other's state."""
    ada, bob = make_learner("adalovelace9"), make_learner("bobbybrown9")
    resource = Resource.objects.get(slug="khan-academy-calculus")
    services.set_resource_status(learner=ada, resource=resource, status="completed")
    services.set_resource_status(learner=bob, resource=resource, status="in_progress")
    ada_client, bob_client = signed_in(ada), signed_in(bob)
    published = Resource.objects.published().filter(listings__topic__slug="calculus").count()
    bob_sees = ("◐ In progress", f"0 of {published} done")
    for turn in range(4):
        if turn == 2:  # Bob's write: his pages are rendered again, Ada's come from the cache
            services.set_resource_status(learner=bob, resource=resource, status="known")
            bob_sees = ("✓ Already known", f"1 of {published} done")
        for url in ("/topics/calculus/", "/"):
            ada_status, ada_bar = card_and_bar(ada_client.get(url))
            assert ada_status.startswith("✓ Completed"), (turn, url, ada_status)
            assert ada_bar == f"1 of {published} done"
            assert card_and_bar(bob_client.get(url)) == bob_sees, (turn, url)


def test_a_resource_published_after_a_visit_counts_in_the_learners_topic_bar_at_once(
    seed_catalog, learner
):
    """The topic and its published count are read once per catalog version: a new resource
    changes the version, so the very next page counts it."""
    client = signed_in(learner)
    calculus = Topic.objects.get(slug="calculus")
    published = Resource.objects.published().filter(listings__topic=calculus).count()
    assert card_and_bar(client.get("/topics/calculus/"))[1] == f"0 of {published} done"

    make_resource(topic=calculus, slug="new-calculus-course", title="New calculus course")

    status, bar = card_and_bar(client.get("/topics/calculus/"), slug="new-calculus-course")
    assert (status, bar) == ("Not started", f"0 of {published + 1} done")


def test_bump_learner_versions_names_an_unknown_learner_and_replaces_nothing(learner):
    key = versions.learner_key(learner.pk)
    before = versions.current(key)
    with pytest.raises(CommandError, match=r"No such learner: nosuchlearner\."):
        call_command("bump_learner_versions", learner.username, "nosuchlearner")
    assert versions.current(key) == before


def test_bump_learner_versions_counts_the_learners_in_words(learner, make_learner):
    out = StringIO()
    call_command("bump_learner_versions", learner.username, stdout=out)
    assert out.getvalue() == "Versions replaced for 1 learner.\n"
    make_learner("grace")
    call_command("bump_learner_versions", stdout=out)
    assert out.getvalue().endswith("Versions replaced for 2 learners.\n")


def test_a_new_day_renders_the_page_afresh_with_nothing_changed(seed_catalog, learner):
    """A cached page is kept per quarter hour: at midnight (the learner's, here UTC) the
    calendar gains its new day although none of the learner's rows changed."""
    client = signed_in(learner)
    before = calendar_days(client.get("/progress/"))  # 23:50 on 31 December 2026
    assert calendar_days(client.get("/progress/")) == before  # served from the cache
    with time_machine.travel(at("2027-01-01T00:05"), tick=False):
        after = calendar_days(client.get("/progress/"))
    assert after != before
    assert any("1 January 2027" in day for day in after)
    assert not any("1 January 2027" in day for day in before)


def test_a_learners_htmx_request_answers_the_partial_not_their_cached_page(seed_catalog, learner):
    client = signed_in(learner)
    whole = [client.get("/search/?q=calculus") for _ in range(2)]  # the second from the cache
    partial = client.get("/search/?q=calculus", HTTP_HX_REQUEST="true")
    assert all(elements(page, "html") for page in whole)
    assert partial.status_code == 200
    assert not elements(partial, "html")
    assert result_titles(partial) == result_titles(whole[-1])

from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import Profile
from accounts.public import profile_preview
from progress.models import Activity, ResourceProgress, Status
from tests.factories import at
from tests.html import by_id, elements, labelled_by, list_items, main_text, text

# The public profile draws streaks, the activity calendar and badges' dates from the clock:
# it is stopped, a quarter hour before the new year in UTC.
pytestmark = pytest.mark.frozen_at(at("2026-12-31T23:45"))


def meta(page, open_graph_property):
    [tag] = elements(page, "meta", property=open_graph_property)
    return dict(tag.attributes)["content"]


def make_public(learner, **switches):
    Profile.objects.filter(user=learner).update(is_public=True, **switches)


@pytest.fixture
def busy_learner(learner, resource):
    """Ada, with a completed resource, a private note and a completion logged today."""
    now = timezone.now()
    ResourceProgress.objects.create(
        learner=learner,
        resource=resource,
        status=Status.COMPLETED,
        completed_at=now,
        note="my private note",
    )
    Activity.objects.create(
        learner=learner, resource=resource, status=Status.COMPLETED, created_at=now
    )
    Profile.objects.filter(user=learner).update(display_name="Ada Lovelace")
    return learner


def test_profile_is_a_404_while_off(client, learner):
    assert client.get("/u/ada/").status_code == 404


def test_profile_is_a_404_for_its_owner_too_while_off(learner_client):
    assert learner_client.get("/u/ada/").status_code == 404


def test_unknown_and_inactive_learners_are_404(client, make_learner):
    assert client.get("/u/nobody/").status_code == 404
    make_public(make_learner("gone", is_active=False))
    assert client.get("/u/gone/").status_code == 404


def test_turning_the_profile_on_and_off_takes_effect_at_once(learner_client, learner):
    form = {"time_zone": "UTC", "weekly_goal_hours": "5", "show_activity": "on"}
    learner_client.post("/account/", {**form, "is_public": "on"})
    response = learner_client.get("/u/ada/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    learner_client.post("/account/", form)
    assert learner_client.get("/u/ada/").status_code == 404


def test_profile_shows_what_the_switches_allow_and_never_private_data(client, busy_learner):
    make_public(busy_learner)
    response = client.get("/u/ada/")
    assert text(elements(response, "h1")[0]) == "Ada Lovelace"
    assert text(by_id(response, "topics-heading")) == "Progress per topic"
    assert "1 / 1" in text(labelled_by(response, "topics-heading"))
    assert list_items(response, "Streaks") == ["1 day current streak", "1 day longest streak"]
    assert "1 completion on 31 December 2026" in [
        text(title) for title in elements(by_id(response, "activity"), "title")
    ]
    # Nowhere in the bytes: not in the text, nor in an attribute or a <meta> tag.
    assert "ada@example.com" not in response.content.decode()
    assert "my private note" not in response.content.decode()


@pytest.mark.parametrize(
    ("switch", "hidden"),
    [("show_topic_progress", "Progress per topic"), ("show_activity", "longest streak")],
)
def test_each_switch_hides_its_part(client, busy_learner, switch, hidden):
    make_public(busy_learner, **{switch: False})
    response = client.get("/u/ada/")
    assert hidden not in main_text(response)
    assert text(elements(response, "h1")[0]) == "Ada Lovelace"


def test_profile_has_open_graph_tags(client, busy_learner):
    make_public(busy_learner)
    response = client.get("/u/ada/")
    assert meta(response, "og:title") == "Ada Lovelace on mlmath"
    assert meta(response, "og:url") == "http://testserver/u/ada/"
    assert meta(response, "og:type") == "profile"
    assert meta(response, "og:description")


def test_profile_queries_do_not_grow_with_history(
    client, busy_learner, resource, django_assert_max_num_queries
):
    make_public(busy_learner)
    for day in range(200):
        Activity.objects.create(
            learner=busy_learner,
            resource=resource,
            status=Status.COMPLETED,
            created_at=timezone.now() - timezone.timedelta(days=day),
        )
    assert client.get("/u/ada/").status_code == 200  # reads where each resource is, once
    # profile + user, shared badges, the catalog's version (none with Redis), topics with counts,
    # the learner's statuses (counted by where each resource is, read once), activity by day
    with django_assert_max_num_queries(6):
        response = client.get("/u/ada/")
    assert list_items(response, "Streaks")[0] == "200 days current streak"


def test_settings_link_to_the_profile_once_it_is_public(learner_client, learner):
    settings_page = learner_client.get("/account/")
    assert settings_page.status_code == 200
    assert not elements(settings_page, "a", href="/u/ada/")
    make_public(learner)
    assert elements(learner_client.get("/account/"), "a", href="/u/ada/")


def test_profile_lists_only_shared_valid_badges_linking_to_their_share_pages(
    client, learner, seed_catalog
):
    from catalog.models import Degree
    from progress.models import DegreeAward

    make_public(learner)
    now = timezone.now()
    practitioner, developer, researcher = Degree.objects.order_by("rank")[:3]
    shared = DegreeAward.objects.create(
        learner=learner, degree=practitioner, awarded_at=now, is_shared=True
    )
    DegreeAward.objects.create(learner=learner, degree=developer, awarded_at=now)
    revoked = DegreeAward.objects.create(
        learner=learner, degree=researcher, awarded_at=now, is_shared=True
    )
    revoked.revoke(reason="Evidence was plagiarised.")
    response = client.get("/u/ada/")
    badges = labelled_by(response, "badges-heading")
    assert [(text(link), dict(link.attributes)["href"]) for link in elements(badges, "a")] == [
        (f"★ {practitioner.title}", f"/badges/{shared.public_id}/")
    ]
    assert f"{practitioner.title} earned on 31 December 2026" in text(badges)
    assert str(revoked.public_id) not in response.content.decode()  # nor in any attribute
    Profile.objects.filter(user=learner).update(show_badges=False)
    response = client.get("/u/ada/")
    assert response.status_code == 200
    assert str(shared.public_id) not in response.content.decode()


def test_the_shared_link_names_the_topics_begun(client, busy_learner, resource):
    make_public(busy_learner)
    assert meta(client.get("/u/ada/"), "og:description") == (
        f"Ada Lovelace is learning the math for machine learning on mlmath: "
        f"{resource.main_listing.topic.title} 100%."
    )


def test_a_profile_without_topics_begun_says_so_in_one_sentence():
    profile = SimpleNamespace(name="Grace")
    untouched = SimpleNamespace(topic=SimpleNamespace(title="Calculus"), done=0, percent=0)
    preview = profile_preview(profile, [untouched], "https://mlmath.example.org/u/grace/")
    assert preview["description"] == "Grace is learning the math for machine learning on mlmath."

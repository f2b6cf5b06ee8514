"""Following curricula: the toggle on /curricula/, with and without HTMX, and the dashboard's
sections."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from progress.models import Evidence, Following
from tests.factories import (
    complete,
    default_curriculum,
    list_resource,
    make_curriculum,
    make_degree,
    make_milestone,
    make_requirement,
    make_resource,
    make_topic,
)
from tests.html import by_id, elements, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def physics():
    physics = make_curriculum(slug="physics", title="Physics for ML")
    mechanics = make_topic(curriculum=physics, slug="mechanics", title="Mechanics")
    make_resource(mechanics, slug="feynman", title="Feynman lectures")
    return physics


def follow_button(response, slug):
    return elements(by_id(response, f"follow-{slug}"), "button")


def test_a_learner_follows_and_unfollows_without_javascript(learner_client, learner, physics):
    [button] = follow_button(learner_client.get("/curricula/"), "physics")
    assert text(button) == "Follow Physics for ML"

    response = learner_client.post("/curricula/physics/follow/", {"next": "/curricula/"})
    assert response.status_code == 302
    assert response["Location"] == "/curricula/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You follow Physics for ML: it has a section on your dashboard."
    ]
    assert Following.objects.filter(learner=learner, curriculum=physics).count() == 1
    [button] = follow_button(learner_client.get("/curricula/"), "physics")
    assert ("aria-pressed", "true") in button.attributes

    learner_client.post("/curricula/physics/follow/")  # twice keeps one row
    assert Following.objects.filter(learner=learner).count() == 1

    learner_client.post("/curricula/physics/unfollow/")
    assert not Following.objects.filter(learner=learner).exists()


def test_an_htmx_toggle_answers_the_button_alone(learner_client, learner, physics, hx):
    response = learner_client.post("/curricula/physics/follow/", **hx())
    assert response.status_code == 200
    [button] = elements(response, "button")
    assert ("aria-pressed", "true") in button.attributes
    assert ("hx-post", "/curricula/physics/unfollow/") in button.attributes
    assert "<main" not in response.content.decode()

    response = learner_client.post("/curricula/physics/unfollow/", **hx())
    [button] = elements(response, "button")
    assert ("hx-post", "/curricula/physics/follow/") in button.attributes


def test_following_needs_a_post_with_a_csrf_token(learner, physics):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get("/curricula/physics/follow/").status_code == 405
    assert client.post("/curricula/physics/follow/").status_code == 403
    assert not Following.objects.exists()


def test_visitors_are_sent_to_sign_in(client, physics, hx):
    response = client.post("/curricula/physics/follow/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/curricula/physics/follow/", **hx())["HX-Redirect"].startswith(
        "/accounts/login/"
    )
    assert not Following.objects.exists()


def test_an_unpublished_or_unknown_curriculum_cannot_be_followed(learner_client, physics):
    physics.is_published = False
    physics.save()
    assert learner_client.post("/curricula/physics/follow/").status_code == 404
    assert learner_client.post("/curricula/nothing/follow/").status_code == 404
    assert not Following.objects.exists()


def test_the_default_curriculum_is_on_everyones_dashboard(learner_client, learner):
    default_curriculum()
    response = learner_client.get("/curricula/")
    assert text(by_id(response, "follow-ml-math")) == "On everyone's dashboard"
    assert learner_client.post("/curricula/ml-math/unfollow/").status_code == 302
    assert not Following.objects.exists()


def test_the_curricula_page_shows_the_learners_progress(learner_client, learner, physics):
    calculus = make_topic(slug="calculus")
    feynman = physics.topics.get().listings.get().resource
    list_resource(feynman, calculus)
    make_resource(calculus)
    complete(learner, feynman)

    response = learner_client.get("/curricula/")
    assert "1 of 1 done" in text(by_id(response, "curriculum-physics"))
    assert "1 of 2 done" in text(by_id(response, "curriculum-ml-math"))


def test_the_dashboard_has_a_section_per_followed_curriculum(learner_client, learner, physics):
    make_resource(make_topic(slug="calculus", title="Calculus"))
    student = make_degree(curriculum=physics, slug="student", title="Physics student", rank=1)
    feynman = physics.topics.get().listings.get().resource
    make_requirement(student, resource=feynman)

    page = learner_client.get("/progress/")
    assert not elements(page, "section", class_="curriculum-section")
    assert "Calculus" in text(by_id(page, "main"))  # the default's, as it always was

    learner_client.post("/curricula/physics/follow/")
    section = by_id(learner_client.get("/progress/"), "curriculum-physics")
    assert "Physics for ML" in text(section)
    assert "0 of 1 resource done" in text(section)
    assert "Feynman lectures" in text(elements(section, "ol", class_="next-up")[0])
    assert "Physics student" in text(section)
    assert "Mechanics" in text(section)

    complete(learner, feynman)
    section = by_id(learner_client.get("/progress/"), "curriculum-physics")
    assert "1 of 1 resource done" in text(section)
    assert "Earned" in text(section)


@pytest.mark.parametrize(
    ("page", "bar_id", "done"),
    [
        ("/physics/topics/mechanics/", "topic-progress-mechanics", "1 of 1 done"),
        ("/topics/calculus/", "topic-progress-calculus", "1 of 2 done"),
    ],
)
def test_marking_on_a_curriculums_page_updates_that_curriculums_topic_bar(
    learner_client, physics, hx, page, bar_id, done
):
    calculus = make_topic(slug="calculus", title="Calculus")
    list_resource(physics.topics.get().listings.get().resource, calculus)
    make_resource(calculus)

    response = learner_client.post(
        "/progress/resources/feynman/status/",
        {"status": "completed"},
        **hx(current_url=f"http://testserver{page}"),
    )
    assert response.status_code == 200
    assert text(by_id(response, bar_id)) == done

    # Without JavaScript, back to the resource on the page it was marked on.
    response = learner_client.post(
        "/progress/resources/feynman/status/", {"status": "in_progress", "next": page}
    )
    assert response["Location"] == f"{page}#resource-feynman"


def test_evidence_for_a_milestone_goes_to_the_curriculum_of_the_page(
    learner_client, learner, physics
):
    mine = make_milestone(curriculum=physics, slug="pendulum", title="A pendulum model")
    make_milestone(slug="pendulum", title="The default's pendulum")  # the same slug
    response = learner_client.post(
        "/progress/milestones/pendulum/evidence/",
        {
            "url": "https://example.org/ada/pendulum",
            "description": "My model.",
            "next": "/physics/degrees/",
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.get(learner=learner).milestone == mine

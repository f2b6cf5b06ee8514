"""Without JavaScript, a status button, a note or evidence is a form post that comes back to the
same place: the page it came from, at the resource or milestone pressed, saying what was saved,
once."""

import pytest
from django.urls import reverse

from tests.factories import give_evidence
from tests.html import elements, text

pytestmark = pytest.mark.usefixtures("study_catalog")

TOPIC = "/topics/statistics-and-probability/"


def messages(response):
    """The words of each message a page shows (none on a page without)."""
    assert response.status_code == 200
    return [text(item) for item in elements(response, "li", class_="message")]


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ("in_progress", "edx Probability: in progress."),
        ("completed", "edx Probability: completed."),
        ("known", "edx Probability: already known."),
        ("not_started", "edx Probability: not started."),
    ],
)
def test_a_status_button_comes_back_to_its_resource_saying_what_changed(
    learner_client, status, said
):
    response = learner_client.post(
        reverse("progress:set_status", args=["edx-probability"]),
        {"status": status, "next": f"{TOPIC}?page=1"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{TOPIC}?page=1#resource-edx-probability"
    assert messages(learner_client.get(f"{TOPIC}?page=1")) == [said]
    assert messages(learner_client.get(f"{TOPIC}?page=1")) == []


def test_the_page_it_comes_back_to_holds_the_resource_it_lands_on(learner_client):
    learner_client.post(
        reverse("progress:set_status", args=["edx-probability"]),
        {"status": "completed", "next": TOPIC},
    )

    page = learner_client.get(TOPIC)

    [card] = elements(page, "li", id="resource-edx-probability")
    assert "Completed" in text(card)
    # The message stays in view (sticky) when the page opens scrolled down to the resource.
    [region] = elements(page, "div", class_="messages-region")
    assert dict(region.attributes)["role"] == "status"


def test_a_note_comes_back_to_its_resource_saying_it_is_saved_or_removed(learner_client):
    url = reverse("progress:update_note", args=["edx-probability"])

    saved = learner_client.post(url, {"edx-probability-note": "Bayes first.", "next": TOPIC})
    assert saved["Location"] == f"{TOPIC}#resource-edx-probability"
    assert messages(learner_client.get(TOPIC)) == ["Your note on edx Probability is saved."]

    removed = learner_client.post(url, {"edx-probability-note": "", "next": TOPIC})
    assert removed["Location"] == f"{TOPIC}#resource-edx-probability"
    assert messages(learner_client.get(TOPIC)) == ["Your note on edx Probability is removed."]


def test_evidence_comes_back_to_its_milestone_saying_what_changed(learner_client, milestones):
    slug = milestones.perceptron.slug
    submitted = learner_client.post(
        reverse("progress:submit_evidence", args=[slug]),
        {"url": "https://example.org/mlp", "description": "From scratch.", "next": "/degrees/"},
    )
    assert submitted["Location"] == f"/degrees/#milestone-{slug}"
    assert messages(learner_client.get("/degrees/")) == [
        "Evidence for “Write a multilayer perceptron from scratch” saved. It counts right away."
    ]

    withdrawn = learner_client.post(
        reverse("progress:withdraw_evidence", args=[slug]), {"next": "/progress/"}
    )
    assert withdrawn["Location"] == f"/progress/#milestone-{slug}"
    assert messages(learner_client.get("/progress/")) == [
        "Evidence for “Write a multilayer perceptron from scratch” withdrawn."
    ]
    assert messages(learner_client.get("/progress/")) == []


def test_a_next_with_a_fragment_of_its_own_lands_on_the_resource(learner_client):
    response = learner_client.post(
        reverse("progress:set_status", args=["edx-probability"]),
        {"status": "completed", "next": f"{TOPIC}#top"},
    )

    assert response["Location"] == f"{TOPIC}#resource-edx-probability"


def test_without_next_evidence_comes_back_to_the_milestone_on_the_dashboard(
    learner_client, learner, milestones
):
    give_evidence(learner, milestones.paper)

    response = learner_client.post(reverse("progress:withdraw_evidence", args=["model-from-paper"]))

    assert response["Location"] == "/progress/#milestone-model-from-paper"


def test_a_refused_note_says_so_and_saves_nothing_without_a_message(learner_client):
    response = learner_client.post(
        reverse("progress:update_note", args=["edx-probability"]),
        {"edx-probability-note": "x" * 1001, "next": TOPIC},
    )

    assert response.status_code == 422
    assert messages(learner_client.get(TOPIC)) == []

"""The moment a degree is earned: the answer that earns it shows a panel with the badge, one
control that shares it, and what the next degree needs; with HTMX out of band, without
JavaScript on the page the form post comes back to, once."""

import pytest
from django.test import Client
from django.urls import reverse

from progress.degrees import degree_credit, load_degree_specs, next_degree
from progress.models import DegreeAward
from tests.factories import at, complete, give_evidence
from tests.html import by_id, elements, labelled_by, text

# The panel says the day the badge was recorded.
pytestmark = [
    pytest.mark.usefixtures("study_catalog"),
    pytest.mark.frozen_at(at("2026-05-04T10:00")),
]

DEVELOPER_NEEDS = [
    "Complete 1 more Calculus resource",
    "Complete 2 more Linear Algebra resources",
    "Complete 2 more Statistics and probability resources",
]


def status_url(slug):
    return reverse("progress:set_status", args=[slug])


def evidence_url(milestone):
    return reverse("progress:submit_evidence", args=[milestone.slug])


def almost_practitioner(learner, resources, milestones):
    """Everything Practitioner asks for but XGboost."""
    give_evidence(learner, milestones.kaggle)
    complete(learner, resources.keras)


def earned_panel(page):
    """The panel in the page's (or the HTMX answer's) `#earned` region; the test fails if the
    region is missing, and the panel is None when the region is empty."""
    region = by_id(page, "earned")
    panels = elements(region, "section", **{"aria-labelledby": "earned-heading"})
    return panels[0] if panels else None


def share_control(panel):
    """(where its form posts, what it posts, its button's words) of the panel's share control."""
    [form] = elements(panel, "form")
    fields = {
        dict(field.attributes)["name"]: dict(field.attributes)["value"]
        for field in elements(form, "input")
        if dict(field.attributes)["name"] != "csrfmiddlewaretoken"
    }
    [button] = elements(form, "button")
    return dict(form.attributes)["action"], fields, text(button)


def assert_celebrates_practitioner(panel, award):
    assert panel is not None
    assert text(by_id(panel, "earned-heading")) == "You earned Practitioner"
    degree_svg = reverse("badges:degree_svg", args=[award.degree.public_id])
    assert elements(panel, "img", src=degree_svg)
    assert "recorded on 4 May 2026" in text(panel)
    assert share_control(panel) == (
        reverse("progress:award_sharing", args=[award.public_id]),
        {"sharing": "shared", "next": reverse("badges:share", args=[award.public_id])},
        "Share your Practitioner badge",
    )
    assert "Next: Developer" in text(panel)
    needs = [text(item) for item in elements(panel, "li")]
    assert needs[:3] == DEVELOPER_NEEDS
    assert elements(panel, "a", href="/progress/#degree-developer")


def test_the_htmx_completion_that_earns_a_degree_shows_the_panel_out_of_band(
    learner_client, learner, hx, resources, milestones
):
    almost_practitioner(learner, resources, milestones)

    response = learner_client.post(status_url("xgboost"), {"status": "completed"}, **hx())

    assert response.status_code == 200
    award = DegreeAward.objects.get(learner=learner)
    region = by_id(response, "earned")
    assert dict(region.attributes)["hx-swap-oob"] == "true"
    panel = earned_panel(response)
    assert_celebrates_practitioner(panel, award)
    # Focus moves to the panel (htmx honours autofocus), so the share control is the next Tab.
    assert dict(panel.attributes).keys() >= {"autofocus", "tabindex"}


def test_what_the_next_degree_needs_is_the_dashboards_rule(
    learner_client, learner, hx, resources, milestones
):
    almost_practitioner(learner, resources, milestones)

    response = learner_client.post(status_url("xgboost"), {"status": "completed"}, **hx())

    results = degree_credit(learner).evaluate(load_degree_specs())
    developer = next_degree(results, ["practitioner"])
    needs = [text(item) for item in elements(earned_panel(response), "li")]
    assert needs == developer.remaining
    dashboard = learner_client.get("/progress/")
    assert dashboard.status_code == 200
    assert text(by_id(dashboard, "degree-developer-heading")).startswith("Next: Developer")


def test_a_change_that_earns_nothing_leaves_the_region_alone(learner_client, hx, resources):
    response = learner_client.post(status_url("keras"), {"status": "completed"}, **hx())

    assert response.status_code == 200
    assert not elements(response, id="earned")
    assert not elements(response, id="header-badge")


def test_the_htmx_evidence_that_earns_a_degree_shows_the_panel(
    learner_client, learner, hx, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost)

    response = learner_client.post(
        evidence_url(milestones.kaggle),
        {"url": "https://www.kaggle.com/code/ada/titanic", "description": "Top 10%."},
        **hx(),
    )

    assert response.status_code == 200
    assert_celebrates_practitioner(earned_panel(response), DegreeAward.objects.get(learner=learner))
    assert "★ Practitioner" in text(by_id(response, "header-badge"))
    withdrawal = learner_client.post(
        reverse("progress:withdraw_evidence", args=[milestones.kaggle.slug]), **hx()
    )
    assert withdrawal.status_code == 200
    assert not elements(withdrawal, id="earned")


def test_without_javascript_the_completion_comes_back_to_the_panel_once(
    learner_client, learner, resources, milestones
):
    almost_practitioner(learner, resources, milestones)
    page = "/topics/how-to-study-the-degrees/"

    response = learner_client.post(status_url("xgboost"), {"status": "completed", "next": page})

    assert response.status_code == 302
    assert response["Location"] == f"{page}#earned"
    back = learner_client.get(page)
    assert back.status_code == 200
    assert_celebrates_practitioner(earned_panel(back), DegreeAward.objects.get(learner=learner))
    [messages] = elements(back, "ul", class_="messages")
    assert text(messages) == "XGboost: completed."
    again = learner_client.get(page)
    assert again.status_code == 200
    assert earned_panel(again) is None
    assert not elements(again, "ul", class_="messages")


def test_without_javascript_the_evidence_comes_back_to_the_panel_on_the_dashboard(
    learner_client, learner, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost)

    response = learner_client.post(
        evidence_url(milestones.kaggle),
        {
            "url": "https://www.kaggle.com/code/ada/t",
            "description": "Top 10%.",
            "next": "/progress/",
        },
    )

    assert response["Location"] == "/progress/#earned"
    dashboard = learner_client.get("/progress/")
    assert_celebrates_practitioner(
        earned_panel(dashboard), DegreeAward.objects.get(learner=learner)
    )
    assert earned_panel(learner_client.get("/progress/")) is None


def test_the_share_control_makes_the_badge_shareable_and_opens_its_page(
    learner_client, learner, resources, milestones
):
    almost_practitioner(learner, resources, milestones)
    learner_client.post(status_url("xgboost"), {"status": "completed", "next": "/"})
    action, fields, _ = share_control(earned_panel(learner_client.get("/")))

    response = learner_client.post(action, fields)

    award = DegreeAward.objects.get(learner=learner)
    assert award.is_shared
    assert response["Location"] == reverse("badges:share", args=[award.public_id])
    share_page = learner_client.get(response["Location"])
    assert share_page.status_code == 200
    assert text(by_id(share_page, "main")).count("Practitioner") >= 1
    [messages] = elements(share_page, "ul", class_="messages")
    assert text(messages) == "Your Practitioner badge is now shareable."


def test_one_change_that_earns_two_degrees_celebrates_the_higher(
    learner_client, learner, hx, resources, milestones
):
    give_evidence(
        learner, milestones.kaggle, milestones.perceptron, milestones.keras_layer, milestones.paper
    )
    complete(
        learner,
        resources.xgboost,
        resources.calculus,
        resources.algebra,
        resources.mit_algebra,
        resources.statistics,
        resources.probability,
    )

    response = learner_client.post(status_url("keras"), {"status": "known"}, **hx())

    assert DegreeAward.objects.filter(learner=learner).count() == 2
    panel = earned_panel(response)
    assert text(by_id(panel, "earned-heading")) == "You earned Developer"
    assert "Next: Researcher" in text(panel)
    assert text(by_id(response, "live-announcement")).endswith("You earned the Developer degree.")


def test_the_highest_degree_says_there_is_none_higher(
    learner_client, learner, hx, resources, milestones
):
    give_evidence(
        learner,
        milestones.kaggle,
        milestones.perceptron,
        milestones.keras_layer,
        milestones.paper,
        milestones.new_field,
    )
    complete(
        learner,
        resources.keras,
        resources.xgboost,
        resources.calculus,
        resources.algebra,
        resources.mit_algebra,
        resources.statistics,
        resources.probability,
    )

    response = learner_client.post(
        status_url("random-processes-for-engineers"), {"status": "completed"}, **hx()
    )

    panel = earned_panel(response)
    assert text(by_id(panel, "earned-heading")) == "You earned Researcher"
    assert "It is the highest degree there is" in text(panel)
    assert "Next:" not in text(panel)


def test_pages_without_such_a_message_have_an_empty_region(learner_client):
    for page in (Client().get("/"), learner_client.get("/"), learner_client.get("/progress/")):
        assert page.status_code == 200
        assert earned_panel(page) is None
        assert text(by_id(page, "earned")) == ""


def test_make_shareable_is_in_your_badge_at_the_top_of_the_dashboard(
    learner_client, learner, resources, milestones
):
    almost_practitioner(learner, resources, milestones)
    complete(learner, resources.xgboost)
    award = DegreeAward.objects.get(learner=learner)

    dashboard = learner_client.get("/progress/")

    assert dashboard.status_code == 200
    your_badge = labelled_by(dashboard, "badge-heading")
    assert dict(your_badge.attributes)["id"] == "your-badge"
    buttons = [text(button) for button in elements(your_badge, "button")]
    assert buttons == ["Make shareable your Practitioner badge"]
    assert elements(
        your_badge, "img", src=reverse("badges:degree_svg", args=[award.degree.public_id])
    )
    degrees = by_id(dashboard, "degrees")
    assert not [b for b in elements(degrees, "button") if "shareable" in text(b)]
    assert elements(by_id(dashboard, "degree-practitioner"), "a", href="#badge-practitioner")

"""A signed-in learner's degree pages: where they stand on each requirement, and the resources
of one not met yet with their status buttons, which work in place and without JavaScript."""

import pytest

from catalog.models import Resource
from tests.factories import (
    complete,
    give_evidence,
    make_curriculum,
    make_degree,
    make_requirement,
    make_resource,
    make_topic,
)
from tests.html import by_id, elements, main_text, parsed, result_titles, text

pytestmark = pytest.mark.usefixtures("study_catalog")


def requirement_items(response, state="met unmet"):
    """The requirement items of a degree page (`li`s marked met, unmet), as elements."""
    assert response.status_code == 200
    page = parsed(response)
    classes = {f"requirement--{word}" for word in state.split()}
    return [
        item
        for item in elements(page, "li")
        if classes & set((dict(item.attributes).get("class") or "").split())
    ]


def item_starting(items, words):
    (found,) = [item for item in items if text(item).startswith(words)]
    return found


def status_buttons(element):
    """The status buttons of the cards in `element`, which belong to the page's #progress-form."""
    return [
        text(button) for button in elements(element, "button", form="progress-form", name="status")
    ]


def test_a_learner_sees_each_requirement_met_or_not_with_counts(learner_client, learner, resources):
    complete(learner, resources.calculus, resources.algebra)
    complete(learner, resources.statistics, status="known")
    response = learner_client.get("/degrees/developer/")
    assert [text(item) for item in requirement_items(response, "met")] == [
        "Met: 1 of 1 Calculus resource done"
    ]
    items = requirement_items(response)
    algebra = item_starting(items, "Not met: Complete 1 more Linear Algebra resource (1 of 2")
    statistics = item_starting(
        items, "Not met: Complete 1 more Statistics and probability resource (1 of 2 so far)"
    )
    assert item_starting(items, "Not met: Show evidence: Write a multilayer perceptron")
    assert len(items) == 6  # Developer's own; Practitioner's are summed up above them
    (lower,) = [p for p in elements(response, "p") if "Practitioner degree asks" in text(p)]
    assert text(lower).startswith("Everything the Practitioner degree asks for")
    assert "0% done" in text(lower)
    main = main_text(response)
    # Calculus and one Linear Algebra resource done, one Statistics known: 3 of 11 steps.
    assert "27% done You meet 1 of 9 requirements, those of the degrees below it included." in main
    assert elements(response, "progress", **{"aria-label": "Developer: 3 of 11 steps"})
    # An unmet requirement shows every resource it counts, with the learner's status on each.
    assert result_titles(algebra) == ["Khan Academy Linear Algebra", "Linear Algebra MIT"]
    assert "Completed" in text(by_id(algebra, "resource-khan-academy-linear-algebra"))
    assert status_buttons(by_id(algebra, "resource-mit-linear-algebra")) == [
        "Start Linear Algebra MIT",
        "Mark Linear Algebra MIT as completed",
        "Mark Linear Algebra MIT as known",
    ]
    assert len(result_titles(statistics)) == 4
    assert "Already known" in text(by_id(statistics, "resource-edx-introduction-to-statistics"))


def test_a_met_requirement_shows_no_cards_and_a_milestone_says_what_to_show(
    learner_client, learner, resources
):
    complete(learner, resources.keras)
    items = requirement_items(learner_client.get("/degrees/practitioner/"))
    keras = item_starting(items, "Met: Completed Keras")
    assert result_titles(keras) == []
    xgboost = item_starting(items, "Not met: Complete XGboost")
    assert result_titles(xgboost) == ["XGboost"]
    assert "Mark XGboost as completed" in status_buttons(xgboost)
    kaggle = item_starting(items, "Not met: Show evidence: Use Keras and XGBoost")
    assert elements(kaggle, "a", href="#milestone-kaggle-keras-xgboost")
    assert "Good evidence: A link to your Kaggle notebook" in text(kaggle)


def test_marking_a_resource_from_a_degree_page_without_javascript_comes_back_to_it(
    learner_client, learner, resources, milestones
):
    complete(learner, resources.keras)
    give_evidence(learner, milestones.kaggle)
    page = learner_client.get("/degrees/practitioner/")
    (form,) = elements(page, "form", id="progress-form")
    assert elements(form, "input", name="next", value="/degrees/practitioner/")

    response = learner_client.post(
        "/progress/resources/xgboost/status/",
        {"status": "completed", "next": "/degrees/practitioner/"},
    )

    assert response.status_code == 302
    # The completion earns Practitioner: the page comes back at the panel that says so.
    assert response["Location"] == "/degrees/practitioner/#earned"
    assert "You earned Practitioner" in main_text(learner_client.get("/degrees/practitioner/"))
    items = requirement_items(learner_client.get("/degrees/practitioner/"))  # the panel shown once
    assert [text(item) for item in items] == [
        "Met: Completed Keras",
        "Met: Completed XGboost",
        "Met: Evidence submitted: Use Keras and XGBoost in a Kaggle competition",
    ]
    assert "Requirements met You meet 3 of 3 requirements." in main_text(
        learner_client.get("/degrees/practitioner/")
    )


def test_marking_a_resource_from_a_degree_page_with_htmx_answers_its_card(
    learner_client, resources, hx
):
    response = learner_client.post(
        "/progress/resources/xgboost/status/",
        {"status": "in_progress", "next": "/degrees/practitioner/"},
        **hx(current_url="http://testserver/degrees/practitioner/"),
    )
    assert response.status_code == 200
    assert "In progress" in text(by_id(response, "resource-xgboost"))
    xgboost = item_starting(
        requirement_items(learner_client.get("/degrees/practitioner/")),
        "Not met: Complete XGboost",
    )
    assert "Mark XGboost as completed" in status_buttons(xgboost)
    assert "Start XGboost" not in status_buttons(xgboost)


def test_a_learner_sees_only_their_own_progress(learner_client, make_learner, resources):
    complete(make_learner("grace"), resources.keras, resources.xgboost)
    items = requirement_items(learner_client.get("/degrees/practitioner/"))
    assert item_starting(items, "Not met: Complete Keras")
    assert "Not started" in text(item_starting(items, "Not met: Complete XGboost"))


def test_a_required_resource_that_is_not_published_has_no_card(learner_client, resources):
    Resource.objects.filter(pk=resources.keras.pk).update(is_published=False)
    items = requirement_items(learner_client.get("/degrees/practitioner/"))
    keras = item_starting(items, "Not met: Keras is not available right now")
    assert result_titles(keras) == []


def test_visitors_see_the_requirements_without_anyones_progress(client, learner, resources):
    complete(learner, resources.keras)
    response = client.get("/degrees/practitioner/")
    assert requirement_items(response) == []
    main = main_text(response)
    assert "Complete Keras" in main
    assert "You meet" not in main
    assert "Completed" not in main
    assert not elements(response, "button", form="progress-form")


def test_the_degree_list_says_how_far_the_learner_is_toward_each_degree(
    learner_client, learner, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost, resources.calculus)
    give_evidence(learner, milestones.kaggle)
    response = learner_client.get("/degrees/")
    practitioner = text(by_id(response, "degree-practitioner"))
    assert "Requirements met You meet 3 of 3 requirements." in practitioner
    developer = by_id(response, "degree-developer")
    assert "You meet 4 of 9 requirements, those of the degrees below it included." in text(
        developer
    )
    assert elements(developer, "a", href="/degrees/developer/")
    # The catalog's requirements stay as they read, for learners and visitors alike.
    assert "Complete every Linear Algebra resource" in text(developer)
    learner_client.logout()
    visitor_page = main_text(learner_client.get("/degrees/"))
    assert "Complete every Linear Algebra resource" in visitor_page
    assert "You meet" not in visitor_page


def test_a_degree_asks_what_the_lower_degrees_of_its_own_curriculum_ask_only(
    learner_client, learner, resources
):
    """The default curriculum's Practitioner is rank 1 too: a Physics degree of rank 1 asks
    nothing of it."""
    physics = make_curriculum(slug="physics", title="Physics for ML", is_published=True)
    mechanics = make_topic(curriculum=physics, slug="mechanics", title="Mechanics")
    feynman = make_resource(mechanics, slug="feynman", title="Feynman lectures")
    student = make_degree(curriculum=physics, slug="student", title="Physics student", rank=1)
    make_requirement(student, resource=feynman)
    complete(learner, feynman)

    response = learner_client.get("/physics/degrees/student/")
    assert [text(item) for item in requirement_items(response)] == [
        "Met: Completed Feynman lectures"
    ]
    assert "You meet 1 of 1 requirement." in main_text(response)

"""The learner's dashboard: overall, per-topic and per-degree progress, badge and next up."""

import pytest
from django.urls import reverse

from catalog.models import Degree, Requirement, Resource, Topic
from progress.models import DegreeAward
from tests.factories import complete, give_evidence, make_resource, make_topic
from tests.html import by_id, elements, labelled_by, parsed, text

pytestmark = pytest.mark.usefixtures("study_catalog")


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("progress:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/progress/"


def next_up_items(response):
    assert response.status_code == 200
    return [text(item) for item in elements(labelled_by(response, "next-heading"), "li")]


def test_new_learner_sees_no_badge_and_where_to_start(learner_client):
    page = parsed(learner_client.get("/progress/"))
    assert "No degree yet" in text(page)
    assert "0 of 10 resources completed" in text(page)


def test_a_new_learners_next_up_starts_with_what_practitioner_needs(learner_client):
    """Issue 23: a new learner was told to start with Calculus and Linear Algebra, while their
    next degree asks for Keras, XGBoost and a Kaggle milestone. Each item says why it is there;
    after Practitioner's needs, the curriculum goes on in the curator's order."""
    response = learner_client.get("/progress/")
    assert next_up_items(response) == [
        'Keras How to study, the "degrees" for Practitioner',
        'XGboost How to study, the "degrees" for Practitioner',
        "Show evidence: Use Keras and XGBoost in a Kaggle competition for Practitioner",
        "Khan Academy Calculus Calculus for Developer",
        "Khan Academy Linear Algebra Linear Algebra for Developer",
    ]
    next_up = labelled_by(response, "next-heading")
    assert elements(next_up, "a", href="/topics/how-to-study-the-degrees/#resource-keras")
    # The milestone leads to its evidence form, on the same page.
    assert elements(next_up, "a", href="#milestone-kaggle-keras-xgboost")
    assert by_id(response, "milestone-kaggle-keras-xgboost")


def test_once_practitioner_is_met_next_up_leads_to_developer(
    learner_client, learner, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost, resources.algebra)
    give_evidence(learner, milestones.kaggle)
    complete(learner, resources.probability, status="in_progress")
    assert next_up_items(learner_client.get("/progress/")) == [
        "edx Probability Statistics and probability for Developer, in progress",
        "Khan Academy Calculus Calculus for Developer",
        "Linear Algebra MIT Linear Algebra for Developer",
        "edx Introduction to Statistics Statistics and probability for Developer",
        "Show evidence: Write a multilayer perceptron from scratch for Developer",
        "Show evidence: Contribute a new layer to Keras (or another deep-learning library) "
        "for Developer",
        "Show evidence: Implement a model from a paper for Developer",
    ]


def test_with_every_degree_met_next_up_follows_the_curriculum(
    learner_client, learner, resources, milestones
):
    complete(learner, *vars(resources).values())
    complete(learner, resources.signals, status="not_started")
    give_evidence(learner, *vars(milestones).values())
    assert next_up_items(learner_client.get("/progress/")) == [
        "edx Signals and Systems, part 1 Signal Processing next in the curriculum"
    ]


def test_half_way_to_developer_shows_exactly_what_remains(
    learner_client, learner, resources, milestones
):
    complete(
        learner,
        resources.keras,
        resources.xgboost,
        resources.calculus,
        resources.algebra,
        resources.statistics,
    )
    give_evidence(learner, milestones.kaggle, milestones.perceptron)
    page = parsed(learner_client.get("/progress/"))
    developer = text(by_id(page, "degree-developer"))
    assert "Complete 1 more Linear Algebra resource" in developer
    assert "Complete 1 more Statistics and probability resource" in developer
    assert "Show evidence: Contribute a new layer to Keras" in developer
    assert "Show evidence: Implement a model from a paper" in developer
    assert "Show evidence: Write a multilayer perceptron" not in developer
    # Only what remains: Keras and XGboost, inherited from Practitioner and done, are not listed.
    assert "Keras" not in developer.replace("Contribute a new layer to Keras", "")
    researcher = text(by_id(page, "degree-researcher"))
    assert "Complete An exploration of Random Processes for Engineers" in researcher
    assert "Show evidence: Write a new type of model" in researcher
    # A higher degree lists only what it adds: nothing of Developer is repeated.
    assert "Linear Algebra" not in researcher
    badge = text(labelled_by(page, "badge-heading"))
    assert "★ Practitioner" in badge
    assert "earned on" in badge


def test_the_next_degree_comes_first_and_earned_ones_collapse_to_their_badge(
    learner_client, learner, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost)
    give_evidence(learner, milestones.kaggle)
    page = parsed(learner_client.get("/progress/"))
    cards = elements(labelled_by(page, "degrees-heading"), "article")
    assert [dict(card.attributes)["id"] for card in cards] == [
        "degree-developer",
        "degree-researcher",
        "degree-practitioner",
    ]
    assert text(elements(cards[0], "h3")[0]).startswith("Next: Developer")
    practitioner = cards[2]
    assert "Earned" in text(practitioner)
    assert elements(practitioner, "img")
    assert not elements(practitioner, "ul")  # nothing left to list for a degree held
    assert not elements(practitioner, "progress")


def test_a_resource_already_known_counts_toward_the_degree_and_says_so(
    learner_client, learner, resources, milestones
):
    """Issue 23: knowing Khan Academy Calculus, the only Calculus resource, meets Developer's
    Calculus requirement instead of asking for it for ever."""
    complete(learner, resources.keras, resources.xgboost)
    give_evidence(learner, milestones.kaggle)
    complete(learner, resources.calculus, resources.statistics, status="known")
    page = parsed(learner_client.get("/progress/"))
    developer = text(by_id(page, "degree-developer"))
    assert "Calculus resource" not in developer
    assert "Complete 1 more Statistics and probability resource (1 of 2 so far)" in developer
    stats = text(elements(page, "ul", **{"aria-label": "Overall progress"})[0])
    assert "40% of the catalog done" in stats  # 2 completed and 2 known of 10
    assert "2 of 10 resources completed" in stats
    assert "2 already known" in stats
    assert "Khan Academy Calculus" not in text(labelled_by(page, "next-heading"))
    rows = elements(page, "tr")
    calculus = next(row for row in rows if text(elements(row, "th")[0]) == "Calculus")
    assert text(elements(calculus, "td")[0]) == "1 / 1"


def test_met_requirements_tell_known_resources_from_completed_ones(
    learner_client, learner, resources
):
    """The degrees above the next one list what they add, met or not."""
    complete(learner, resources.statistics)
    complete(learner, resources.calculus, resources.random_processes, status="known")
    page = parsed(learner_client.get("/progress/"))
    met = [text(item) for item in elements(page, "li", class_="requirement--met")]
    assert "Met: 1 of 1 Calculus resource done (1 already known)" in met
    assert "Met: Already known: An exploration of Random Processes for Engineers" in met
    complete(learner, resources.random_processes, status="completed")
    met = [text(item) for item in elements(learner_client.get("/progress/"), "li")]
    assert "Met: Completed An exploration of Random Processes for Engineers" in met


def test_topic_rows_count_completed_of_published(learner_client, learner, resources):
    complete(learner, resources.algebra)
    complete(learner, resources.mit_algebra, status="in_progress")
    rows = elements(learner_client.get("/progress/"), "tr")
    algebra = next(row for row in rows if text(elements(row, "th")[0]) == "Linear Algebra")
    assert text(elements(algebra, "td")[0]) == "1 / 2"


def test_a_completed_resource_unpublished_since_no_longer_counts_in_its_topic_row(
    learner_client, learner, resources
):
    complete(learner, resources.algebra, resources.mit_algebra)
    resources.mit_algebra.is_published = False
    resources.mit_algebra.save()
    rows = elements(learner_client.get("/progress/"), "tr")
    algebra = next(row for row in rows if text(elements(row, "th")[0]) == "Linear Algebra")
    assert text(elements(algebra, "td")[0]) == "1 / 1"


def test_next_up_respects_prerequisites_and_puts_started_work_first(
    learner_client, learner, resources
):
    complete(learner, resources.calculus, resources.keras, resources.xgboost)
    complete(learner, resources.probability, status="in_progress")
    complete(learner, resources.algebra, status="known")
    next_up = text(labelled_by(learner_client.get("/progress/"), "next-heading"))
    assert next_up.index("edx Probability") < next_up.index("Linear Algebra MIT")
    assert "Khan Academy Linear Algebra" not in next_up  # already known
    assert "Khan Academy Calculus" not in next_up  # done
    # Signal Processing builds on Linear Algebra, which still has MIT's course open.
    assert "edx Signals and Systems" not in next_up


def test_a_topic_hidden_from_learners_is_neither_next_up_nor_in_the_topic_table(
    learner_client, learner, resources
):
    # A new topic from an import whose resources are unpublished, placed first.
    drafts = make_topic(title="Optimisation drafts", position=1)
    make_resource(drafts, title="Convex Optimization draft", is_published=False)
    make_topic(title="Empty topic", position=2)
    make_topic(title="Stochastic Processes", position=3, is_reading=True)

    response = learner_client.get("/progress/")
    assert response.status_code == 200
    page = parsed(response)

    next_up = text(labelled_by(page, "next-heading"))
    # After what Practitioner needs, the curriculum starts with its first topic shown.
    assert "for Practitioner Khan Academy Calculus Calculus" in next_up
    assert "Convex Optimization draft" not in next_up
    topics = [text(elements(row, "th")[0]) for row in elements(page, "tr")[1:]]
    assert topics[0] == "Calculus"
    for hidden in ("Optimisation drafts", "Empty topic", "Stochastic Processes"):
        assert hidden not in topics


def test_unpublished_resources_count_for_nothing(learner_client, learner, resources):
    complete(learner, resources.calculus)
    unpublished = Resource.objects.get(slug="khan-academy-calculus")
    unpublished.is_published = False
    unpublished.save()  # as a curator does in the admin
    assert "0 of 9 resources completed" in text(learner_client.get("/progress/"))


def test_award_is_recorded_once_with_its_time(learner, resources, milestones):
    complete(learner, resources.keras, resources.xgboost)
    assert not DegreeAward.objects.exists()  # the Kaggle milestone still lacks evidence
    give_evidence(learner, milestones.kaggle)
    complete(learner, resources.keras, status="not_started")
    complete(learner, resources.keras)
    award = DegreeAward.objects.get(learner=learner)
    assert award.degree.slug == "practitioner"
    assert award.awarded_at is not None
    assert award.public_id is not None


def test_tightened_degree_keeps_its_award_and_shows_the_new_requirement(
    learner_client, learner, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost)
    give_evidence(learner, milestones.kaggle)
    earned_on = DegreeAward.objects.get(learner=learner).awarded_at
    Requirement.objects.create(
        degree=Degree.objects.get(slug="practitioner"),
        slug="calculus",
        topic=Topic.objects.get(slug="calculus"),
    )
    complete(learner, resources.probability)  # any later change re-evaluates degrees
    assert DegreeAward.objects.get(learner=learner).awarded_at == earned_on
    practitioner = text(by_id(learner_client.get("/progress/"), "degree-practitioner"))
    assert "Earned" in practitioner
    assert "What it asks for has changed since you earned it" in practitioner
    assert "Complete 1 more Calculus resource" in practitioner


def test_a_learner_never_sees_another_learners_progress(
    client, learner, make_learner, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost)
    give_evidence(learner, milestones.kaggle)
    client.force_login(make_learner("grace"))
    page = parsed(client.get("/progress/"))
    assert "No degree yet" in text(page)
    assert "0 of 10 resources completed" in text(page)
    assert "Completed Keras" not in text(by_id(page, "degree-practitioner"))


def test_every_percent_on_the_dashboard_is_rounded_the_same_way(learner_client, learner, resources):
    complete(learner, resources.keras, resources.xgboost, resources.statistics)
    page = parsed(learner_client.get("/progress/"))
    # Practitioner: Keras and XGboost of its three requirements (no evidence yet), 2/3.
    assert "67% done" in text(by_id(page, "degree-practitioner"))
    assert "30% of the catalog done" in text(page)
    bar_labels = {dict(bar.attributes).get("aria-label") for bar in elements(page, "progress")}
    assert "Statistics and probability: 25%" in bar_labels


def test_every_id_on_a_busy_dashboard_is_unique(learner_client, learner, resources):
    """Labels and headings point at ids (aria-labelledby): with recent activity, streaks and
    the calendar all shown, no two elements share one."""
    complete(learner, resources.algebra)
    page = learner_client.get(reverse("progress:dashboard"))
    assert page.status_code == 200
    assert by_id(page, "recent-activity-heading") is not None
    ids = [dict(element.attributes).get("id") for element in elements(page)]
    ids = [element_id for element_id in ids if element_id]
    assert sorted(ids) == sorted(set(ids))

"""Milestones: learners submit, edit and withdraw evidence; curators verify or reject it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from catalog.models import Requirement
from progress.models import DegreeAward, Evidence
from progress.services import review_evidence
from tests.factories import complete, give_evidence
from tests.html import by_id, elements, parsed, text

pytestmark = pytest.mark.usefixtures("study_catalog")

KAGGLE = "kaggle-keras-xgboost"


def submit_url(slug=KAGGLE):
    return reverse("progress:submit_evidence", args=[slug])


def withdraw_url(slug=KAGGLE):
    return reverse("progress:withdraw_evidence", args=[slug])


GOOD = {"url": "https://www.kaggle.com/code/ada/titanic", "description": "XGBoost, top 10%."}


def test_degrees_page_lists_each_degrees_milestones_with_their_source(client):
    page = parsed(client.get("/degrees/"))
    practitioner = text(by_id(page, "degree-practitioner"))
    assert "Use Keras and XGBoost in a Kaggle competition" in practitioner
    assert "A link to your Kaggle notebook or competition profile." in practitioner
    developer = text(by_id(page, "degree-developer"))
    for title in (
        "Write a multilayer perceptron from scratch",
        "Contribute a new layer to Keras (or another deep-learning library)",
        "Implement a model from a paper",
    ):
        assert title in developer
    assert "This means implementing models from papers in Theano or Tensorflow." in developer


@pytest.mark.parametrize("path", ["/degrees/", "/degrees/developer/"])
def test_degree_pages_quote_each_source_sentence_once_with_the_degree(client, path):
    quote = "A developer level asks for the ability to write your own models."
    Requirement.objects.filter(slug__in=["mlp-from-scratch", "new-keras-layer"]).update(
        source_quote=quote
    )
    page = parsed(client.get(path))
    assert text(page).count(quote) == 1
    (quotes,) = elements(page, "figure", class_="source-quotes")
    assert quote in text(quotes)
    for requirements in elements(page, "ul", class_="requirements"):
        assert quote not in text(requirements)


def test_degree_page_invites_visitors_to_sign_in_and_learners_to_submit(client, learner):
    assert "to submit evidence" in text(client.get("/degrees/practitioner/"))
    client.force_login(learner)
    page = parsed(client.get("/degrees/practitioner/"))
    assert elements(page, "form", action="/progress/milestones/kaggle-keras-xgboost/evidence/")
    assert elements(page, "label", for_="evidence-url-kaggle-keras-xgboost")


def test_unknown_degree_is_a_404(client):
    assert client.get("/degrees/wizard/").status_code == 404


def test_submitted_evidence_counts_at_once_and_is_self_attested(learner_client, learner, resources):
    complete(learner, resources.keras, resources.xgboost)
    response = learner_client.post(submit_url(), {**GOOD, "next": "/progress/"})
    assert response.status_code == 302
    assert response["Location"] == "/progress/#earned"  # the panel for the degree it earned
    evidence = Evidence.objects.get(learner=learner)
    assert (evidence.state, evidence.url) == (Evidence.State.SUBMITTED, GOOD["url"])
    assert DegreeAward.objects.get(learner=learner).degree.slug == "practitioner"
    page = parsed(learner_client.get("/progress/"))
    assert "Self-attested: it rests on evidence curators have not verified yet" in text(page)
    assert "Self-attested: counts now" in text(by_id(page, f"milestone-{KAGGLE}"))


def test_htmx_submission_returns_the_milestone_and_the_header_badge(
    learner_client, learner, hx, resources
):
    complete(learner, resources.keras, resources.xgboost)
    response = learner_client.post(submit_url(), GOOD, **hx())
    assert response.status_code == 200
    fragment = parsed(response)
    assert not elements(fragment, "html")
    (milestone,) = elements(fragment, "section", class_="milestone--submitted")
    assert elements(milestone, "a", href=GOOD["url"])
    (badge,) = elements(fragment, "li", id="header-badge", **{"hx-swap-oob": "true"})
    assert "★ Practitioner" in text(badge)


def test_htmx_submission_is_announced_in_the_live_region(learner_client, learner, hx, resources):
    complete(learner, resources.keras, resources.xgboost)
    response = learner_client.post(submit_url(), GOOD, **hx())
    assert text(by_id(response, "live-announcement")) == (
        "Evidence for Use Keras and XGBoost in a Kaggle competition saved. It counts right away."
        " You earned the Practitioner degree."
    )
    response = learner_client.post(withdraw_url(), **hx())
    assert text(by_id(response, "live-announcement")) == (
        "Evidence for Use Keras and XGBoost in a Kaggle competition withdrawn."
    )


def test_evidence_forms_stay_closed_until_opened_unless_they_hold_errors(
    learner_client, learner, hx, milestones
):
    give_evidence(learner, milestones.kaggle)
    page = parsed(learner_client.get("/progress/"))
    forms = elements(page, "details", class_="evidence__edit")
    assert len(forms) == 5
    assert [f for f in forms if "open" in dict(f.attributes)] == []
    for extra in ({}, hx()):
        response = learner_client.post(submit_url("mlp-from-scratch"), {"url": "x"}, **extra)
        (form,) = elements(response, "details", class_="evidence__edit")
        assert "open" in dict(form.attributes)


def test_editing_evidence_keeps_one_row_and_asks_for_review_again(
    learner_client, learner, milestones
):
    give_evidence(learner, milestones.kaggle)
    Evidence.objects.update(state=Evidence.State.REJECTED, curator_note="Private notebook.")
    learner_client.post(submit_url(), {"url": "https://kaggle.com/ada/v2", "description": "v2"})
    evidence = Evidence.objects.get(learner=learner)
    assert Evidence.objects.count() == 1
    assert (evidence.url, evidence.state, evidence.curator_note) == (
        "https://kaggle.com/ada/v2",
        Evidence.State.SUBMITTED,
        "",
    )


def test_withdrawing_evidence_lowers_progress_but_keeps_the_award(
    learner_client, learner, hx, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost)
    give_evidence(learner, milestones.kaggle)
    response = learner_client.post(withdraw_url(), **hx())
    assert response.status_code == 200
    assert "Submit evidence" in text(response)
    assert not Evidence.objects.exists()
    assert DegreeAward.objects.filter(learner=learner).exists()
    page = text(learner_client.get("/progress/"))
    assert "Some milestones of this degree have no evidence from you yet" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "ftp://files.example.org/x", "description": "d"}, "Enter a valid http(s) link."),
        ({"url": "javascript:alert(1)", "description": "d"}, "Enter a valid http(s) link."),
        ({"url": "not a link", "description": "d"}, "Enter a valid http(s) link."),
        ({"url": "https://ok.example/", "description": "x" * 501}, "at most 500 characters"),
        ({"url": "https://ok.example/", "description": ""}, "This field is required."),
    ],
)
def test_bad_evidence_is_refused_with_a_message_and_nothing_saved(
    learner_client, learner, data, message, hx, milestones
):
    give_evidence(learner, milestones.kaggle)
    before = Evidence.objects.get().url
    for extra in ({}, hx()):
        response = learner_client.post(submit_url(), data, **extra)
        assert response.status_code == 422
        assert message in text(response)
    assert Evidence.objects.get().url == before


def test_evidence_for_an_unknown_milestone_is_a_404(learner_client):
    assert learner_client.post(submit_url("no-such-milestone"), GOOD).status_code == 404
    assert not Evidence.objects.exists()


def test_visitors_cannot_submit_evidence(client):
    response = client.post(submit_url(), GOOD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Evidence.objects.exists()


def test_another_learners_evidence_is_never_visible(client, learner, make_learner, milestones):
    give_evidence(learner, milestones.kaggle)
    client.force_login(make_learner("grace"))
    for url in ("/progress/", "/degrees/practitioner/", "/degrees/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "example.org/ada" not in page.content.decode(), url  # nor in any link


def test_curators_verify_evidence_and_the_badge_says_verified(
    client, learner, curator, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost)
    give_evidence(learner, milestones.kaggle)
    client.force_login(curator)
    evidence = Evidence.objects.get()
    queue = client.get("/admin/progress/evidence/?state__exact=submitted")
    assert queue.status_code == 200
    assert elements(queue, "a", href=evidence.url)
    response = client.post(
        "/admin/progress/evidence/",
        {"action": "mark_verified", "_selected_action": [evidence.pk]},
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.state, evidence.reviewed_by) == (Evidence.State.VERIFIED, curator)
    assert "Verified 1 piece of evidence." in text(client.get("/admin/progress/evidence/"))
    client.force_login(learner)
    page = text(client.get("/progress/"))
    assert "Verified: curators have verified the evidence for every milestone" in page


def test_curators_rejection_lowers_progress_and_tells_the_learner_why(
    client, learner, curator, resources, milestones
):
    complete(learner, resources.keras, resources.xgboost)
    give_evidence(learner, milestones.kaggle)
    evidence = Evidence.objects.get()
    client.force_login(curator)
    changelist = "/admin/progress/evidence/"
    confirm = client.post(
        changelist, {"action": "mark_rejected", "_selected_action": [evidence.pk]}
    )
    assert confirm.status_code == 200
    assert "Note to the learner" in text(confirm)
    no_note = client.post(
        changelist, {"action": "mark_rejected", "_selected_action": [evidence.pk], "apply": "1"}
    )
    assert "This field is required." in text(no_note)
    assert Evidence.objects.get().state == Evidence.State.SUBMITTED
    client.post(
        changelist,
        {
            "action": "mark_rejected",
            "_selected_action": [evidence.pk],
            "apply": "1",
            "reason": "This notebook uses neither Keras nor XGBoost.",
        },
    )
    assert Evidence.objects.get().state == Evidence.State.REJECTED
    assert "Rejected 1 piece of evidence." in text(client.get(changelist))

    client.force_login(learner)
    page = parsed(client.get("/progress/"))
    milestone = text(by_id(page, f"milestone-{KAGGLE}"))
    assert "This notebook uses neither Keras nor XGBoost." in milestone
    assert "Rejected by a curator" in milestone
    practitioner = text(by_id(page, "degree-practitioner"))
    assert "Show evidence: Use Keras and XGBoost in a Kaggle competition" in practitioner
    assert "Rests on rejected evidence" in practitioner
    assert DegreeAward.objects.filter(learner=learner).exists()  # the award stays


def test_curators_cannot_add_evidence_or_see_other_progress_data(client, curator):
    client.force_login(curator)
    assert client.get("/admin/progress/evidence/add/").status_code == 403
    assert client.get("/admin/progress/resourceprogress/").status_code == 403


REVIEWED_AT = datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)


def review_stamp(evidence):
    evidence.refresh_from_db()
    return evidence.state, evidence.curator_note, evidence.reviewed_by, evidence.reviewed_at


def test_a_review_records_its_state_note_reviewer_and_time(learner, curator, milestones):
    give_evidence(learner, milestones.kaggle, milestones.perceptron)
    kaggle = Evidence.objects.get(milestone=milestones.kaggle)
    perceptron = Evidence.objects.get(milestone=milestones.perceptron)
    reviewed = review_evidence(
        evidence_ids=[kaggle.pk],
        state=Evidence.State.REJECTED,
        reviewer=curator,
        note="Private notebook.",
        now=REVIEWED_AT,
    )
    assert reviewed == 1
    assert review_stamp(kaggle) == ("rejected", "Private notebook.", curator, REVIEWED_AT)
    assert review_stamp(perceptron) == ("submitted", "", None, None)


def test_a_review_edited_in_the_admin_form_is_stamped_like_a_bulk_review(
    client, curator, learner, milestones
):
    with time_machine.travel(REVIEWED_AT, tick=False):  # the whole session, at a fixed time
        give_evidence(learner, milestones.kaggle)
        evidence = Evidence.objects.get()
        change_url = reverse("admin:progress_evidence_change", args=[evidence.pk])
        client.force_login(curator)

        unchanged = client.post(change_url, {"state": "submitted", "curator_note": ""})
        assert unchanged.status_code == 302
        assert unchanged["Location"] == reverse("admin:progress_evidence_changelist")
        assert review_stamp(evidence) == ("submitted", "", None, None)  # saving is not reviewing

        response = client.post(
            change_url, {"state": "rejected", "curator_note": "Private notebook."}
        )
        assert response.status_code == 302
        assert review_stamp(evidence) == ("rejected", "Private notebook.", curator, REVIEWED_AT)

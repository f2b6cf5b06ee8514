"""Marking resources through plain POSTs and through HTMX, and what learners see after."""

import json

import pytest
from django.urls import reverse

from catalog.models import Resource
from progress.models import Activity, DegreeAward, ResourceProgress, Status
from tests.factories import give_evidence
from tests.html import by_id, elements, parsed, text

pytestmark = pytest.mark.usefixtures("study_catalog")


def status_url(slug):
    return reverse("progress:set_status", args=[slug])


def note_url(slug):
    return reverse("progress:update_note", args=[slug])


def test_catalog_shows_each_resource_a_control_named_after_it(learner_client):
    buttons = [text(button) for button in elements(learner_client.get("/"), "button")]
    assert "Mark Khan Academy Calculus as completed" in buttons
    assert "Start Khan Academy Calculus" in buttons


def test_visitors_see_no_controls_but_an_invitation_to_sign_in(client):
    page = parsed(client.get("/topics/calculus/"))
    assert not [b for b in elements(page, "button") if "as completed" in text(b)]
    assert "to track your progress" in text(page)


def test_plain_post_marks_completed_and_redirects_back(learner_client, learner):
    response = learner_client.post(
        status_url("khan-academy-calculus"), {"status": "completed", "next": "/topics/calculus/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/topics/calculus/#resource-khan-academy-calculus"
    progress = ResourceProgress.objects.get(learner=learner)
    assert progress.status == Status.COMPLETED
    assert progress.completed_at is not None
    resource = by_id(learner_client.get("/topics/calculus/"), "resource-khan-academy-calculus")
    assert "Completed" in text(resource)
    assert elements(resource, "time")
    assert "1 of 1 done" in text(learner_client.get("/topics/calculus/"))


def test_plain_post_without_next_goes_to_the_resource_on_its_topic_page(learner_client):
    response = learner_client.post(status_url("khan-academy-calculus"), {"status": "in_progress"})
    assert response["Location"] == "/topics/calculus/#resource-khan-academy-calculus"


def test_offsite_next_is_ignored(learner_client):
    response = learner_client.post(
        status_url("khan-academy-calculus"),
        {"status": "in_progress", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/topics/calculus/#resource-khan-academy-calculus"


def test_htmx_post_returns_the_resource_and_out_of_band_progress(learner_client, hx):
    response = learner_client.post(
        status_url("khan-academy-linear-algebra"),
        {"status": "completed"},
        **hx(current_url="http://testserver/topics/linear-algebra/"),
    )
    assert response.status_code == 200
    fragment = parsed(response)
    assert not elements(fragment, "html")
    (resource,) = elements(
        fragment, "li", class_="resource--completed", id="resource-khan-academy-linear-algebra"
    )
    (topic_progress,) = elements(
        fragment,
        "div",
        class_="topic-progress",
        id="topic-progress-linear-algebra",
        **{"hx-swap-oob": "true"},
    )
    assert "1 of 2 done" in text(topic_progress)
    # No degree was earned, so the header badge is left as it is (the next test earns one).
    assert not elements(fragment, "li", id="header-badge")
    # The re-rendered buttons still belong to the page's form, which holds the token and the
    # way back for a learner without JavaScript.
    buttons = elements(resource, "button", name="status")
    assert buttons
    assert {dict(b.attributes)["form"] for b in buttons} == {"progress-form"}


def test_completing_the_last_practitioner_requirement_updates_the_header_badge(
    learner_client, learner, hx, milestones
):
    give_evidence(learner, milestones.kaggle)
    learner_client.post(status_url("keras"), {"status": "completed"})
    response = learner_client.post(status_url("xgboost"), {"status": "completed"}, **hx())
    assert "★ Practitioner" in text(by_id(response, "header-badge"))
    award = DegreeAward.objects.get(learner=learner)
    assert award.degree.slug == "practitioner"
    assert "★ Practitioner" in text(by_id(learner_client.get("/"), "header-badge"))


def test_htmx_post_announces_the_change_and_the_topic_progress_in_the_live_region(
    learner_client, hx
):
    url = status_url("khan-academy-linear-algebra")
    response = learner_client.post(url, {"status": "in_progress"}, **hx())
    (announcement,) = elements(response, "div", id="live-announcement")
    assert dict(announcement.attributes)["hx-swap-oob"] == "innerHTML"
    assert text(announcement) == "Khan Academy Linear Algebra: in progress."
    response = learner_client.post(url, {"status": "completed"}, **hx())
    assert text(by_id(response, "live-announcement")) == (
        "Khan Academy Linear Algebra: completed. Linear Algebra: 1 of 2 done."
    )


def test_a_completions_topic_bar_counts_only_what_is_published_now(learner_client, hx):
    statistics = "statistics-and-probability"
    learner_client.post(status_url("edx-probability"), {"status": "completed"}, **hx())
    learner_client.post(status_url("information-theory"), {"status": "completed"}, **hx())
    unpublished = Resource.objects.get(slug="information-theory")
    unpublished.is_published = False
    unpublished.save()

    response = learner_client.post(
        status_url("edx-introduction-to-statistics"), {"status": "completed"}, **hx()
    )

    assert response.status_code == 200
    assert text(by_id(response, f"topic-progress-{statistics}")) == "2 of 3 done"
    assert text(by_id(response, "live-announcement")).endswith(
        "Statistics and probability: 2 of 3 done."
    )
    response = learner_client.post(status_url("edx-probability"), {"status": "not_started"}, **hx())
    assert text(by_id(response, f"topic-progress-{statistics}")) == "1 of 3 done"
    response = learner_client.post(status_url("edx-probability"), {"status": "known"}, **hx())
    assert text(by_id(response, f"topic-progress-{statistics}")) == "2 of 3 done"
    assert text(by_id(response, "live-announcement")) == (
        "edx Probability: already known. Statistics and probability: 2 of 3 done."
    )


def test_the_completion_that_earns_a_degree_announces_it_once(
    learner_client, learner, hx, milestones
):
    give_evidence(learner, milestones.kaggle)
    learner_client.post(status_url("keras"), {"status": "completed"})
    response = learner_client.post(status_url("xgboost"), {"status": "completed"}, **hx())
    assert text(by_id(response, "live-announcement")).endswith(
        "You earned the Practitioner degree."
    )
    response = learner_client.post(
        status_url("khan-academy-calculus"), {"status": "completed"}, **hx()
    )
    assert "You earned" not in text(by_id(response, "live-announcement"))


def test_every_page_has_an_empty_polite_live_region(learner_client):
    (region,) = elements(learner_client.get("/"), "div", id="live-announcement")
    assert dict(region.attributes)["aria-live"] == "polite"
    assert text(region) == ""


def test_marking_twice_keeps_one_row_and_the_first_completion_time(learner_client, learner):
    learner_client.post(status_url("keras"), {"status": "completed"})
    first = ResourceProgress.objects.get(learner=learner).completed_at
    learner_client.post(status_url("keras"), {"status": "completed"})
    assert ResourceProgress.objects.filter(learner=learner).count() == 1
    assert ResourceProgress.objects.get(learner=learner).completed_at == first
    assert Activity.objects.filter(learner=learner).count() == 1


def test_undo_returns_to_not_started(learner_client, learner):
    learner_client.post(status_url("keras"), {"status": "completed"})
    learner_client.post(status_url("keras"), {"status": "not_started"})
    progress = ResourceProgress.objects.get(learner=learner)
    assert progress.status == Status.NOT_STARTED
    assert progress.completed_at is None


def test_marking_known_offers_a_button_named_after_the_resource_and_shows_known(learner_client):
    buttons = [text(button) for button in elements(learner_client.get("/"), "button")]
    assert "Mark Khan Academy Calculus as known" in buttons
    response = learner_client.post(
        status_url("khan-academy-calculus"), {"status": "known", "next": "/topics/calculus/"}
    )
    assert response.status_code == 302
    page = learner_client.get("/topics/calculus/")
    card = by_id(page, "resource-khan-academy-calculus")
    assert "resource--known" in dict(card.attributes)["class"].split()
    assert "✓ Already known" in text(card)
    assert "Completed" not in text(card)
    buttons = [text(button) for button in elements(card, "button")]
    assert "Undo Khan Academy Calculus" in buttons
    assert "Mark Khan Academy Calculus as completed" not in buttons
    assert "1 of 1 done" in text(page)


def test_known_resources_count_toward_a_degree_and_record_its_award(
    learner_client, learner, hx, milestones
):
    give_evidence(learner, milestones.kaggle)
    learner_client.post(status_url("keras"), {"status": "known"})
    response = learner_client.post(status_url("xgboost"), {"status": "known"}, **hx())
    assert text(by_id(response, "live-announcement")).endswith(
        "You earned the Practitioner degree."
    )
    award = DegreeAward.objects.get(learner=learner)
    assert award.degree.slug == "practitioner"
    progress = ResourceProgress.objects.get(learner=learner, resource__slug="keras")
    assert (progress.status, progress.completed_at) == (Status.KNOWN, None)


def test_a_page_from_before_the_rename_may_still_post_skipped_which_means_known(
    learner_client, learner
):
    response = learner_client.post(status_url("keras"), {"status": "skipped"})
    assert response.status_code == 302
    assert ResourceProgress.objects.get(learner=learner).status == Status.KNOWN


def test_unknown_status_is_a_400_with_a_message_and_changes_nothing(learner_client):
    response = learner_client.post(status_url("keras"), {"status": "mastered"})
    assert response.status_code == 400
    assert "Unknown status “mastered”" in text(response)
    assert "not_started, in_progress, completed or known" in text(response)
    assert not ResourceProgress.objects.exists()


def test_unknown_resource_is_a_404(learner_client):
    response = learner_client.post(status_url("no-such-resource"), {"status": "completed"})
    assert response.status_code == 404
    assert not ResourceProgress.objects.exists()


def test_unpublished_resource_is_a_404(learner_client):
    Resource.objects.filter(slug="keras").update(is_published=False)
    response = learner_client.post(status_url("keras"), {"status": "completed"})
    assert response.status_code == 404
    assert not ResourceProgress.objects.exists()


def test_get_never_changes_state(learner_client):
    assert learner_client.get(status_url("keras") + "?status=completed").status_code == 405
    assert not ResourceProgress.objects.exists()


def test_post_without_csrf_token_is_refused(client, learner, hx):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    response = strict.post(status_url("keras"), {"status": "completed"}, **hx())
    assert response.status_code == 403
    assert not ResourceProgress.objects.exists()


def test_htmx_post_with_the_header_token_is_accepted(learner, hx):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    [body] = elements(strict.get("/topics/calculus/"), "body")
    token = json.loads(dict(body.attributes)["hx-headers"])["X-CSRFToken"]
    response = strict.post(
        status_url("khan-academy-calculus"),
        {"status": "completed"},
        HTTP_X_CSRFTOKEN=token,
        **hx(),
    )
    assert response.status_code == 200
    assert ResourceProgress.objects.get().status == Status.COMPLETED


def test_anonymous_post_is_sent_to_sign_in_and_back(client):
    response = client.post(
        status_url("keras"), {"status": "completed", "next": "/topics/calculus/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/topics/calculus/"
    assert not ResourceProgress.objects.exists()


def test_anonymous_htmx_post_gets_a_client_redirect_to_sign_in(client, hx):
    response = client.post(
        status_url("keras"),
        {"status": "completed"},
        **hx(current_url="http://testserver/topics/how-to-study-the-degrees/"),
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
    assert "how-to-study-the-degrees" in response["HX-Redirect"]


def test_note_is_saved_and_shown_only_to_its_learner(learner_client, client, make_learner):
    response = learner_client.post(
        note_url("keras"), {"keras-note": "Start with the functional API.", "next": "/"}
    )
    assert response.status_code == 302
    assert "Start with the functional API." in text(learner_client.get("/"))
    client.force_login(make_learner("grace"))
    others = client.get("/")
    assert others.status_code == 200
    assert "Start with the functional API." not in others.content.decode()  # nor in a field


def test_note_edit_through_htmx_keeps_the_status(learner_client, learner, hx):
    learner_client.post(status_url("keras"), {"status": "in_progress"})
    response = learner_client.post(note_url("keras"), {"keras-note": "halfway"}, **hx())
    assert response.status_code == 200
    assert "halfway" in text(response)
    progress = ResourceProgress.objects.get(learner=learner)
    assert (progress.status, progress.note) == (Status.IN_PROGRESS, "halfway")


def test_overlong_note_is_refused_with_a_message_and_nothing_saved(learner_client, learner, hx):
    learner_client.post(note_url("keras"), {"keras-note": "keep me"})
    for extra in ({}, hx()):
        response = learner_client.post(note_url("keras"), {"keras-note": "x" * 1001}, **extra)
        assert response.status_code == 422
        assert "Ensure this value has at most 1000 characters" in text(response)
    assert ResourceProgress.objects.get(learner=learner).note == "keep me"

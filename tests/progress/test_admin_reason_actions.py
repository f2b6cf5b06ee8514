"""The admin's two bulk actions that need a reason (revoking awards, rejecting evidence) share
one confirmation page: it lists the rows, asks for the reason and refuses to act without one."""

from typing import NamedTuple

import pytest
from django.utils.timezone import localtime
from pytest_django.asserts import assertContains, assertTemplateUsed

from progress.models import Evidence
from tests.factories import earn_seed_practitioner, give_evidence
from tests.html import elements, text

pytestmark = pytest.mark.usefixtures("study_catalog")

AWARDS = "/admin/progress/degreeaward/"
EVIDENCE = "/admin/progress/evidence/"


class ReasonAction(NamedTuple):
    changelist: str
    name: str
    reason_field: str
    row: object
    submit_label: str

    def done(self):
        """Whether the action was applied to the row."""
        self.row.refresh_from_db()
        if isinstance(self.row, Evidence):
            return self.row.state == Evidence.State.REJECTED
        return self.row.is_revoked


@pytest.fixture
def revoke(learner):
    award = earn_seed_practitioner(learner)
    return ReasonAction(AWARDS, "revoke", "reason", award, "Revoke with this reason")


@pytest.fixture
def reject(learner, milestones):
    give_evidence(learner, milestones.kaggle)
    evidence = Evidence.objects.get()
    return ReasonAction(EVIDENCE, "mark_rejected", "note", evidence, "Reject with this note")


@pytest.fixture(params=["revoke", "reject"])
def action(request):
    return request.getfixturevalue(request.param)


def test_the_confirmation_lists_the_rows_and_posts_the_action_again(curator_client, action):
    page = curator_client.post(
        action.changelist, {"action": action.name, "_selected_action": [action.row.pk]}
    )

    assert page.status_code == 200
    assertTemplateUsed(page, "admin/action_with_reason.html")
    pk = str(action.row.pk)
    assert elements(page, "input", type="hidden", name="_selected_action", value=pk)
    assert elements(page, "input", type="hidden", name="action", value=action.name)
    assert elements(page, "input", type="submit", value=action.submit_label)
    assert elements(page, "textarea", name=action.reason_field)
    cancel = f'<a href="{action.changelist}" class="button cancel-link">Cancel</a>'
    assertContains(page, cancel, html=True)
    assert not action.done()


def test_without_a_reason_nothing_happens_and_the_form_says_why(curator_client, action):
    data = {
        "action": action.name,
        "_selected_action": [action.row.pk],
        "apply": "1",
        action.reason_field: "  ",
    }

    page = curator_client.post(action.changelist, data)

    assert page.status_code == 200
    assertTemplateUsed(page, "admin/action_with_reason.html")
    assert page.context["form"].errors == {action.reason_field: ["This field is required."]}
    assertContains(page, "This field is required.")
    assert not action.done()


def test_with_a_reason_the_action_is_applied(curator_client, action):
    data = {
        "action": action.name,
        "_selected_action": [action.row.pk],
        "apply": "1",
        action.reason_field: "Not the learner's own work.",
    }

    response = curator_client.post(action.changelist, data)

    assert response.status_code == 302
    assert action.done()


def test_the_award_row_says_who_earned_it_and_when(curator_client, learner):
    award = earn_seed_practitioner(learner)

    page = curator_client.post(AWARDS, {"action": "revoke", "_selected_action": [award.pk]})

    assertContains(
        page,
        f"<li>Practitioner · ada, earned {localtime(award.awarded_at):%-d %b %Y}</li>",
        html=True,
    )


def test_the_evidence_row_links_to_the_evidence(curator_client, learner, milestones):
    give_evidence(learner, milestones.kaggle)
    evidence = Evidence.objects.get()

    page = curator_client.post(
        EVIDENCE, {"action": "mark_rejected", "_selected_action": [evidence.pk]}
    )

    link = elements(page, "a", href=evidence.url, rel="noopener noreferrer nofollow")
    assert link


@pytest.mark.parametrize(
    ("fixture", "breadcrumbs"),
    [("revoke", "Home › Degree awards › Revoke"), ("reject", "Home › Evidence › Reject")],
)
def test_the_breadcrumbs_lead_back_to_the_list(curator_client, request, fixture, breadcrumbs):
    action = request.getfixturevalue(fixture)

    page = curator_client.post(
        action.changelist, {"action": action.name, "_selected_action": [action.row.pk]}
    )

    (trail,) = elements(page, "div", class_="breadcrumbs")
    assert text(trail) == breadcrumbs

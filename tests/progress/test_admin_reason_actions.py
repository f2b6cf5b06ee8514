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
    row: object
    submit_label: str

    def post(self, client, **confirmation):
        """The action on the row: `apply="1", reason=...` confirms it."""
        data = {"action": self.name, "_selected_action": [self.row.pk], **confirmation}
        return client.post(self.changelist, data)

    def done(self):
        """Whether the action was applied to the row."""
        self.row.refresh_from_db()
        if isinstance(self.row, Evidence):
            return self.row.state == Evidence.State.REJECTED
        return self.row.is_revoked


@pytest.fixture
def revoke(learner):
    award = earn_seed_practitioner(learner)
    return ReasonAction(AWARDS, "revoke", award, "Revoke with this reason")


@pytest.fixture
def reject(learner, milestones):
    give_evidence(learner, milestones.kaggle)
    return ReasonAction(EVIDENCE, "mark_rejected", Evidence.objects.get(), "Reject with this note")


@pytest.fixture(params=["revoke", "reject"])
def action(request):
    return request.getfixturevalue(request.param)


def test_the_confirmation_lists_the_rows_and_posts_the_action_again(curator_client, action):
    page = action.post(curator_client)

    assert page.status_code == 200
    assertTemplateUsed(page, "admin/action_with_reason.html")
    pk = str(action.row.pk)
    assert elements(page, "input", type="hidden", name="_selected_action", value=pk)
    assert elements(page, "input", type="hidden", name="action", value=action.name)
    assert elements(page, "input", type="submit", value=action.submit_label)
    assert elements(page, "textarea", name="reason")
    cancel = f'<a href="{action.changelist}" class="button cancel-link">Cancel</a>'
    assertContains(page, cancel, html=True)
    assert not action.done()


def test_without_a_reason_nothing_happens_and_the_form_says_why(curator_client, action):
    page = action.post(curator_client, apply="1", reason="  ")

    assert page.status_code == 200
    assertTemplateUsed(page, "admin/action_with_reason.html")
    assert page.context["form"].errors == {"reason": ["This field is required."]}
    assertContains(page, "This field is required.")
    assert not action.done()


def test_with_a_reason_the_action_is_applied(curator_client, action):
    response = action.post(curator_client, apply="1", reason="Not the learner's own work.")

    assert response.status_code == 302
    assert action.done()


@pytest.mark.parametrize(
    ("fixture", "breadcrumbs"),
    [("revoke", "Home › Degree awards › Revoke"), ("reject", "Home › Evidence › Reject")],
)
def test_the_breadcrumbs_lead_back_to_the_list(curator_client, request, fixture, breadcrumbs):
    page = request.getfixturevalue(fixture).post(curator_client)

    (trail,) = elements(page, "div", class_="breadcrumbs")
    assert text(trail) == breadcrumbs


def test_the_award_row_says_who_earned_it_and_when(curator_client, revoke):
    page = revoke.post(curator_client)

    earned = f"{localtime(revoke.row.awarded_at):%-d %b %Y}"
    assertContains(page, f"<li>Practitioner · ada, earned {earned}</li>", html=True)


def test_the_evidence_row_links_to_the_evidence(curator_client, reject):
    page = reject.post(curator_client)

    assert elements(page, "a", href=reject.row.url, rel="noopener noreferrer nofollow")

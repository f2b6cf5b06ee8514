"""Milestones as catalog data: the third kind of requirement, the seed, and the admin."""

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import Degree, Milestone, Requirement, Resource, Topic
from tests.html import elements, text

pytestmark = pytest.mark.usefixtures("seed_catalog")

SEED_MILESTONES = {
    "kaggle-keras-xgboost": "practitioner",
    "mlp-from-scratch": "developer",
    "new-keras-layer": "developer",
    "model-from-paper": "developer",
    "new-model-new-field": "researcher",
}


def test_seed_attaches_each_milestone_to_its_degree_quoting_the_list():
    attached = dict(
        Requirement.objects.filter(milestone__isnull=False).values_list(
            "milestone__slug", "degree__slug"
        )
    )
    assert attached == SEED_MILESTONES
    kaggle = Requirement.objects.get(milestone__slug="kaggle-keras-xgboost")
    assert kaggle.source_quote == (
        "To get a practitioner badge, you should feel good if you can use Keras and XGboost "
        "for Kaggle competitions."
    )
    assert all(m.evidence_hint for m in Milestone.objects.all())


def test_milestone_natural_key_round_trip():
    milestone = Milestone.objects.get(slug="mlp-from-scratch")
    data = serializers.serialize("json", [milestone], use_natural_primary_keys=True)
    assert '"pk"' not in data
    (restored,) = serializers.deserialize("json", data)
    assert restored.object.pk == milestone.pk


def assert_refused_everywhere(requirement, message=""):
    """Validation refuses the requirement (saying `message`), and so does the database."""
    with pytest.raises(ValidationError) as error:
        requirement.full_clean()
    assert message in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        requirement.save()


@pytest.mark.parametrize(
    "targets",
    [("resource", "milestone"), ("topic", "milestone"), ("resource", "topic", "milestone")],
)
def test_database_refuses_a_milestone_requirement_with_another_target(targets):
    values = {
        "resource": Resource.objects.get(slug="keras"),
        "topic": Topic.objects.get(slug="calculus"),
        "milestone": Milestone.objects.get(slug="mlp-from-scratch"),
    }
    requirement = Requirement(
        degree=Degree.objects.get(slug="practitioner"),
        slug="mixed",
        **{name: values[name] for name in targets},
    )
    assert_refused_everywhere(requirement)


def test_at_least_count_is_refused_on_a_milestone_requirement():
    requirement = Requirement(
        degree=Degree.objects.get(slug="practitioner"),
        slug="counted",
        milestone=Milestone.objects.get(slug="mlp-from-scratch"),
        min_count=2,
    )
    assert_refused_everywhere(requirement, "applies only to a topic requirement")


def test_a_milestone_alone_is_a_valid_requirement():
    requirement = Requirement(
        degree=Degree.objects.get(slug="practitioner"),
        slug="mlp",
        milestone=Milestone.objects.get(slug="mlp-from-scratch"),
    )
    requirement.full_clean()
    requirement.save()
    assert requirement.describe() == "Show evidence: Write a multilayer perceptron from scratch"


def test_a_milestone_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Milestone.objects.get(slug="mlp-from-scratch").delete()


def test_admin_shows_milestones_under_their_degree(curator_client):
    degree = Degree.objects.get(slug="developer")
    page = curator_client.get(f"/admin/catalog/degree/{degree.pk}/change/")
    assert "Write a multilayer perceptron from scratch" in text(page)
    assert elements(page, "select", name="requirements-0-milestone")


def test_admin_adds_a_milestone_requirement_and_refuses_one_with_two_targets(
    curator_client, degree_form
):
    degree = Degree.objects.get(slug="practitioner")
    milestone = Milestone.objects.get(slug="model-from-paper")
    keras = Resource.objects.get(slug="keras")
    row = {"position": 50, "slug": "paper", "milestone": milestone.pk, "source_quote": ""}

    refused = curator_client.post(
        f"/admin/catalog/degree/{degree.pk}/change/",
        degree_form(degree, [{**row, "resource": keras.pk}]),
    )
    assert refused.status_code == 200
    assert (
        "A requirement names exactly one thing: a resource, a topic (with an optional “at least” "
        "count) or a milestone." in text(refused)
    )
    assert not Requirement.objects.filter(slug="paper").exists()

    accepted = curator_client.post(
        f"/admin/catalog/degree/{degree.pk}/change/", degree_form(degree, [row])
    )
    assert accepted.status_code == 302
    assert Requirement.objects.get(slug="paper", degree=degree).milestone == milestone


def test_admin_milestone_list_says_which_degrees_require_each(curator_client):
    rows = [text(row) for row in elements(curator_client.get("/admin/catalog/milestone/"), "tr")]
    assert "Use Keras and XGBoost in a Kaggle competition Practitioner kaggle-keras-xgboost" in rows
    assert "Write a multilayer perceptron from scratch Developer mlp-from-scratch" in rows

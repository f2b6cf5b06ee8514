"""Racing requests on PostgreSQL (two real connections) give one row and no server error."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from progress.models import Activity, DegreeAward, ResourceProgress
from tests.factories import give_evidence

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(learner, posts):
    """POST each (slug, status) from its own thread and connection, all at once."""
    barrier = threading.Barrier(len(posts))
    statuses = []

    def post(slug, status):
        client = Client()
        client.force_login(learner)
        try:
            barrier.wait(timeout=10)
            response = client.post(f"/progress/resources/{slug}/status/", {"status": status})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=p) for p in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def test_two_connections_marking_the_same_resource_make_one_row(learner):
    call_command("loaddata", "catalog", verbosity=0)
    for _ in range(5):
        ResourceProgress.objects.all().delete()
        statuses = race(learner, [("keras", "completed"), ("keras", "completed")])
        assert statuses == [302, 302]
        assert ResourceProgress.objects.filter(learner=learner).count() == 1
        assert Activity.objects.filter(learner=learner, resource__slug="keras").count() >= 1


def test_racing_completions_of_the_last_requirements_record_the_award(learner, milestones):
    call_command("loaddata", "catalog", verbosity=0)
    give_evidence(learner, milestones.kaggle)
    statuses = race(learner, [("keras", "completed"), ("xgboost", "completed")])
    assert statuses == [302, 302]
    # The learner's writes are serialised, so the second one sees both completions.
    assert list(
        DegreeAward.objects.filter(learner=learner).values_list("degree__slug", flat=True)
    ) == ["practitioner"]

"""Progress survives catalog edits: renames, moves and re-seeding keep every status and note."""

import pytest
from django.core.management import call_command

from catalog.models import Resource, Topic
from progress.models import ResourceProgress, Status
from progress.services import set_resource_note, set_resource_status
from tests.html import by_id, elements, result_titles, text

pytestmark = pytest.mark.usefixtures("study_catalog")


@pytest.fixture
def keras_progress(learner):
    keras = Resource.objects.get(slug="keras")
    set_resource_status(learner=learner, resource=keras, status=Status.COMPLETED)
    set_resource_note(learner=learner, resource=keras, note="Did the MNIST tutorial.")
    return ResourceProgress.objects.get(learner=learner, resource=keras)


def assert_kept(progress):
    kept = ResourceProgress.objects.get(pk=progress.pk)
    assert kept.status == Status.COMPLETED
    assert kept.note == "Did the MNIST tutorial."
    assert kept.completed_at == progress.completed_at


def test_renaming_and_moving_a_resource_keeps_progress(keras_progress, learner_client):
    keras = Resource.objects.get(slug="keras")
    keras.title = "Keras 3"
    keras.save()
    listing = keras.main_listing
    listing.topic = Topic.objects.get(slug="calculus")
    listing.save()
    assert_kept(keras_progress)
    page = learner_client.get("/topics/calculus/")
    card = by_id(page, f"resource-{keras.slug}")
    assert "Keras 3" in result_titles(card)
    assert [text(note) for note in elements(card, "p", class_="note__text")] == [
        "Did the MNIST tutorial."
    ]


def test_reloading_the_seed_keeps_progress(keras_progress):
    call_command("loaddata", "catalog", verbosity=0)
    assert ResourceProgress.objects.count() == 1
    assert_kept(keras_progress)


def test_a_resource_with_progress_cannot_be_deleted(keras_progress):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Resource.objects.get(slug="keras").delete()
    assert_kept(keras_progress)

"""Progress import: Preview, then "Import these changes" without choosing the file again.

The previewed file comes back signed in the page; an expired, altered or another learner's
token is refused with a message, and nothing is written.
"""

import datetime
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.transfer import preview
from accounts.transfer.base import ImportFileError
from accounts.transfer.preview import PREVIEW_LIFETIME, previewed_content, sign_preview
from progress.models import Activity, ResourceProgress
from tests.html import by_id, elements, text

IMPORT = "/account/import/"
T = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
EXPORT = {
    "format": "mlmath-progress",
    "version": 1,
    "progress": [
        {
            "resource": {"url": "", "slug": "keras", "title": "Keras"},
            "status": "completed",
            "completed_at": T.isoformat(),
            "updated_at": T.isoformat(),
            "note": "from the other site",
        }
    ],
    "activity": [{"resource": {"slug": "keras"}, "status": "completed", "at": T.isoformat()}],
}


def preview_upload(client, **extra):
    upload = SimpleUploadedFile("export.json", json.dumps(EXPORT).encode(), "application/json")
    return client.post(IMPORT, {"file": upload, "action": "preview"}, **extra)


def confirm_form(response):
    [form] = elements(response, "form", class_="import-confirm")
    return form


def preview_token(response):
    [field] = elements(confirm_form(response), "input", name="preview")
    return dict(field.attributes)["value"]


def confirm(client, token, **extra):
    return client.post(IMPORT, {"preview": token, "action": "import"}, **extra)


def panel_heading(response):
    return text(elements(by_id(response, "import-panel"), "h3")[0])


def nothing_written(learner):
    return not (
        ResourceProgress.objects.for_learner(learner).exists()
        or Activity.objects.for_learner(learner).exists()
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_import_after_preview_needs_no_second_upload(
    seed_catalog, learner_client, learner, hx, htmx
):
    headers = hx() if htmx else {}

    previewed = preview_upload(learner_client, **headers)

    assert previewed.status_code == 200
    assert panel_heading(previewed).startswith("Preview")
    form = confirm_form(previewed)
    assert "kept in this page for 30 minutes" in text(form)
    assert [text(b) for b in elements(form, "button")] == ["Import these changes"]
    assert "choose the file again" not in text(previewed)
    assert nothing_written(learner)

    imported = confirm(learner_client, preview_token(previewed), **headers)

    assert imported.status_code == 200
    assert panel_heading(imported) == "Imported"
    assert "1 new resource" in text(by_id(imported, "import-panel"))
    assert not elements(imported, "form", class_="import-confirm")
    assert ResourceProgress.objects.get(learner=learner).note == "from the other site"
    assert Activity.objects.for_learner(learner).count() == 1


# The learner signs in at T too: a session opened at the real time could have expired by T.
@pytest.mark.frozen_at(T)
def test_a_preview_can_be_imported_until_it_is_30_minutes_old(
    seed_catalog, learner_client, learner
):
    with time_machine.travel(T, tick=False):
        token = preview_token(preview_upload(learner_client))
    with time_machine.travel(T + PREVIEW_LIFETIME - datetime.timedelta(seconds=1), tick=False):
        response = confirm(learner_client, token)

    assert response.status_code == 200
    assert panel_heading(response) == "Imported"


@pytest.mark.frozen_at(T)
def test_an_expired_preview_is_refused_and_writes_nothing(seed_catalog, learner_client, learner):
    with time_machine.travel(T, tick=False):
        token = preview_token(preview_upload(learner_client))
    with time_machine.travel(T + PREVIEW_LIFETIME + datetime.timedelta(seconds=1), tick=False):
        response = confirm(learner_client, token)

    assert response.status_code == 422
    assert text(by_id(response, "import-confirm-error")) == (
        "This preview is more than 30 minutes old: choose the file again and press Preview or "
        "Import. Nothing was imported."
    )
    assert nothing_written(learner)


def tampered(token):
    value, _, signature = token.rpartition(":")
    flipped = "A" if value[10] != "A" else "B"
    return f"{value[:10]}{flipped}{value[11:]}:{signature}"


@pytest.mark.parametrize(
    "change",
    [tampered, lambda token: token[:-1], lambda token: "nonsense", lambda token: ""],
    ids=["altered", "cut", "nonsense", "empty"],
)
def test_an_altered_preview_is_refused_and_writes_nothing(
    seed_catalog, learner_client, learner, change
):
    token = preview_token(preview_upload(learner_client))

    response = confirm(learner_client, change(token))

    assert response.status_code == 422
    shown = text(by_id(response, "import-confirm-error"))
    assert "Nothing was imported." in shown
    assert nothing_written(learner)


def test_another_learners_preview_does_not_work(seed_catalog, client, learner, make_learner):
    client.force_login(learner)
    token = preview_token(preview_upload(client))
    grace = make_learner("grace")
    client.force_login(grace)

    response = confirm(client, token)

    assert response.status_code == 422
    assert text(by_id(response, "import-confirm-error")) == (
        "This preview cannot be imported: it was changed, or made for another account. Choose "
        "the file again. Nothing was imported."
    )
    assert nothing_written(grace)
    assert nothing_written(learner)


def test_a_file_too_large_to_carry_asks_for_it_again(
    seed_catalog, learner_client, learner, monkeypatch
):
    monkeypatch.setattr(preview, "MAX_PREVIEW_TOKEN_CHARS", 100)

    response = preview_upload(learner_client)

    assert response.status_code == 200
    assert not elements(response, "form", class_="import-confirm")
    assert "too large to keep between preview and import: choose it again" in text(response)


def test_a_token_gives_back_exactly_the_previewed_bytes(learner, make_learner):
    content = json.dumps(EXPORT).encode() + "é".encode()

    token = sign_preview(content, learner=learner)

    assert previewed_content(token, learner=learner) == content
    with pytest.raises(ImportFileError, match="made for another account"):
        previewed_content(token, learner=make_learner("grace"))

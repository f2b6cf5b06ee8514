"""One upload-size rule for every upload form: the same message, and nothing written."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from mlmath.uploads import (
    LARGEST_UPLOAD_BYTES,
    MB,
    BoundedUploadHandler,
    MaxUploadSizeValidator,
    UploadField,
)
from tests.html import by_id, text


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for app in ["accounts", "badges", "catalog", "progress"]
        for model in apps.get_app_config(app).get_models()
    }


def padded(start: bytes, size: int) -> bytes:
    return start + b" " * (size - len(start))


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (MB + 1, "The file is 1.1 MB; the limit is 1 MB."),
        (1_400_000, "The file is 1.4 MB; the limit is 1 MB."),
        (10 * 1024 * 1024, "The file is 10.5 MB; the limit is 1 MB."),
    ],
)
def test_a_file_over_the_limit_is_refused_with_both_sizes_in_mb(size, message):
    with pytest.raises(ValidationError, match=message):
        MaxUploadSizeValidator(MB)(SimpleUploadedFile("f", b"\0" * size))


def test_a_file_at_the_limit_passes():
    MaxUploadSizeValidator(MB)(SimpleUploadedFile("f", b"\0" * MB))


@pytest.mark.parametrize(
    ("who", "url", "data", "message"),
    [
        (
            "client",
            "/verify/",
            {"image": SimpleUploadedFile("b.png", b"\0" * (2 * MB + 1), "image/png")},
            "The file is 2.1 MB; the limit is 2 MB.",
        ),
        (
            "curator_client",
            "/admin/catalog/resource/import-awesome-list/",
            {
                "file": SimpleUploadedFile(
                    "big.md", padded(b"## Big\n- [x](https://example.org/x)\n", MB + 1)
                )
            },
            "The file is 1.1 MB; the limit is 1 MB.",
        ),
        (
            "learner_client",
            "/account/import/",
            {
                "file": SimpleUploadedFile("big.json", padded(b"{}", 5 * MB + 1)),
                "action": "import",
            },
            "The file is 5.1 MB; the limit is 5 MB.",
        ),
    ],
    ids=["badge verify", "awesome-list import", "progress import"],
)
def test_every_upload_form_refuses_an_oversized_file_and_writes_nothing(
    request, db, who, url, data, message
):
    client = request.getfixturevalue(who)
    before = row_counts()

    response = client.post(url, data)

    assert message in text(response)
    assert row_counts() == before


def test_an_upload_field_states_its_limit_in_its_help_text():
    field = UploadField(max_bytes=2 * MB, help_text="A badge image.")

    assert field.help_text == "A badge image. At most 2 MB."
    with pytest.raises(ValidationError, match="the limit is 2 MB"):
        field.clean(SimpleUploadedFile("f", b"\0" * (2 * MB + 1)))


def test_no_byte_past_the_largest_limit_is_stored_and_the_message_names_the_real_size(
    client, db, monkeypatch
):
    stored = []
    keep = TemporaryFileUploadHandler.receive_data_chunk

    def counting(handler, raw_data, start):
        stored.append(len(raw_data))
        return keep(handler, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    twelve_mb = SimpleUploadedFile("b.png", b"\0" * (12 * MB), "image/png")

    response = client.post("/verify/", {"image": twelve_mb})

    assert response.status_code == 422
    assert "The file is 12.0 MB; the limit is 2 MB." in text(by_id(response, "id_image_error"))
    assert sum(stored) <= LARGEST_UPLOAD_BYTES + 64 * 1024  # at most one chunk past the limit


def test_a_file_at_the_largest_limit_is_kept_whole():
    handler = BoundedUploadHandler()
    handler.new_file("file", "export.json", "application/json", None)
    chunks = [b"x" * (MB // 2)] * 10

    passed_on = [handler.receive_data_chunk(chunk, 0) for chunk in chunks]

    assert passed_on == chunks
    assert handler.file_complete(LARGEST_UPLOAD_BYTES) is None  # the next handler's file


def test_a_file_past_the_largest_limit_is_an_empty_upload_of_its_real_size():
    handler = BoundedUploadHandler()
    handler.new_file("file", "big.json", "application/json", None)
    passed_on = [handler.receive_data_chunk(b"x" * MB, 0) for _ in range(7)]

    upload = handler.file_complete(7 * MB)

    assert passed_on[:5] == [b"x" * MB] * 5
    assert passed_on[5:] == [None, None]
    assert (upload.name, upload.size, upload.read()) == ("big.json", 7 * MB, b"")


def test_no_upload_field_may_accept_more_than_the_handler_keeps():
    with pytest.raises(ValueError, match="LARGEST_UPLOAD_BYTES"):
        UploadField(max_bytes=LARGEST_UPLOAD_BYTES + 1, help_text="Too much.")


def test_nginx_lets_the_largest_upload_through():
    config = (settings.BASE_DIR / "deploy" / "nginx" / "mlmath.conf").read_text()
    [mebibytes] = re.findall(r"client_max_body_size (\d+)m;", config)

    assert int(mebibytes) * 1024 * 1024 >= LARGEST_UPLOAD_BYTES + 100_000

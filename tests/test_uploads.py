"""One upload-size rule for every upload form: the same message, and nothing written."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mlmath.uploads import MB, MaxUploadSizeValidator, UploadField


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

    assert message in response.content.decode()
    assert row_counts() == before


def test_an_upload_field_states_its_limit_in_its_help_text():
    field = UploadField(max_bytes=2 * MB, help_text="A badge image.")

    assert field.help_text == "A badge image. At most 2 MB."
    with pytest.raises(ValidationError, match="the limit is 2 MB"):
        field.clean(SimpleUploadedFile("f", b"\0" * (2 * MB + 1)))

"""The awesome-list import in the admin: a dry run shows each field before → after and keeps
the file, signed for its curator, so the import that follows needs no second upload; a
curator's text is replaced only when they choose it; nothing changes on a dry run."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Curriculum, Resource, Topic
from mlmath.signed_files import MAX_TOKEN_CHARS
from tests.factories import default_curriculum, make_curriculum, make_learner
from tests.html import by_id, elements, text

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/catalog/resource/import-awesome-list/"
RESOURCES_URL = "/admin/catalog/resource/"
T = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)

# Issue 23's case: a "Linear Algebra" heading with no prose under it, four links, a new topic.
FOUR_LINKS = b"""\
### Linear Algebra
- [Linear Algebra MIT](http://ocw.mit.edu/courses/mathematics/18-06-linear-algebra-spring-2010/video-lectures/lecture-21-eigenvalues-and-eigenvectors/)
- [Khan Academy Linear Algebra, the whole course](https://www.khanacademy.org/math/linear-algebra)
- [Immersive Linear Algebra](https://immersivemath.com/ila/)

### Optimisation
- [Convex Optimization](https://web.stanford.edu/~boyd/cvxbook/) - Boyd and Vandenberghe.
"""


def upload(content=FOUR_LINKS, name="four-links.md"):
    return SimpleUploadedFile(name, content, content_type="text/markdown")


def snapshot():
    return {
        "topics": list(Topic.objects.order_by("pk").values()),
        "resources": list(Resource.objects.order_by("pk").values()),
    }


def table_rows(response, table_id):
    """Each body row of a report table as the words of its cells."""
    table = by_id(response, table_id)
    (body,) = elements(table, "tbody")
    return [
        [text(cell) for cell in row.children if cell.name in {"th", "td"}]
        for row in elements(body, "tr")
    ]


def kept_file_token(response):
    (field,) = elements(response, "input", name="previewed")
    return dict(field.attributes)["value"]


def dry_run(client, **options):
    data = {"file": upload(), "dry_run": "on", **options}
    return client.post(IMPORT_URL, data)


def test_the_dry_run_shows_each_field_before_and_after_and_what_it_keeps(
    curator_client, seed_catalog
):
    before = snapshot()
    guidance = Topic.objects.get(slug="linear-algebra").guidance

    response = dry_run(curator_client, unpublished="on")

    assert response.status_code == 200
    assert snapshot() == before
    report = by_id(response, "import-report")
    assert text(elements(report, "p")[0]) == (
        "Dry run of four-links.md, nothing was written. Topics: 1 to create, 0 to update, "
        "1 unchanged; resources: 2 to create, 2 to update, 0 unchanged; 2 catalog texts kept; "
        "0 skipped."
    )
    (created,) = elements(report, "ul", **{"aria-labelledby": "import-created"})
    created = [text(item) for item in elements(created, "li")]
    assert created == [
        "Resource “Immersive Linear Algebra” (in “Linear Algebra”, unpublished)",
        "Topic “Optimisation” (hidden from learners until one of its resources is published)",
        "Resource “Convex Optimization” (in “Optimisation”, unpublished)",
    ]
    assert table_rows(response, "import-updated") == [
        ["Resource “Linear Algebra MIT”", "position", "20", "10"],
        ["Resource “Khan Academy Linear Algebra”", "position", "10", "20"],
    ]
    kept = table_rows(response, "import-kept")
    assert kept[0] == [
        "Resource “Khan Academy Linear Algebra”",
        "title",
        "Khan Academy Linear Algebra",
        "Khan Academy Linear Algebra, the whole course",
        "The catalog's text differs from the list's, and replacing it was not chosen.",
    ]
    assert kept[1][:2] == ["Topic “Linear Algebra”", "guidance"]
    assert kept[1][2] == " ".join(guidance.split())
    assert kept[1][3:] == [
        "(nothing)",
        "The list has no text for it, and an import never erases a field.",
    ]


def test_after_a_dry_run_import_applies_the_kept_file_with_its_choices(
    curator_client, seed_catalog
):
    guidance = Topic.objects.get(slug="linear-algebra").guidance
    response = dry_run(curator_client, unpublished="on")
    assert "The dry run keeps four-links.md for 30 minutes" in text(response)
    (unpublished,) = elements(response, "input", name="unpublished")
    assert "checked" in dict(unpublished.attributes)
    (dry_run_box,) = elements(response, "input", name="dry_run")
    assert "checked" not in dict(dry_run_box.attributes)

    imported = curator_client.post(
        IMPORT_URL, {"previewed": kept_file_token(response), "unpublished": "on"}
    )

    assert imported.status_code == 302
    assert imported["Location"] == RESOURCES_URL
    assert Topic.objects.get(slug="linear-algebra").guidance == guidance
    optimisation = Topic.objects.get(slug="optimisation")
    assert not optimisation.listings.published().exists()
    assert not Topic.objects.shown_to_learners().filter(pk=optimisation.pk).exists()
    assert Resource.objects.get(canonical_url="https://immersivemath.com/ila").is_published is False


def test_replacing_the_catalogs_text_is_a_choice_the_dry_run_shows_first(
    curator_client, seed_catalog
):
    token = kept_file_token(dry_run(curator_client))

    replaced = curator_client.post(
        IMPORT_URL, {"previewed": token, "replace_text": "on", "dry_run": "on"}
    )

    assert [
        "Resource “Khan Academy Linear Algebra, the whole course”",
        "title",
        "Khan Academy Linear Algebra",
        "Khan Academy Linear Algebra, the whole course",
    ] in table_rows(replaced, "import-updated")
    kept = table_rows(replaced, "import-kept")
    assert [row[:2] for row in kept] == [["Topic “Linear Algebra”", "guidance"]]  # never erased
    assert Resource.objects.get(slug="khan-academy-linear-algebra").title == (
        "Khan Academy Linear Algebra"
    )

    curator_client.post(IMPORT_URL, {"previewed": kept_file_token(replaced), "replace_text": "on"})

    assert Resource.objects.get(slug="khan-academy-linear-algebra").title == (
        "Khan Academy Linear Algebra, the whole course"
    )
    assert Topic.objects.get(slug="linear-algebra").guidance


def test_a_file_chosen_again_replaces_the_kept_one(curator_client, seed_catalog):
    token = kept_file_token(dry_run(curator_client))
    other = b"## Calculus\n- [Calculus Made Easy](https://www.gutenberg.org/ebooks/33283)\n"

    curator_client.post(IMPORT_URL, {"previewed": token, "file": upload(other, "other.md")})

    # The link as the file writes it, the work by its canonical URL.
    assert Resource.objects.get(canonical_url="https://gutenberg.org/ebooks/33283").url == (
        "https://www.gutenberg.org/ebooks/33283"
    )
    assert not Topic.objects.filter(slug="optimisation").exists()


def test_the_kept_file_expires_after_30_minutes(curator_client, seed_catalog):
    with time_machine.travel(T, tick=False):
        token = kept_file_token(dry_run(curator_client))
    with time_machine.travel(T + datetime.timedelta(minutes=29), tick=False):
        assert (
            curator_client.post(IMPORT_URL, {"previewed": token, "dry_run": "on"}).status_code
            == 200
        )
    before = snapshot()

    with time_machine.travel(T + datetime.timedelta(minutes=30, seconds=1), tick=False):
        response = curator_client.post(IMPORT_URL, {"previewed": token})

    assert response.status_code == 200
    assert (
        "The file of this dry run is more than 30 minutes old: choose it again. "
        "Nothing was imported."
    ) in text(response)
    assert elements(response, "input", type="file", name="file")
    assert snapshot() == before


def altered(token):
    value, _, signature = token.rpartition(":")
    flipped = "A" if value[10] != "A" else "B"
    return f"{value[:10]}{flipped}{value[11:]}:{signature}"


@pytest.mark.parametrize(
    "change",
    [
        altered,
        lambda token: token[:-1],
        lambda token: "nonsense",
        lambda token: "x" * (MAX_TOKEN_CHARS + 1),
    ],
    ids=["altered", "cut", "nonsense", "too-long"],
)
def test_an_altered_kept_file_is_refused(curator_client, seed_catalog, change):
    token = kept_file_token(dry_run(curator_client))
    before = snapshot()

    response = curator_client.post(IMPORT_URL, {"previewed": change(token)})

    assert response.status_code == 200
    assert "The file of this dry run cannot be used" in text(response)
    assert "Nothing was imported" in text(response)
    assert snapshot() == before


def test_another_curators_kept_file_is_refused(client, curator, seed_catalog):
    client.force_login(curator)
    token = kept_file_token(dry_run(client))
    other = make_learner("other-curator", is_staff=True)
    other.groups.set(curator.groups.all())
    client.force_login(other)
    before = snapshot()

    response = client.post(IMPORT_URL, {"previewed": token})

    assert "kept for another account" in text(response)
    assert snapshot() == before


def test_importing_without_a_file_asks_for_one(curator_client):
    response = curator_client.post(IMPORT_URL, {"dry_run": "on"})

    assert response.status_code == 200
    assert "Choose the awesome-list file to import." in text(response)
    assert not Topic.objects.exists()


def test_a_dry_run_tells_no_cache_that_the_catalog_changed(
    curator_client, seed_catalog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as dry_run_callbacks:
        dry_run(curator_client)
    with django_capture_on_commit_callbacks() as import_callbacks:
        curator_client.post(IMPORT_URL, {"file": upload()})

    assert dry_run_callbacks == []
    assert import_callbacks  # the catalog version's bump, after the commit


# Curricula: the import goes into one of the curator's, or creates a new one


def curricula():
    return list(Curriculum.objects.order_by("pk").values())


NEW_CURRICULUM = {
    "curriculum": "",
    "new_title": "Awesome Information Theory",
    "new_slug": "information-theory",
    "source_url": "github.com/example/awesome-information-theory",
    "licence": "CC0-1.0",
}


def test_a_dry_run_into_a_new_curriculum_shows_it_and_writes_nothing(curator, curator_client):
    before = (curricula(), snapshot())

    response = dry_run(curator_client, **NEW_CURRICULUM)

    assert (curricula(), snapshot()) == before
    (created,) = elements(response, "ul", **{"aria-labelledby": "import-created"})
    assert text(elements(created, "li")[0]) == (
        "Curriculum “Awesome Information Theory” "
        "(/information-theory/, unpublished until a curator publishes it)"
    )
    # The form below the report keeps the new curriculum, ready to import.
    (slug,) = elements(response, "input", name="new_slug")
    assert dict(slug.attributes)["value"] == "information-theory"

    imported = curator_client.post(
        IMPORT_URL, {"previewed": kept_file_token(response), **NEW_CURRICULUM}
    )

    assert imported.status_code == 302
    curriculum = Curriculum.objects.get(slug="information-theory")
    assert not curriculum.is_published
    assert curriculum.source_url == "https://github.com/example/awesome-information-theory"
    assert curriculum.licence == "CC0-1.0"
    assert list(curriculum.curators.all()) == [curator]
    assert sorted(curriculum.topics.values_list("title", flat=True)) == [
        "Linear Algebra",
        "Optimisation",
    ]
    assert Curriculum.objects.get(slug="ml-math").topics.filter(title="Optimisation").count() == 0


def test_an_import_goes_only_into_the_curator_own_curricula(curator_client):
    another = make_curriculum(title="Physics")
    before = (curricula(), snapshot())

    response = curator_client.post(IMPORT_URL, {"file": upload(), "curriculum": another.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert (curricula(), snapshot()) == before
    offered = {text(option) for option in elements(response, "option") if dict(option.attributes)}
    assert "Physics" not in offered


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"new_slug": "admin"}, "is a part of the site's own addresses"),
        ({"new_slug": "ml-math"}, "Curriculum with this Slug already exists."),
        ({"new_title": ""}, "This field cannot be blank."),
        ({"curriculum": "the default"}, "Choose a curriculum or name a new one, not both"),
    ],
)
def test_a_new_curriculum_it_cannot_create_is_refused_with_nothing_written(
    curator_client, fields, error
):
    if fields.get("curriculum") == "the default":
        fields = {"curriculum": default_curriculum().pk}
    before = (curricula(), snapshot())

    response = curator_client.post(IMPORT_URL, {"file": upload(), **NEW_CURRICULUM, **fields})

    assert response.status_code == 200
    assert error in text(response)
    assert "Nothing was imported" in text(response)
    assert (curricula(), snapshot()) == before

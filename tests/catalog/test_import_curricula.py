"""`manage.py import_awesome --curriculum`: a list becomes a curriculum of its own (created
unpublished when missing), or goes into the one named; `make_curator --curriculum`."""

import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.models import Curriculum, Listing, Resource, Topic
from tests.factories import default_curriculum, make_curriculum, make_learner

pytestmark = pytest.mark.django_db

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
INFORMATION_THEORY = SOURCES / "awesome-information-theory.md"


def import_file(path, *args):
    out = StringIO()
    call_command("import_awesome", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Curriculum, Topic, Resource, Listing)
    ]


def test_a_missing_curriculum_is_created_unpublished_with_the_list_in_it():
    output = import_file(
        INFORMATION_THEORY,
        "--curriculum=information-theory",
        "--source-url=https://github.com/example/awesome-information-theory",
        "--licence=CC0-1.0",
    )

    curriculum = Curriculum.objects.get(slug="information-theory")
    assert curriculum.title == "Awesome Information Theory"  # the list's own title
    assert not curriculum.is_published
    assert curriculum.source_url == "https://github.com/example/awesome-information-theory"
    assert curriculum.licence == "CC0-1.0"
    assert "Created curriculum “Awesome Information Theory” (/information-theory/" in output
    assert curriculum.topics.count() == 4
    assert not default_curriculum().topics.filter(title="Foundations").exists()
    assert Listing.objects.in_curriculum(curriculum).count() == Resource.objects.count()


def test_an_existing_curriculum_gets_the_list_and_a_second_import_changes_nothing():
    curriculum = make_curriculum(slug="info", title="Information", is_published=True)
    import_file(INFORMATION_THEORY, "--curriculum=info", "--title=Ignored for an existing one")
    before = snapshot()

    output = import_file(INFORMATION_THEORY, "--curriculum=info")

    curriculum.refresh_from_db()
    assert curriculum.title == "Information"
    assert curriculum.is_published
    assert snapshot() == before
    assert "0 created, 0 updated" in output


def test_a_dry_run_into_a_new_curriculum_writes_nothing():
    before = snapshot()

    output = import_file(INFORMATION_THEORY, "--curriculum=information-theory", "--dry-run")

    assert "To create curriculum “Awesome Information Theory”" in output
    assert snapshot() == before


@pytest.mark.parametrize(
    ("slug", "error"),
    [
        ("admin", "“admin” is a part of the site's own addresses"),
        ("Not a slug!", "Enter a valid “slug”"),
    ],
)
def test_a_curriculum_it_cannot_create_is_a_clear_error_and_nothing_is_written(slug, error):
    before = snapshot()

    with pytest.raises(CommandError, match=error):
        import_file(INFORMATION_THEORY, f"--curriculum={slug}")

    assert snapshot() == before


def test_make_curator_gives_the_curricula_named():
    user = make_learner("grace")
    theory = make_curriculum(slug="information-theory")

    call_command("make_curator", "grace", "--curriculum=information-theory", stdout=StringIO())

    assert list(user.curated_curricula.all()) == [theory]
    with pytest.raises(CommandError, match="No curriculum “nowhere”"):
        call_command("make_curator", "grace", "--curriculum=nowhere")


# make demo


def demo_commands():
    """The manage.py commands of the Makefile's `demo` recipe, as call_command arguments."""
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return [shlex.split(line.split("manage.py", 1)[1]) for line in recipe]


def test_make_demo_adds_two_published_curricula_and_running_it_again_changes_nothing():
    for arguments in demo_commands():
        call_command(*arguments, stdout=StringIO())
    after_once = snapshot()
    for arguments in demo_commands():
        call_command(*arguments, stdout=StringIO())

    assert snapshot() == after_once
    demo = Curriculum.objects.exclude(slug=default_curriculum().slug)
    assert sorted(demo.values_list("slug", "is_published", "licence")) == [
        ("information-theory", True, "CC0-1.0"),
        ("optimisation-statistics", True, "CC0-1.0"),
    ]
    assert all(curriculum.topics.exists() for curriculum in demo)

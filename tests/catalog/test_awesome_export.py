"""Exporting the catalog as an awesome list, and importing the export back."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.awesome import parse_awesome_list, render_awesome_list
from catalog.models import Degree, Requirement, Resource, Topic
from tests.factories import make_resource, make_topic


def export(*args):
    out = StringIO()
    call_command("export_awesome", *args, stdout=out)
    return out.getvalue()


def catalog_rows():
    """What a learner sees of the catalog: topics in order, their guidance and resources (with
    the people behind them and the keywords search finds them by)."""
    return [
        (
            topic.title,
            topic.guidance,
            [
                (r.title, r.url, r.note, r.people, r.keywords)
                for r in (
                    listing.resource
                    for listing in topic.listings.published().order_by(
                        "position", "resource__title"
                    )
                )
            ],
        )
        for topic in Topic.objects.order_by("position", "title")
    ]


def test_export_has_the_title_contents_topics_resources_and_degrees(seed_catalog):
    markdown = export()

    assert markdown.startswith("# awesomeMLmath\n")
    assert "## Contents\n\n- [Calculus](#calculus)\n- [Linear Algebra](#linear-algebra)\n" in (
        markdown
    )
    assert '- [How to study, the "degrees"](#how-to-study-the-degrees)\n' in markdown
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Contents",
        "## Calculus",
        "## Linear Algebra",
        "## Statistics and probability",
        "## Signal Processing",
        "## Stochastic Processes",
        "## Other lists",
        '## How to study, the "degrees"',
        "## Degrees",
    ]
    assert (
        "## Linear Algebra\n\nNote that it is good to learn about eigenvalue decomposition"
        in markdown
    )
    assert (
        "- [An exploration of Random Processes for Engineers]"
        "(http://www.ifp.illinois.edu/~hajek/Papers/randomprocDec11.pdf)"
        " - this is an advanced course but one of my favorites.\n"
    ) in markdown
    assert "### Practitioner\n\nUses Keras and XGBoost for Kaggle competitions." in markdown
    assert "- Complete at least 2 Statistics and probability resources\n" in markdown


def test_export_writes_a_resources_people_and_keywords_under_it(seed_catalog):
    markdown = export()

    assert (
        "- [Linear Algebra MIT](http://ocw.mit.edu/courses/mathematics/18-06-linear-algebra-"
        "spring-2010/video-lectures/lecture-21-eigenvalues-and-eigenvectors/)\n"
        "  - People: Gilbert Strang\n"
        "  - Keywords: 18.06, elimination, LU factorization,"
    ) in markdown
    # A resource without people has only its keywords.
    assert (
        "(https://en.wikipedia.org/wiki/Adaptive_filter) - this is the basis of neural nets, "
        "but I couldn't find modern video material...\n  - Keywords: adaptive filter,"
    ) in markdown


def test_export_leaves_out_unpublished_resources(seed_catalog):
    Resource.objects.filter(slug="information-theory").update(is_published=False)

    markdown = export()

    assert "colah.github.io" not in markdown
    assert "[edx Probability]" in markdown


def test_importing_the_export_reproduces_the_catalog(seed_catalog, tmp_path):
    expected = catalog_rows()
    path = tmp_path / "export.md"
    export("--output", str(path))
    # Start again from an empty catalog.
    Requirement.objects.all().delete()
    Degree.objects.all().delete()
    Resource.objects.all().delete()
    Topic.objects.all().delete()

    call_command("import_awesome", str(path), stdout=StringIO())

    assert catalog_rows() == expected
    # Stochastic Processes has guidance and no resources: it comes back too.
    assert Topic.objects.filter(title="Stochastic Processes").exists()
    # The degrees section is not imported as topics.
    assert not Topic.objects.filter(title__in=["Degrees", "Practitioner"]).exists()


def test_reimporting_the_export_over_the_catalog_changes_nothing(seed_catalog, tmp_path):
    path = tmp_path / "export.md"
    export("--output", str(path))
    before = [list(model.objects.order_by("pk").values()) for model in (Topic, Resource)]

    out = StringIO()
    call_command("import_awesome", str(path), stdout=out)

    assert [list(model.objects.order_by("pk").values()) for model in (Topic, Resource)] == before
    assert "Topics: 0 created, 0 updated, 7 unchanged" in out.getvalue()
    assert "resources: 0 created, 0 updated, 14 unchanged" in out.getvalue()


def test_markdown_characters_in_titles_and_notes_survive_the_round_trip(db):
    topic = make_topic(title="C# & *friends*", guidance="Read **this** first.")
    make_resource(
        topic,
        title="[Draft] notes_v2 <beta>",
        url="https://en.wikipedia.org/wiki/Kernel_(statistics)",
        note="Uses `code`, *stars* and a #hash;\nover two lines.",
        people="A_B <Team> & [co]",
        keywords="C#, *args*, `x`",
    )

    awesome_list = parse_awesome_list(render_awesome_list())

    (parsed_topic,) = awesome_list.topics
    assert parsed_topic.title == "C# & *friends*"
    assert parsed_topic.guidance == "Read **this** first."
    (parsed,) = parsed_topic.resources
    assert (parsed.title, parsed.url, parsed.note, parsed.people, parsed.keywords) == (
        "[Draft] notes_v2 <beta>",
        "https://en.wikipedia.org/wiki/Kernel_(statistics)",
        "Uses `code`, *stars* and a #hash; over two lines.",
        "A_B <Team> & [co]",
        "C#, *args*, `x`",
    )


def test_export_writes_to_a_file_and_says_so(seed_catalog, tmp_path):
    path = tmp_path / "awesome.md"

    output = export("--output", str(path), "--title", "My curriculum")

    assert f"Wrote the catalog to {path}" in output
    assert path.read_text(encoding="utf-8").startswith("# My curriculum\n")


def test_export_to_an_unwritable_place_fails_naming_it(seed_catalog, tmp_path):
    with pytest.raises(CommandError, match=r"missing/awesome\.md: cannot write the file"):
        export("--output", str(tmp_path / "missing" / "awesome.md"))

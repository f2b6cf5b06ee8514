"""Importing awesome lists: the seed list, the shapes real lists come in, re-imports, bad input."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.awesome import (
    CATALOG_TEXT_KEPT,
    LIST_SAYS_NOTHING,
    AwesomeListError,
    import_awesome_list,
    imported_text,
    parse_awesome_list,
    plan_positions,
    read_awesome_list,
)
from catalog.canonical import canonical_url
from catalog.models import Listing, Resource, Topic
from tests.factories import default_curriculum, make_resource, make_topic

SOURCE_LIST = Path(__file__).resolve().parents[2] / "fixtures/sources/awesomeMLmath-README.md"
SAMPLES = Path(__file__).parent / "samples"


def fixture_rows(model):
    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "catalog.json").read_text())
    return [row["fields"] for row in rows if row["model"] == model]


def catalog_rows():
    """Topics and resources as a curator reads them, in curriculum order."""
    return [
        (
            topic.slug,
            topic.title,
            topic.guidance,
            [
                (
                    listing.resource.slug,
                    listing.resource.title,
                    listing.resource.url,
                    listing.resource.note,
                )
                for listing in topic.listings.select_related("resource").order_by(
                    "position", "resource__title"
                )
            ],
        )
        for topic in Topic.objects.order_by("position", "title")
    ]


def snapshot():
    return {
        "topics": list(Topic.objects.order_by("pk").values()),
        "resources": list(Resource.objects.order_by("pk").values()),
        "listings": list(Listing.objects.order_by("pk").values()),
    }


def import_file(path, *args):
    out = StringIO()
    call_command("import_awesome", str(path), *args, stdout=out)
    return out.getvalue()


def import_text(text, tmp_path, *args, name="list.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_file(path, *args)


def listed_titles(topic):
    """The titles of the resources listed in `topic`, in its order."""
    return list(
        topic.listings.order_by("position", "resource__title").values_list(
            "resource__title", flat=True
        )
    )


def resources_by_url():
    """{canonical URL: resource} (`canonical_url`: the resource's identity)."""
    return {r.canonical_url: r for r in Resource.objects.all()}


# The seed list


def test_importing_the_seed_list_into_an_empty_database_gives_the_fixture_topics_and_resources(
    db,
):
    """Everything but what the list states only in prose.

    The fixture's "Stochastic Processes" topic comes from the list's introduction (it is not a
    heading) and the degree requirements from the "degrees" paragraphs: the import creates
    neither, so they are left out of the comparison.
    """
    import_file(SOURCE_LIST)

    fixture_topics = [
        t for t in fixture_rows("catalog.topic") if t["slug"] != "stochastic-processes"
    ]
    fixture_topics.sort(key=lambda t: t["position"])
    fixture_resources = {r["slug"]: r for r in fixture_rows("catalog.resource")}
    fixture_listings = fixture_rows("catalog.listing")
    expected = [
        (
            topic["slug"],
            topic["title"],
            topic["guidance"],
            [
                (r["slug"], r["title"], r["url"], r["note"])
                for r in (
                    fixture_resources[listing["resource"][0]]
                    for listing in sorted(fixture_listings, key=lambda listing: listing["position"])
                    if listing["topic"] == ["ml-math", topic["slug"]]
                )
            ],
        )
        for topic in fixture_topics
    ]
    imported = catalog_rows()
    # Slugs: topics get the fixture's; resources are slugs of their titles, so compare the rest.
    assert [row[:3] for row in imported] == [row[:3] for row in expected]
    assert [[r[1:] for r in row[3]] for row in imported] == [
        [r[1:] for r in row[3]] for row in expected
    ]
    assert not Topic.objects.filter(slug="stochastic-processes").exists()


def test_importing_the_seed_list_over_the_seed_catalog_changes_nothing(seed_catalog):
    before = snapshot()

    output = import_file(SOURCE_LIST)

    assert snapshot() == before
    assert "Topics: 0 created, 0 updated, 6 unchanged" in output
    assert "resources: 0 created, 0 updated, 14 unchanged" in output


def test_importing_the_seed_list_keeps_the_people_and_keywords_it_does_not_state(seed_catalog):
    import_file(SOURCE_LIST)

    strang = Resource.objects.get(slug="mit-linear-algebra")
    assert strang.people == "Gilbert Strang"
    assert "singular value decomposition" in strang.keyword_list


def test_people_and_keywords_bullets_under_a_resource_are_its_own(db, tmp_path):
    make_resource(url="https://ocw.mit.edu/18-06", people="Someone Else", keywords="eigenvalues")
    text = """## Linear Algebra

- [Linear Algebra MIT](https://ocw.mit.edu/18-06) - lectures
  - People: Gilbert Strang
  - Keywords: singular value decomposition, least \\*squares\\*
  - Watch lecture 21 first.
- [Khan Academy](https://www.khanacademy.org/math/linear-algebra)
  - keywords : vectors, matrices
- People: not under a resource
"""

    # A curator's own people and keywords stay, as all their text does, unless replaced.
    import_text(text, tmp_path)
    mit = resources_by_url()[canonical_url("https://ocw.mit.edu/18-06")]
    assert (mit.people, mit.keywords) == ("Someone Else", "eigenvalues")

    output = import_text(text, tmp_path, "--replace-text")

    by_url = resources_by_url()
    mit = by_url[canonical_url("https://ocw.mit.edu/18-06")]
    assert (mit.people, mit.keywords) == (
        "Gilbert Strang",
        "singular value decomposition, least *squares*",
    )
    khan = by_url[canonical_url("https://www.khanacademy.org/math/linear-algebra")]
    assert (khan.people, khan.keywords) == ("", "vectors, matrices")
    assert "people: “Someone Else” → “Gilbert Strang”" in output
    assert "keywords: “eigenvalues” → “singular value decomposition, least *squares*”" in output
    # Other bullets under a resource, and a label outside one, stay guidance.
    assert Topic.objects.get(title="Linear Algebra").guidance == (
        "- Watch lecture 21 first.\n- People: not under a resource"
    )


def test_an_overlong_keywords_line_is_skipped_and_its_resource_imported_without_it(db, tmp_path):
    text = "## Algebra\n\n- [Fine](https://example.org/fine)\n  - Keywords: " + "x" * 501 + "\n"

    output = import_text(text, tmp_path)

    assert Resource.objects.get().keywords == ""
    assert "Skipped line 3: Keywords: xxx" in output
    assert "(too long: its “Keywords:” line is longer than 500 characters;" in output


def test_reimporting_the_same_file_changes_nothing(db):
    import_file(SOURCE_LIST)
    before = snapshot()

    output = import_file(SOURCE_LIST)

    assert snapshot() == before
    assert "0 created, 0 updated" in output
    assert "Created" not in output
    assert "Updated" not in output


def test_imported_resources_get_a_provider_from_their_host(db):
    import_file(SOURCE_LIST)

    providers = {url: r.provider for url, r in resources_by_url().items()}
    assert (
        providers[canonical_url("https://www.khanacademy.org/math/calculus-home")] == "Khan Academy"
    )
    assert providers[canonical_url("https://en.wikipedia.org/wiki/Adaptive_filter")] == "Wikipedia"
    assert providers[canonical_url("http://colah.github.io/posts/2015-09-Visual-Information/")] == (
        "colah.github.io"
    )


def test_the_introduction_before_the_first_heading_is_not_a_topic(db):
    awesome_list = read_awesome_list(SOURCE_LIST.read_bytes(), source="README.md")

    assert awesome_list.title == "awesomeMLmath"
    assert "awesomeMLmath" not in [t.title for t in awesome_list.topics]
    assert all("Curated list" not in t.guidance for t in awesome_list.topics)


# Edited files


EDITED_LIST = """\
# Awesome

### Calculus
[Khan Academy Calculus](https://www.khanacademy.org/math/calculus-home) start here.
[Calculus Made Easy](https://www.gutenberg.org/ebooks/33283)

### Linear Algebra
[Linear Algebra MIT](http://ocw.mit.edu/courses/mathematics/18-06-linear-algebra-spring-2010/video-lectures/lecture-21-eigenvalues-and-eigenvectors/)
[Khan Academy Linear Algebra, the whole course](https://www.khanacademy.org/math/linear-algebra)
[adaptive signal processing](https://en.wikipedia.org/wiki/Adaptive_filter) moved here.
"""


def test_importing_an_edited_file_updates_what_changed_and_never_duplicates(seed_catalog, tmp_path):
    resource_count = Resource.objects.count()
    khan_calculus = Resource.objects.get(slug="khan-academy-calculus")
    adaptive_note = Resource.objects.get(slug="adaptive-signal-processing").note

    output = import_text(EDITED_LIST, tmp_path)

    by_url = resources_by_url()
    assert Resource.objects.count() == resource_count + 1
    # The same row, matched by URL, with the note the file gives where it had none.
    updated = by_url[canonical_url("https://www.khanacademy.org/math/calculus-home")]
    assert updated.pk == khan_calculus.pk
    assert updated.note == "start here."
    # Text the catalog has and the file words differently stays (see the --replace-text test).
    assert by_url[canonical_url("https://www.khanacademy.org/math/linear-algebra")].title == (
        "Khan Academy Linear Algebra"
    )
    moved = by_url[canonical_url("https://en.wikipedia.org/wiki/Adaptive_filter")]
    assert moved.main_listing.topic.slug == "linear-algebra"
    assert moved.note == adaptive_note
    assert moved.provider == "Wikipedia"  # A curator's value the file does not carry.
    new = by_url[canonical_url("https://www.gutenberg.org/ebooks/33283")]
    assert (new.main_listing.topic.slug, new.title, new.is_published) == (
        "calculus",
        "Calculus Made Easy",
        True,
    )
    # The file reorders Linear Algebra; the catalog follows it.
    assert listed_titles(Topic.objects.get(slug="linear-algebra")) == [
        "Linear Algebra MIT",
        "Khan Academy Linear Algebra",
        "adaptive signal processing",
    ]
    assert "Created resource “Calculus Made Easy” (in “Calculus”)" in output
    assert "Updated resource “Khan Academy Calculus”:\n      note: (empty) → “start here.”" in (
        output
    )
    assert (
        "Updated resource “adaptive signal processing”:\n"
        "      topic: “Signal Processing” → “Linear Algebra”\n"
    ) in output
    assert (
        "Kept the title of resource “Khan Academy Linear Algebra”: the catalog's text differs "
        "from the list's, and replacing it was not chosen\n"
        "      catalog: “Khan Academy Linear Algebra”\n"
        "      list:    “Khan Academy Linear Algebra, the whole course”\n"
    ) in output
    # Nothing is deleted: a resource the file dropped is reported and kept.
    assert Resource.objects.filter(slug="mit-linear-algebra").exists()
    assert Topic.objects.get(slug="calculus").listings.count() == 2

    # And importing the edited file again changes nothing more.
    before = snapshot()
    import_text(EDITED_LIST, tmp_path)
    assert snapshot() == before


def test_replace_text_takes_the_lists_titles_and_notes_but_never_erases(seed_catalog, tmp_path):
    algebra_guidance = Topic.objects.get(slug="linear-algebra").guidance
    calculus = Resource.objects.get(slug="khan-academy-calculus")
    calculus.note = "The curator's note."
    calculus.save()

    output = import_text(
        EDITED_LIST.replace(" start here.", ""), tmp_path, "--replace-text", "--dry-run"
    )
    assert (
        "      title: “Khan Academy Linear Algebra” → "
        "“Khan Academy Linear Algebra, the whole course”\n"
    ) in output
    import_text(EDITED_LIST.replace(" start here.", ""), tmp_path, "--replace-text")

    by_url = resources_by_url()
    assert by_url[canonical_url("https://www.khanacademy.org/math/linear-algebra")].title == (
        "Khan Academy Linear Algebra, the whole course"
    )
    assert (
        by_url[canonical_url("https://en.wikipedia.org/wiki/Adaptive_filter")].note == "moved here."
    )
    # What the list leaves out (this note, the topic's guidance) is never erased.
    assert (
        by_url[canonical_url("https://www.khanacademy.org/math/calculus-home")].note
        == "The curator's note."
    )
    assert Topic.objects.get(slug="linear-algebra").guidance == algebra_guidance


FOUR_LINKS = """\
### Linear Algebra
- [Linear Algebra MIT](http://ocw.mit.edu/courses/mathematics/18-06-linear-algebra-spring-2010/video-lectures/lecture-21-eigenvalues-and-eigenvectors/)
- [Khan Academy Linear Algebra](https://www.khanacademy.org/math/linear-algebra)
- [Immersive Linear Algebra](https://immersivemath.com/ila/)

### Optimisation
- [Convex Optimization](https://web.stanford.edu/~boyd/cvxbook/) - Boyd and Vandenberghe.
"""


def test_a_heading_without_prose_keeps_the_topics_guidance_and_the_dry_run_says_so(
    seed_catalog, tmp_path
):
    """The case of issue 23: a 4-link list with a "Linear Algebra" heading and no prose."""
    before = snapshot()
    guidance = Topic.objects.get(slug="linear-algebra").guidance
    assert guidance

    dry_run = import_text(FOUR_LINKS, tmp_path, "--dry-run", "--unpublished")

    assert snapshot() == before
    assert dry_run.splitlines() == [
        "  To create resource “Immersive Linear Algebra” (in “Linear Algebra”, unpublished)",
        "  To create topic “Optimisation” "
        "(hidden from learners until one of its resources is published)",
        "  To create resource “Convex Optimization” (in “Optimisation”, unpublished)",
        "  To update resource “Linear Algebra MIT”:",
        "      position: 20 → 10",
        "  To update resource “Khan Academy Linear Algebra”:",
        "      position: 10 → 20",
        "  Kept the guidance of topic “Linear Algebra”: the list has no text for it, and an "
        "import never erases a field",
        f"Dry run of {tmp_path / 'list.md'}, nothing was written. Topics: 1 to create, "
        "0 to update, 1 unchanged; resources: 2 to create, 2 to update, 0 unchanged; "
        "1 catalog text kept; 0 skipped.",
    ]

    import_text(FOUR_LINKS, tmp_path, "--unpublished")

    assert Topic.objects.get(slug="linear-algebra").guidance == guidance
    assert not Topic.objects.shown_to_learners().filter(slug="optimisation").exists()


def test_a_new_topic_holding_published_resources_is_reported_as_shown(seed_catalog, tmp_path):
    output = import_text(
        "### Optimisation\n- [Khan Academy Calculus](https://www.khanacademy.org/math/calculus-home)\n",
        tmp_path,
        "--unpublished",
    )

    assert (
        "Created topic “Optimisation” (learners see it at once: it holds published resources)"
        in output
    )
    assert Topic.objects.shown_to_learners().filter(slug="optimisation").exists()


@pytest.mark.parametrize(
    ("current", "listed", "replace_text", "expected"),
    [
        ("Same", "Same", False, ("Same", "")),
        ("", "From the list", False, ("From the list", "")),
        ("The curator's", "", False, ("The curator's", LIST_SAYS_NOTHING)),
        ("The curator's", "", True, ("The curator's", LIST_SAYS_NOTHING)),
        ("The curator's", "The list's", False, ("The curator's", CATALOG_TEXT_KEPT)),
        ("The curator's", "The list's", True, ("The list's", "")),
    ],
)
def test_imported_text(current, listed, replace_text, expected):
    assert imported_text(current, listed, replace_text=replace_text) == expected


def test_resources_the_file_no_longer_lists_are_reported_and_kept(seed_catalog, tmp_path):
    output = import_text(
        "### Linear Algebra\n[Linear Algebra MIT](http://ocw.mit.edu/courses/mathematics/"
        "18-06-linear-algebra-spring-2010/video-lectures/lecture-21-eigenvalues-and-eigenvectors/)\n",
        tmp_path,
    )

    assert "Not in the file, left as it is: resource “Khan Academy Linear Algebra”" in output
    assert Resource.objects.filter(slug="khan-academy-linear-algebra", is_published=True).exists()


def test_new_topics_fit_between_existing_ones_without_renumbering_them(seed_catalog, tmp_path):
    import_text(
        "### Calculus\n[Khan Academy Calculus](https://www.khanacademy.org/math/calculus-home)\n"
        "### Real analysis\n[Understanding Analysis](https://example.org/analysis)\n"
        "### Linear Algebra\n[Khan Academy Linear Algebra](https://www.khanacademy.org/math/linear-algebra)\n",
        tmp_path,
    )

    positions = dict(Topic.objects.values_list("slug", "position"))
    assert positions["calculus"] == 10
    assert positions["linear-algebra"] == 20
    assert 10 < positions["real-analysis"] < 20
    assert positions["stochastic-processes"] == 50


def test_dry_run_reports_what_would_change_and_writes_nothing(seed_catalog, tmp_path):
    before = snapshot()

    output = import_text(EDITED_LIST, tmp_path, "--dry-run")

    assert snapshot() == before
    assert "Dry run of" in output
    assert "nothing was written" in output
    assert "To create resource “Calculus Made Easy”" in output
    assert "To update resource “Khan Academy Calculus”:\n      note: (empty) → “start here.”" in (
        output
    )
    assert "1 to create" in output


def test_unpublished_option_creates_new_resources_unpublished_and_leaves_existing_ones(
    seed_catalog, tmp_path
):
    import_text(EDITED_LIST, tmp_path, "--unpublished")

    by_url = resources_by_url()
    assert by_url[canonical_url("https://www.gutenberg.org/ebooks/33283")].is_published is False
    assert (
        by_url[canonical_url("https://www.khanacademy.org/math/calculus-home")].is_published is True
    )


def test_resources_with_the_same_title_get_different_slugs(db, tmp_path):
    import_text(
        "## Calculus\n- [Lecture notes](https://example.org/a)\n"
        "## Algebra\n- [Lecture notes](https://example.org/b)\n",
        tmp_path,
    )

    assert sorted(Resource.objects.values_list("slug", flat=True)) == [
        "lecture-notes",
        "lecture-notes-2",
    ]


def test_a_topic_is_matched_by_slug_when_its_title_differs(db, tmp_path):
    topic = make_topic(slug="linear-algebra", title="Linear algebra (matrices)")

    import_text("## Linear Algebra\n- [Course](https://example.org/course)\n", tmp_path)

    topic.refresh_from_db()
    assert Topic.objects.count() == 1
    assert topic.title == "Linear algebra (matrices)"  # the curator's title
    assert listed_titles(topic) == ["Course"]

    import_text(
        "## Linear Algebra\n- [Course](https://example.org/course)\n", tmp_path, "--replace-text"
    )
    topic.refresh_from_db()
    assert topic.title == "Linear Algebra"


def test_a_resource_matches_its_url_written_with_or_without_percent_encoding(db, tmp_path):
    resource = make_resource(url="https://fr.wikipedia.org/wiki/Dérivée", note="")

    import_text(
        "## Calcul\n- [Dérivée](https://fr.wikipedia.org/wiki/Dérivée) - Wikipédia.\n", tmp_path
    )

    assert Resource.objects.count() == 1
    resource.refresh_from_db()
    assert resource.note == "Wikipédia."
    assert resource.main_listing.topic.title == "Calcul"


# The shapes real lists come in


def parse_sample(name):
    return parse_awesome_list((SAMPLES / name).read_text(encoding="utf-8"), source=name)


def resource_rows(topic):
    return [(r.title, r.url, r.note) for r in topic.resources]


def test_headings_with_links_on_their_own_lines():
    awesome_list = parse_sample("headings_and_lines.md")

    measure, markov = awesome_list.topics
    assert (measure.title, markov.title) == ("Measure theory", "Markov chains")
    assert resource_rows(measure) == [
        ("Measure, Integral and Probability", "https://example.org/measure.pdf", "a gentle book."),
        (
            "Terence Tao's notes",
            "https://terrytao.wordpress.com/books/an-introduction-to-measure-theory/",
            "",
        ),
    ]
    # Prose keeps its Markdown; consecutive lines stay one paragraph.
    assert measure.guidance == (
        "Learn *sigma-algebras* before anything else.\nThen Lebesgue integration."
    )
    assert markov.guidance == "Markov chains are the simplest **stochastic processes**."
    assert resource_rows(markov)[0][2] == "a classic."


def test_dash_bullets_with_descriptions_and_what_is_not_a_resource():
    awesome_list = parse_sample("bullets.md")

    assert awesome_list.title == "Awesome Linear Algebra"
    courses, books = awesome_list.topics
    assert [t.title for t in awesome_list.topics] == ["Courses", "Books"]
    assert resource_rows(courses) == [
        (
            "MIT 18.06",
            "https://ocw.mit.edu/courses/18-06-linear-algebra-spring-2010/",
            "Gilbert Strang's lectures.",
        ),
        (
            "Essence of Linear Algebra",
            "https://www.youtube.com/playlist?list=PLZHQObOWTQDPD3MizzM2xVFitgF8hE_ab",
            "3Blue1Brown, visual.",
        ),
    ]
    # Links in a description stay text; bold around a link is not part of the title.
    assert resource_rows(books) == [
        ("Linear Algebra Done Right", "https://linear.axler.net/", "by Sheldon Axler, free PDF."),
        (
            "Introduction to Applied Linear Algebra",
            "https://web.stanford.edu/~boyd/vmls/",
            "vectors, matrices and least squares.",
        ),
    ]
    # "Books" names the kind of its resources.
    assert {r.kind for r in books.resources} == {Resource.Kind.BOOK}
    urls = {r.url for r in awesome_list.resources}
    assert not any("awesome.re" in url or "shields.io" in url for url in urls)
    assert "https://example.org/ci" not in urls  # A badge.
    assert "https://example.org/CONTRIBUTING.md" not in urls
    assert "https://creativecommons.org/publicdomain/zero/1.0/" not in urls


def test_skipped_sections_and_links_are_reported_with_their_lines():
    awesome_list = parse_sample("bullets.md")

    assert [str(s) for s in awesome_list.skipped] == [
        "line 1: ![Awesome](https://awesome.re/badge.svg) (a badge, not a resource)",
        "line 3: ![Build](https://img.shields.io/badge/build-passing-green.svg) "
        "(a badge, not a resource)",
        "line 7: Contents (not a learning-resource section: table of contents)",
        "line 17: [Course notes](notes/linear-algebra.md) "
        "(relative link: a file or page beside the list, not a web address)",
        "line 23: [Write to the author](mailto:author@example.org) "
        "(unsupported scheme “mailto:”, only http(s) links are resources)",
        "line 25: Contributing "
        "(not a learning-resource section: contributing; 1 link under it not imported)",
        "line 29: License (not a learning-resource section: licence)",
    ]


def test_nested_bullets_under_a_label_and_under_a_resource():
    awesome_list = parse_sample("nested_bullets.md")

    (calculus,) = awesome_list.topics
    assert [(r.title, r.kind) for r in calculus.resources] == [
        ("Calculus Made Easy", Resource.Kind.BOOK),
        ("Active Calculus", Resource.Kind.BOOK),
        ("Essence of Calculus", Resource.Kind.VIDEO),
        ("Khan Academy Calculus", Resource.Kind.COURSE),
        ("Differential calculus", Resource.Kind.COURSE),
    ]
    assert calculus.resources[0].note == "Silvanus P. Thompson."
    assert calculus.resources[4].note == "the first half."
    # The labels "Books" and "Videos" are not guidance; a bullet of advice is.
    assert calculus.guidance == "Start with limits; the rest follows.\n\n- Practise every day."


def test_bare_urls_after_a_label():
    awesome_list = parse_sample("bare_urls.md")

    (topic,) = awesome_list.topics
    assert resource_rows(topic) == [
        # A label that only says the kind: the title comes from the URL.
        ("web.stanford.edu/~boyd/cvxbook", "https://web.stanford.edu/~boyd/cvxbook/", ""),
        # A longer label is the resource's name.
        ("Deep Learning Book", "https://www.deeplearningbook.org/", ""),
        (
            "Convex Optimization lectures",
            "https://www.youtube.com/watch?v=McLq1hEq3UY",
            "Stephen Boyd at Stanford.",
        ),
        (
            "edx.org/learn/convex-optimization",
            "https://www.edx.org/learn/convex-optimization",
            "",
        ),
        (
            "example.org/nocedal-wright",
            "https://example.org/nocedal-wright",
            "Numerical Optimization by Nocedal and Wright (see https://example.org/nocedal-wright).",
        ),
    ]
    assert [r.kind for r in topic.resources][:4] == ["book", "book", "video", "course"]
    assert [str(s) for s in awesome_list.skipped] == [
        "line 11: [ftp://ftp.example.org/optimisation.pdf]"
        "(ftp://ftp.example.org/optimisation.pdf) "
        "(unsupported scheme “ftp:”, only http(s) links are resources)"
    ]


def test_a_label_before_a_link_sets_the_kind_or_stays_in_the_note():
    awesome_list = parse_awesome_list(
        "## Reading\n"
        "- Book: [Linear Algebra Done Right](https://linear.axler.net/) - by Axler.\n"
        "- Start here: [Khan Academy](https://www.khanacademy.org/math) - short videos.\n"
    )

    book, khan = awesome_list.topics[0].resources
    assert (book.title, book.note, book.kind) == (
        "Linear Algebra Done Right",
        "by Axler.",
        Resource.Kind.BOOK,
    )
    assert (khan.title, khan.note) == ("Khan Academy", "Start here: short videos.")


def test_nested_headings_group_topics_and_fold_into_them():
    awesome_list = parse_sample("nested_headings.md")

    # "Algebra" only groups its sub-headings, which are the topics; "#### Books" under
    # "Analysis" is part of Analysis.
    assert [t.title for t in awesome_list.topics] == [
        "Linear algebra",
        "Abstract algebra",
        "Analysis",
    ]
    analysis = awesome_list.topics[2]
    assert [r.title for r in analysis.resources] == [
        "Understanding Analysis",
        "Principles of Mathematical Analysis",
    ]
    assert analysis.resources[1].kind == Resource.Kind.BOOK
    assert analysis.guidance == "Exercises make the difference."
    assert "line 3: text under “Algebra”" in str(awesome_list.skipped[0])


def test_a_heading_over_sub_headings_that_only_name_kinds_is_a_topic():
    awesome_list = parse_awesome_list(
        "# Awesome Mathematics\n\n"
        "## Calculus\n\nStart with limits.\n\n"
        "### Books\n\n- [A](https://example.org/a)\n\n"
        "### Free videos\n\n- [B](https://example.org/b)\n\n"
        "## Algebra\n\n### Books\n\n- [C](https://example.org/c)\n\n"
        "## Geometry\n\n### Euclidean geometry\n\n- [D](https://example.org/d)\n\n"
        "### Geometry software\n\n- [E](https://example.org/e)\n"
    )

    # Each subject's "Books" stays its own: "Calculus" and "Algebra" are topics. "Geometry"
    # only groups its sub-headings, which say what they are about.
    assert [(t.title, [r.title for r in t.resources]) for t in awesome_list.topics] == [
        ("Calculus", ["A", "B"]),
        ("Algebra", ["C"]),
        ("Euclidean geometry", ["D"]),
        ("Geometry software", ["E"]),
    ]
    calculus = awesome_list.topics[0]
    assert [r.kind for r in calculus.resources] == [Resource.Kind.BOOK, Resource.Kind.VIDEO]
    assert calculus.guidance == "Start with limits."


@pytest.mark.parametrize(
    ("sample", "topic_count", "resource_count"),
    [
        ("headings_and_lines.md", 2, 4),
        ("bullets.md", 2, 4),
        ("nested_bullets.md", 1, 5),
        ("bare_urls.md", 1, 5),
        ("nested_headings.md", 3, 4),
    ],
)
def test_each_sample_imports_and_reimports_without_duplicates(
    db, sample, topic_count, resource_count
):
    import_file(SAMPLES / sample)
    before = snapshot()

    import_file(SAMPLES / sample)

    assert snapshot() == before
    assert Topic.objects.count() == topic_count
    assert Resource.objects.count() == resource_count


def test_tables_raw_html_and_empty_headings_are_reported_and_code_ignored():
    awesome_list = parse_awesome_list(
        "## Books\n\n"
        "| Name | Link |\n| --- | --- |\n| A | [A book](https://example.org/a) |\n\n"
        "- [B](https://example.org/b)\n\n"
        "```\n[In code](https://example.org/code)\n```\n\n"
        '<p><a href="https://example.org/html">In HTML</a></p>\n\n'
        "## ![logo](logo.png)\n\n- [C](https://example.org/c)\n"
    )

    assert [r.url for r in awesome_list.resources] == ["https://example.org/b"]
    assert [str(s) for s in awesome_list.skipped] == [
        "line 5: [A book](https://example.org/a) (in a table: tables are not read)",
        'line 13: href="https://example.org/html" '
        "(in raw HTML, which is not read: write it as a Markdown link)",
        "line 15: ![logo](logo.png) (an image, not a resource)",
        "line 15: (empty heading) "
        "(a heading without text: its section is not imported; 1 link under it not imported)",
    ]


def test_a_heading_repeated_in_the_file_is_one_topic(db, tmp_path):
    import_text(
        "## Books\n- [A](https://example.org/a)\n## Videos\n- [B](https://example.org/b)\n"
        "## Books\n- [C](https://example.org/c)\n- [A again](https://example.org/a)\n",
        tmp_path,
    )

    books = Topic.objects.get(title="Books")
    assert listed_titles(books) == ["A", "C"]
    assert Resource.objects.count() == 3


def test_a_url_listed_twice_is_imported_once_and_reported(db, tmp_path):
    output = import_text(
        "## A\n- [First](https://example.org/x)\n## B\n- [Second](https://example.org/x)\n",
        tmp_path,
    )

    assert Resource.objects.get().title == "First"
    assert (
        "Skipped line 4: [Second](https://example.org/x) (duplicate of “First” on line 2 "
        "(same work))" in output
    )


# Bad input: a clear message naming the file (and line), and nothing written


def test_a_file_that_is_not_utf8_fails_naming_the_file_and_line(seed_catalog, tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("## Café\n- [Crème](https://example.org/x)\n".encode("latin-1"))
    before = snapshot()

    with pytest.raises(CommandError, match=r"latin1\.md, line 1: not UTF-8 text \(byte 0xe9"):
        import_file(path)

    assert snapshot() == before


def test_an_empty_file_fails_naming_the_file(db, tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("  \n\n")

    with pytest.raises(CommandError, match=r"empty\.md: the file is empty"):
        import_file(path)

    assert not Topic.objects.exists()


def test_a_file_without_links_fails_naming_the_file(db, tmp_path):
    with pytest.raises(CommandError, match=r"prose\.md: no links to import"):
        import_text("# Notes\n\n## Calculus\n\nJust prose.\n", tmp_path, name="prose.md")

    assert not Topic.objects.exists()


def test_a_file_whose_only_links_are_not_http_fails_and_says_why(db, tmp_path):
    with pytest.raises(CommandError, match=r"line 2, was skipped \(relative link: a file or page"):
        import_text("## Files\n- [Notes](notes.md)\n", tmp_path)


def test_a_missing_file_fails_naming_it(db, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.md: cannot read the file"):
        import_file(tmp_path / "nowhere.md")


def test_an_overlong_link_text_or_url_skips_the_link_naming_its_line(db, tmp_path):
    text = (
        "## Fine\n- [Fine](https://example.org/fine)\n## Long\n- ["
        + "x" * 201
        + "](https://example.org/long)\n- [Long URL](https://example.org/"
        + "y" * 500
        + ")\n"
    )

    output = import_text(text, tmp_path)

    assert list(Resource.objects.values_list("title", flat=True)) == ["Fine"]
    assert "Skipped line 4: [xxx" in output
    assert "(too long: the link text is longer than 200 characters)" in output
    assert "Skipped line 5: [Long URL](https://example.org/yyy" in output
    assert "(too long: the URL is longer than 500 characters)" in output
    assert "2 skipped (too long: 2)." in output


def test_a_database_error_midway_rolls_the_whole_import_back(db, monkeypatch):
    awesome_list = parse_sample("bullets.md")
    calls = []
    original_create = Resource.objects.create

    def failing_create(**fields):
        calls.append(fields["url"])
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return original_create(**fields)

    monkeypatch.setattr(Resource.objects, "create", failing_create)

    with pytest.raises(RuntimeError):
        import_awesome_list(awesome_list, curriculum=default_curriculum())

    assert len(calls) == 3
    assert not Topic.objects.exists()
    assert not Resource.objects.exists()


def test_the_error_message_reads_well():
    error = AwesomeListError("the link text is too long.", source="README.md", line=12)

    assert str(error) == "README.md, line 12: the link text is too long."


# Positions


@pytest.mark.parametrize(
    ("current", "planned"),
    [
        ([None, None, None], [10, 20, 30]),
        ([10, 20, 60, 70], [10, 20, 60, 70]),  # Order unchanged: curator gaps are kept.
        ([10, None, 20], [10, 15, 20]),  # A new item fits between its neighbours.
        ([None, 10], [5, 10]),
        ([10, 20, None, None], [10, 20, 30, 40]),
        ([20, 10], [10, 20]),  # Reordered: renumbered.
        ([10, None, 11], [10, 20, 30]),  # No room: renumbered.
        ([0, 0], [10, 20]),
    ],
)
def test_plan_positions(current, planned):
    assert plan_positions(current) == planned

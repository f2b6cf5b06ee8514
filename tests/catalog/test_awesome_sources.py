"""The awesome lists in fixtures/sources/ (real lists' shapes: badges, a table of contents,
nested headings, HTML comments, relative links, duplicates) import without failing, and the
report says what was skipped and why, kind by kind."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.awesome import SkipKind, import_awesome_list, parse_awesome_list, read_awesome_list
from catalog.awesome.report import count_skipped
from catalog.models import Resource, Topic, default_curriculum

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
INFORMATION_THEORY = SOURCES / "awesome-information-theory.md"
OPTIMISATION = SOURCES / "awesome-optimisation-statistics.md"


def read(path):
    return read_awesome_list(path.read_bytes(), source=path.name)


def import_file(path):
    out = StringIO()
    call_command("import_awesome", str(path), stdout=out)
    return out.getvalue()


def skipped_by_kind(awesome_list):
    by_kind = {}
    for skipped in awesome_list.skipped:
        by_kind.setdefault(skipped.kind, []).append(skipped.line)
    return by_kind


@pytest.mark.parametrize(
    ("path", "topic_count", "resource_count"),
    [
        (INFORMATION_THEORY, 4, 37),
        (OPTIMISATION, 10, 128),
        (SOURCES / "awesomeMLmath-README.md", 6, 14),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else None,
)
def test_each_source_list_imports_and_reimports_without_changes(
    db, path, topic_count, resource_count
):
    import_file(path)
    topics = list(Topic.objects.order_by("pk").values())
    resources = list(Resource.objects.order_by("pk").values())

    output = import_file(path)

    assert list(Topic.objects.order_by("pk").values()) == topics
    assert list(Resource.objects.order_by("pk").values()) == resources
    assert (len(topics), len(resources)) == (topic_count, resource_count)
    assert "0 created, 0 updated" in output


def test_the_information_theory_list_reports_each_skipped_line_and_why():
    awesome_list = read(INFORMATION_THEORY)

    assert awesome_list.title == "Awesome Information Theory"
    assert [topic.title for topic in awesome_list.topics] == [
        "Foundations",  # "### Books", "### Courses", "### Articles" fold into it
        "Coding and compression",
        # Under "## Information theory in machine learning", which only groups them:
        "Information in deep learning: papers",
        "Estimators and libraries",
    ]
    assert skipped_by_kind(awesome_list) == {
        SkipKind.HTML_COMMENT: [5],  # a commented-out entry in the multi-line comment
        SkipKind.IMAGE: [7, 9, 10],  # the awesome badge on the title, the shields.io badges
        SkipKind.SECTION: [19, 112, 117],  # Contents, Contributing, License
        SkipKind.UNDEFINED_REFERENCE: [45],
        SkipKind.NO_URL: [46],
        SkipKind.RELATIVE_LINK: [48],
        SkipKind.ANCHOR: [67, 86],  # "back to top"
        SkipKind.DUPLICATE: [82, 100, 101],
        SkipKind.NOT_READ: [108],  # a link written in HTML
        SkipKind.UNSUPPORTED_SCHEME: [110],
    }
    assert [str(s) for s in awesome_list.skipped if s.kind == SkipKind.DUPLICATE] == [
        # No "www.", a trailing slash: the same work as line 54.
        "line 82: [Journey into information theory]"
        "(https://khanacademy.org/computing/computer-science/informationtheory/) "
        "(duplicate of “Journey into information theory” on line 54 (same work))",
        # The same URL in a second section.
        "line 100: [Visual Information Theory]"
        "(https://colah.github.io/posts/2015-09-Visual-Information/) "
        "(duplicate of “Visual Information Theory” on line 37 (same work))",
        # Tracking parameters, no trailing slash: the same work as line 56.
        "line 101: [MIT 6.441]"
        "(https://ocw.mit.edu/courses/6-441-information-theory-spring-2016?utm_source=awe…) "
        "(duplicate of “MIT 6.441 Information Theory” on line 56 (same work))",
    ]
    by_line = {s.line: str(s) for s in awesome_list.skipped}
    assert by_line[48] == (
        "line 48: [worked solutions](./solutions/csiszar-shields.md) "
        "(relative link: a file or page beside the list, not a web address)"
    )
    assert by_line[112] == (
        "line 112: Contributing "
        "(not a learning-resource section: contributing; 1 link under it not imported)"
    )
    assert by_line[45] == (
        "line 45: [Network Information Theory][el-gamal-kim] "
        "(undefined reference: no “[el-gamal-kim]: URL” line defines its link)"
    )
    assert by_line[46].endswith(
        "(no URL: an entry needs an http(s) link to be a resource; "
        "its text stays in the topic's guidance)"
    )
    assert "Information Theory and Reliable Communication" in awesome_list.topics[0].guidance


def test_the_optimisation_list_reports_tables_raw_html_and_grouping_text():
    awesome_list = read(OPTIMISATION)

    assert [topic.title for topic in awesome_list.topics] == [
        "Convex optimisation",
        "Numerical optimisation",
        "Gradient methods for deep learning",
        "Derivative-free and black-box optimisation",
        "Optimisation software",
        "Probability and statistics foundations",
        "Statistical learning",
        "Bayesian inference",
        "Causal inference",
        "Related lists",
    ]
    by_kind = skipped_by_kind(awesome_list)
    assert by_kind[SkipKind.NOT_READ] == [2, 155, 156, 157]  # an HTML header, a table
    assert by_kind[SkipKind.IMAGE] == [2, 3]
    assert by_kind[SkipKind.HTML_COMMENT] == [20, 21]
    assert by_kind[SkipKind.OUTSIDE_TOPIC] == [41]
    assert by_kind[SkipKind.DUPLICATE] == [81, 134, 238]
    by_line = {s.line: str(s) for s in reversed(awesome_list.skipped)}
    assert by_line[41] == (
        "line 41: text under “Optimisation” "
        "(the heading only groups sub-headings; its sub-headings are the topics)"
    )
    assert by_line[155] == (
        "line 155: [CVXPY](https://www.cvxpy.org/) (in a table: tables are not read)"
    )
    assert by_line[2] == (
        'line 2: href="https://awesome.re" '
        "(in raw HTML, which is not read: write it as a Markdown link)"
    )
    # Reference-style links are read; a nested bullet under a resource is one too.
    bayesian = awesome_list.topics[7]
    assert [(r.title, r.url) for r in bayesian.resources[:2]] == [
        ("Statistical Rethinking", "https://xcelab.net/rm/"),
        ("Lectures, 2023", "https://github.com/rmcelreath/stat_rethinking_2023"),
    ]


def test_the_command_prints_each_skipped_line_and_counts_them_by_kind(db):
    output = import_file(INFORMATION_THEORY)

    assert (
        "  Skipped line 7: ![Awesome](https://awesome.re/badge.svg) (a badge, not a resource)\n"
        in output
    )
    assert (
        "  Skipped line 110: [Write to the maintainers](mailto:maintainers@example.org) "
        "(unsupported scheme “mailto:”, only http(s) links are resources)\n" in output
    )
    assert output.rstrip().endswith(
        "17 skipped (not a learning-resource section: 3, duplicate: 3, badge or image: 3, "
        "link within the page: 2, no URL: 1, relative link: 1, unsupported scheme: 1, "
        "undefined reference: 1, in a table or raw HTML: 1, in an HTML comment: 1)."
    )


# Each kind of skip, alone: what the report says


@pytest.mark.parametrize(
    ("markdown", "kind", "shown"),
    [
        (
            "## License\n\n[MIT](https://opensource.org/license/mit)\n",
            SkipKind.SECTION,
            "line 1: License (not a learning-resource section: licence; 1 link under it not "
            "imported)",
        ),
        (
            "## Acknowledgements\n\n- Thanks to all.\n",
            SkipKind.SECTION,
            "line 1: Acknowledgements (not a learning-resource section: acknowledgements)",
        ),
        (
            "[Early](https://example.org/early)\n",
            SkipKind.OUTSIDE_TOPIC,
            "line 1: [Early](https://example.org/early) (before the first heading, not in a topic)",
        ),
        (
            "## Topic\n\n- [Listed](https://example.org/listed)\n- Unlisted Book - no link\n",
            SkipKind.NO_URL,
            "line 4: Unlisted Book - no link (no URL: an entry needs an http(s) link to be a "
            "resource; its text stays in the topic's guidance)",
        ),
        (
            "## Topic\n\n- [First](https://example.org/y)\n"
            "- [Again](https://www.example.org/y/?utm_campaign=list&fbclid=1)\n",
            SkipKind.DUPLICATE,
            "line 4: [Again](https://www.example.org/y/?utm_campaign=list&fbclid=1) (duplicate "
            "of “First” on line 3 (same work))",
        ),
        (
            "## Topic\n\n- [Notes](../notes/chapter-1.md)\n",
            SkipKind.RELATIVE_LINK,
            "line 3: [Notes](../notes/chapter-1.md) (relative link: a file or page beside the "
            "list, not a web address)",
        ),
        (
            "## Topic\n\n- [Topic](#topic)\n",
            SkipKind.ANCHOR,
            "line 3: [Topic](#topic) (a link within the page (a table of contents, back to "
            "top), not a resource)",
        ),
        (
            "## Topic\n\n- [Mirror](ftp://ftp.example.org/book.pdf)\n",
            SkipKind.UNSUPPORTED_SCHEME,
            "line 3: [Mirror](ftp://ftp.example.org/book.pdf) (unsupported scheme “ftp:”, only "
            "http(s) links are resources)",
        ),
        (
            "## Topic\n\n- [Broken](<https://exa mple.org>)\n",
            SkipKind.INVALID_URL,
            "line 3: [Broken](https://exa%20mple.org) (not a valid URL)",
        ),
        (
            "## Topic\n\n- [Book][book-link] - by someone\n",
            SkipKind.UNDEFINED_REFERENCE,
            "line 3: [Book][book-link] (undefined reference: no “[book-link]: URL” line "
            "defines its link)",
        ),
        (
            "## Topic\n\n![Build](https://img.shields.io/badge/build-passing-green.svg)\n",
            SkipKind.IMAGE,
            "line 3: ![Build](https://img.shields.io/badge/build-passing-green.svg) (an image, "
            "not a resource)",
        ),
        (
            "## Topic\n\n- [" + "Long " * 41 + "](https://example.org/long)\n",
            SkipKind.TOO_LONG,
            "line 3: [" + ("Long " * 16)[:79] + "…](https://example.org/long) (too long: the "
            "link text is longer than 200 characters)",
        ),
        (
            "## Topic\n\n| Book |\n| --- |\n| [In a table](https://example.org/table) |\n",
            SkipKind.NOT_READ,
            "line 5: [In a table](https://example.org/table) (in a table: tables are not read)",
        ),
        (
            "## Topic\n\n<!--\n- [Hidden](https://example.org/hidden)\n-->\n",
            SkipKind.HTML_COMMENT,
            "line 4: [Hidden](https://example.org/hidden) (in an HTML comment, which readers "
            "of the list do not see)",
        ),
    ],
    ids=lambda value: value.name if isinstance(value, SkipKind) else "",
)
def test_each_kind_of_skip_is_reported_with_its_line_and_reason(markdown, kind, shown):
    # A topic with a link after it, so that there is something to import.
    awesome_list = parse_awesome_list(
        markdown + "\n## Listed\n\n- [Listed](https://example.org/x)\n"
    )

    assert [str(s) for s in awesome_list.skipped] == [shown]
    assert [s.kind for s in awesome_list.skipped] == [kind]


def test_the_report_counts_what_was_skipped_by_kind_most_first(db):
    awesome_list = parse_awesome_list(
        "## Topic\n\n- [A](https://example.org/a)\n- [A again](https://example.org/a/)\n"
        "- [B](https://example.org/b)\n- [B again](https://www.example.org/b)\n"
        "- [Notes](notes.md)\n"
    )

    report = import_awesome_list(awesome_list, curriculum=default_curriculum(), dry_run=True)

    assert count_skipped(report.skipped) == [
        (SkipKind.DUPLICATE, 2),
        (SkipKind.RELATIVE_LINK, 1),
    ]
    assert report.summary().endswith("; 3 skipped (duplicate: 2, relative link: 1).")

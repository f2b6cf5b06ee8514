"""What the code and the README say about the manual is true: a comment that points into the
docs names a page and heading that exist, every `manage.py` command the docs name runs, and the
README stays a short front door whose links all lead somewhere."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import ManagementUtility
from markdown.extensions.toc import slugify

THIS_FILE = Path(__file__).resolve()  # its examples of broken pointers are on purpose
PROJECT_DIR = THIS_FILE.parent.parent
DOCS_DIR = PROJECT_DIR / "docs"
README = PROJECT_DIR / "README.md"
# Files whose comments and messages may point into the docs.
SOURCE_SUFFIXES = {".py", ".html", ".js", ".css", ".conf", ".toml", ".yml", ".lua", ".sh", ".txt"}
SOURCE_NAMES = {"Makefile", "run", ".env.example", "README.md"}
# `docs/page.md`, `docs/page.md#anchor`, `docs/page.md, "Heading"`; `README, "Heading"`.
DOCS_POINTER = re.compile(
    r"""docs/(?P<page>[\w-]+\.md)(?:\#(?P<anchor>[\w-]+)|,\ ["'](?P<heading>[^"'\n]+)["'])?"""
)
README_POINTER = re.compile(r"""README(?:\.md)?,? ["'](?P<heading>[^"'\n]+)["']""")
HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
MANAGE_COMMAND = re.compile(r"manage\.py\s+(?P<command>[a-z][a-z0-9_]*)")


def source_files():
    """The repository's files (tracked or new, not ignored) that may hold such a pointer; not
    the manual itself, whose links the strict build checks."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in listed:
        path = PROJECT_DIR / name
        if name.startswith(("docs/", "fixtures/")) or path == THIS_FILE or not path.is_file():
            continue
        if path.suffix in SOURCE_SUFFIXES or path.name in SOURCE_NAMES:
            yield path


def headings(markdown_text):
    """The headings of a Markdown text, outside fenced code, without inline markup."""
    found, in_code = [], False
    for line in markdown_text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (match := HEADING.match(line)):
            found.append(re.sub(r"[`*_]", "", match["text"]))
    return found


def same_words(one, other):
    return " ".join(one.casefold().split()) == " ".join(other.casefold().split())


def pointer_problems(text, *, docs_dir=DOCS_DIR, readme=README):
    """What is wrong with each pointer into the docs in `text`, in words."""
    problems = []
    for match in DOCS_POINTER.finditer(text):
        page = docs_dir / match["page"]
        if not page.is_file():
            problems.append(f"{match[0]}: there is no docs/{match['page']}")
            continue
        titles = headings(page.read_text())
        if match["anchor"] and match["anchor"] not in {slugify(t, "-") for t in titles}:
            problems.append(f"{match[0]}: docs/{match['page']} has no heading #{match['anchor']}")
        if match["heading"] and not any(same_words(match["heading"], t) for t in titles):
            problems.append(f"{match[0]}: docs/{match['page']} has no heading {match['heading']!r}")
    readme_titles = headings(readme.read_text())
    for match in README_POINTER.finditer(text):
        if not any(same_words(match["heading"], t) for t in readme_titles):
            problems.append(f"{match[0]}: the README has no heading {match['heading']!r}")
    return problems


def test_pointers_into_the_docs_are_checked(tmp_path):
    (tmp_path / "operations.md").write_text("# Operations\n\n## Trying it: `make cluster`\n")
    readme = tmp_path / "README.md"
    readme.write_text("# mlmath\n\n```sh\n# not a heading\n```\n\n## Study plan\n")
    text = """
    # docs/operations.md, "Trying it: make cluster"; docs/operations.md#trying-it-make-cluster
    # README, "Study plan" and README "study plan"
    # docs/deploy.md; docs/operations.md, "Scaling"; docs/operations.md#scaling
    # README, "Production"; README, "not a heading"
    """
    assert pointer_problems(text, docs_dir=tmp_path, readme=readme) == [
        "docs/deploy.md: there is no docs/deploy.md",
        "docs/operations.md, \"Scaling\": docs/operations.md has no heading 'Scaling'",
        "docs/operations.md#scaling: docs/operations.md has no heading #scaling",
        "README, \"Production\": the README has no heading 'Production'",
        "README, \"not a heading\": the README has no heading 'not a heading'",
    ]


def test_every_pointer_into_the_docs_names_a_page_and_heading_that_exist():
    files = list(source_files())
    assert any(path.name == "settings.py" for path in files)
    problems = [
        f"{path.relative_to(PROJECT_DIR)}: {problem}"
        for path in files
        for problem in pointer_problems(path.read_text(errors="replace"))
    ]
    assert not problems, "\n".join(problems)


README_MAX_LINES = 150
# A Markdown link or image: [text](target) or ![alt](target), its target without a title.
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")


def local_link_problems(markdown_text, *, base_dir=PROJECT_DIR):
    """What is wrong with each link to a file of the repository in a Markdown text."""
    problems = []
    for match in MARKDOWN_LINK.finditer(markdown_text):
        target = match["target"].split("#")[0]
        if not target or "://" in target or target.startswith("mailto:"):
            continue
        if not (base_dir / target).is_file():
            problems.append(f"{match['target']}: there is no {target}")
    return problems


def test_local_links_are_checked(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "learners.md").write_text("# Learners\n")
    text = """
    [Learners](docs/learners.md), [Search](docs/learners.md#search), [site](https://x.org/a.md)
    ![shot](docs/screenshots/missing.png), [Deploy](docs/deploy.md "the old page"), [top](#top)
    """
    assert local_link_problems(text, base_dir=tmp_path) == [
        "docs/screenshots/missing.png: there is no docs/screenshots/missing.png",
        "docs/deploy.md: there is no docs/deploy.md",
    ]


def test_the_readme_is_a_short_front_door():
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


def test_every_file_the_readme_links_exists():
    assert local_link_problems(README.read_text()) == []


def test_the_readme_lists_every_page_of_the_manual():
    linked = {match["target"].split("#")[0] for match in MARKDOWN_LINK.finditer(README.read_text())}
    pages = {f"docs/{page.name}" for page in DOCS_DIR.glob("*.md")}
    assert len(pages) > 5
    assert pages - linked == set()


def commands_named_in_the_docs():
    texts = [README.read_text(), *(page.read_text() for page in sorted(DOCS_DIR.glob("*.md")))]
    return sorted({match["command"] for text in texts for match in MANAGE_COMMAND.finditer(text)})


def test_the_docs_name_the_commands_readers_run():
    assert {"migrate", "check", "check_links", "rotate_badge_signing_key"} <= set(
        commands_named_in_the_docs()
    )


@pytest.mark.parametrize("command", commands_named_in_the_docs())
def test_each_manage_py_command_named_in_the_docs_runs_with_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", command, "--help"]).execute()

    output = capsys.readouterr()
    assert exit_.value.code in (0, None), output.err
    assert f"manage.py {command}" in output.out


def test_an_unknown_command_fails_with_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "no_such_command", "--help"]).execute()

    assert exit_.value.code == 1
    assert "Unknown command: 'no_such_command'" in capsys.readouterr().err

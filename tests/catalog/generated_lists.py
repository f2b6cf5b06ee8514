"""Awesome lists of any size, for the import's query-count test and `bench/import_speed.py`."""


def generated_awesome_list(sections, entries_per_section, *, title=None):
    """A list of `sections` topics of `entries_per_section` linked resources each, shaped like a
    real one: a title, an introduction, a line of guidance per section, a note per entry. With
    `title`, every entry has that link text, as the "PDF" and "Slides" of real lists do."""
    lines = ["# Awesome Generated", "", "A list made for measuring the import.", ""]
    for section in range(1, sections + 1):
        lines += [f"## Section {section}", "", f"Read section {section} in order.", ""]
        lines += [
            f"- [{title or f'Resource {section}.{entry}'}](https://example.org/{section}/{entry})"
            f" - note on resource {section}.{entry}."
            for entry in range(1, entries_per_section + 1)
        ]
        lines.append("")
    return "\n".join(lines)

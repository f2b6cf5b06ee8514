"""What an import did, or (a dry run) would do: each topic and resource it creates, each field
it changes (before → after), each text it keeps as the catalog has it and why, and the lines
of the file it skipped. The command prints it; the admin shows it."""

import textwrap
from collections import Counter
from dataclasses import dataclass, field

from catalog.awesome.base import SkipKind, Skipped

# Why an import kept a text field as the catalog has it (see `apply.imported_text`).
LIST_SAYS_NOTHING = "list-says-nothing"
CATALOG_TEXT_KEPT = "catalog-text-kept"

KEPT_REASONS = {
    LIST_SAYS_NOTHING: "the list has no text for it, and an import never erases a field",
    CATALOG_TEXT_KEPT: (
        "the catalog's text differs from the list's, and replacing it was not chosen"
    ),
}


@dataclass(frozen=True)
class FieldChange:
    """A field's value before and after the import, as a curator reads it: text ("" when
    empty), a position, a topic's title."""

    name: str
    before: str | int
    after: str | int


@dataclass(frozen=True)
class KeptText:
    """A text field the import leaves as the catalog has it, although the list differs."""

    name: str
    catalog: str
    listed: str
    reason: str  # LIST_SAYS_NOTHING or CATALOG_TEXT_KEPT

    @property
    def why(self):
        return KEPT_REASONS[self.reason]


@dataclass(frozen=True)
class Change:
    """One topic or resource the import created, updated or left unchanged (or the curriculum
    it created)."""

    model: str  # "topic" or "resource" (or "curriculum", created by an import)
    title: str
    fields: tuple[FieldChange, ...] = ()  # what an update changes
    kept: tuple[KeptText, ...] = ()
    detail: str = ""  # for a new row: where it goes and whether learners see it

    @property
    def field_names(self):
        return tuple(change.name for change in self.fields)


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    created: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Resources of the imported topics that the file does not list; they are left as they are.
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated)

    @property
    def kept(self):
        """(change, kept text) for every field the import left as the catalog has it."""
        return [(change, kept) for change in self.updated + self.unchanged for kept in change.kept]

    def count(self, action, model):
        return sum(change.model == model for change in getattr(self, action))

    @property
    def skipped_counts(self):
        """(kind, how many) for each kind of thing skipped: the most first."""
        return count_skipped(self.skipped)

    def summary(self):
        counts = "; ".join(
            f"{model}s: {self.count('created', model)} {self.verb('created')}, "
            f"{self.count('updated', model)} {self.verb('updated')}, "
            f"{self.count('unchanged', model)} unchanged"
            for model in ["topic", "resource"]
        )
        prefix = (
            f"Dry run of {self.source}, nothing was written. "
            if self.dry_run
            else f"Imported {self.source}. "
        )
        kept = len(self.kept)
        kept = f"; {kept} catalog text{'' if kept == 1 else 's'} kept" if kept else ""
        skipped = ", ".join(f"{kind}: {count}" for kind, count in self.skipped_counts)
        skipped = f" ({skipped})" if skipped else ""
        return f"{prefix}{counts.capitalize()}{kept}; {len(self.skipped)} skipped{skipped}."

    def details(self, *, verbose=False):
        """The report as lines for a terminal: each created item, each updated one with its
        fields before → after, each text kept and why, the skipped lines, what the file no
        longer lists, and (verbose) the unchanged items."""
        lines = []
        for change in self.created:
            detail = f" ({change.detail})" if change.detail else ""
            lines.append(f"{self.verb('created')} {change.model} “{change.title}”{detail}")
        for change in self.updated:
            lines.append(f"{self.verb('updated')} {change.model} “{change.title}”:")
            lines += [
                f"    {f.name}: {one_line(f.before)} → {one_line(f.after)}" for f in change.fields
            ]
        for change, kept in self.kept:
            lines.append(f"kept the {kept.name} of {change.model} “{change.title}”: {kept.why}")
            if kept.reason == CATALOG_TEXT_KEPT:
                lines.append(f"    catalog: {one_line(kept.catalog)}")
                lines.append(f"    list:    {one_line(kept.listed)}")
        if verbose:
            lines += [f"unchanged {c.model} “{c.title}”" for c in self.unchanged]
        lines += [f"skipped {skipped}" for skipped in self.skipped]
        lines += [f"not in the file, left as it is: resource “{t}”" for t in self.not_in_file]
        return [line[0].upper() + line[1:] for line in lines]

    def verb(self, action):
        if not self.dry_run or action == "unchanged":
            return action
        return {"created": "to create", "updated": "to update"}[action]


def count_skipped(skipped):
    """(SkipKind, how many) for each kind among the skipped: the most first, then in the order
    SkipKind lists them."""
    order = list(SkipKind)
    counts = Counter(s.kind for s in skipped)
    return sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))


def one_line(value, width=100):
    """A value on one line of a terminal: text quoted, whitespace collapsed, long text cut."""
    if value == "":
        return "(empty)"
    if not isinstance(value, str):
        return str(value)
    return "“" + textwrap.shorten(value, width=width, placeholder=" …") + "”"

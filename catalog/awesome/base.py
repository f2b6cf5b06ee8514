"""The types every phase shares: an awesome list as plain data (the plan an import applies),
what was skipped and why, and the error for input that cannot be imported."""

from dataclasses import dataclass, field

__all__ = [
    "DEGREES_HEADING",
    "RESOURCE_DETAIL_LABELS",
    "AwesomeList",
    "AwesomeListError",
    "ParsedResource",
    "ParsedTopic",
    "Skipped",
]

# The heading the export writes degrees under, and the parser skips (degrees are edited in the
# admin, never imported).
DEGREES_HEADING = "Degrees"
# The labels of the bullets the export writes under a resource for its people and keywords, and
# the parser reads back: "- People: Gilbert Strang".
RESOURCE_DETAIL_LABELS = {"people": "People", "keywords": "Keywords"}


class AwesomeListError(Exception):
    """Input that cannot be imported. The message names the file and, where it applies, the line."""

    def __init__(self, message, *, source, line=None):
        self.message = message
        self.source = source
        self.line = line
        where = source if line is None else f"{source}, line {line}"
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedResource:
    title: str
    url: str
    note: str
    line: int
    kind: str = ""  # A Resource.Kind guessed from a label, heading or host; "" when unknown.
    # From "People: ..." and "Keywords: ..." bullets under the resource; None when the file
    # does not say (the resource's own are then kept).
    people: str | None = None
    keywords: str | None = None


@dataclass
class ParsedTopic:
    title: str
    line: int
    guidance: str = ""
    resources: list[ParsedResource] = field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    """Something in the file that is not imported, and why."""

    line: int
    text: str
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.text} ({self.reason})"


@dataclass
class AwesomeList:
    """An awesome list as plain data: what the file says, before it touches the database."""

    source: str
    title: str
    topics: list[ParsedTopic]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def resources(self):
        return [resource for topic in self.topics for resource in topic.resources]

"""The types every phase shares: an awesome list as plain data (the plan an import applies),
what was skipped and why, and the error for input that cannot be imported."""

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "DEGREES_HEADING",
    "RESOURCE_DETAIL_LABELS",
    "AwesomeList",
    "AwesomeListError",
    "ParsedResource",
    "ParsedTopic",
    "SkipKind",
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


class SkipKind(StrEnum):
    """What kind of thing an import skipped, as its report counts them (`Skipped.reason` says
    more: which section, which scheme, a duplicate of what)."""

    SECTION = "not a learning-resource section"
    OUTSIDE_TOPIC = "outside any topic"
    NO_URL = "no URL"
    DUPLICATE = "duplicate"
    RELATIVE_LINK = "relative link"
    ANCHOR = "link within the page"
    UNSUPPORTED_SCHEME = "unsupported scheme"
    INVALID_URL = "invalid URL"
    UNDEFINED_REFERENCE = "undefined reference"
    IMAGE = "badge or image"
    TOO_LONG = "too long"
    NOT_READ = "in a table or raw HTML"
    HTML_COMMENT = "in an HTML comment"
    OTHER = "other"


@dataclass(frozen=True)
class Skipped:
    """Something in the file that is not imported, and why."""

    line: int
    text: str
    reason: str
    kind: SkipKind = SkipKind.OTHER

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

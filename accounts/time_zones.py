"""The time zones a learner picks from: one IANA name per place, grouped by region.

zoneinfo knows about 600 names, many of them aliases kept for old systems ("W-SU", "Zulu",
"US/Eastern", "Asia/Calcutta"). The picker lists the names tzdata's `zone.tab` gives places
(about 420 "Area/City" names) and UTC, one group per area. Every name zoneinfo knows stays a
valid zone: a legacy alias saved before, or sent by a browser, is read as the place it stands
for (`place_name`), and one with no place (say "Etc/GMT+5") is shown as it is.
"""

import importlib.resources
import zoneinfo
from functools import cache
from pathlib import Path

UTC = "UTC"
UTC_ZONE = "Etc/UTC"  # the zone UTC and its other names ("Zulu", "Etc/UCT") link to
# The areas of tzdata's "Area/City" names, in the order the picker shows them.
AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
# Names zoneinfo lists that are not places a learner lives in.
NOT_PLACES = {"Factory", "localtime", "posixrules"}


@cache
def time_zone_names():
    """Every IANA time zone name this machine knows, sorted: what a profile may hold."""
    return sorted(zoneinfo.available_timezones() - NOT_PLACES)


def tzdata_text(name):
    """A file of the tz database (`zone.tab`, `tzdata.zi`) from where zoneinfo reads its zones:
    the system's directories, else the `tzdata` package; None if neither has it."""
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return (importlib.resources.files("tzdata.zoneinfo") / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


@cache
def place_names():
    """The names the picker lists, sorted: UTC and every place of `zone.tab` (without it, every
    name of a known area, aliases and all)."""
    known = set(time_zone_names())
    table = tzdata_text("zone.tab") or ""
    listed = {
        line.split("\t")[2].strip()
        for line in table.splitlines()
        if line and not line.startswith("#") and line.count("\t") >= 2
    }
    if not listed:
        listed = {name for name in known if name.split("/")[0] in AREAS and "/" in name}
    return sorted((listed & known) | ({UTC} & known))


@cache
def aliases():
    """{legacy name: the listed name it links to}, read from tzdata's links (`tzdata.zi`);
    every name of UTC ("Etc/UTC", "Zulu") stands for UTC."""
    listed, known = set(place_names()), set(time_zone_names())
    links = {UTC_ZONE: UTC}
    for line in (tzdata_text("tzdata.zi") or "").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L" and parts[2] != UTC:
            links[parts[2]] = parts[1]
    found = {}
    for alias, target in links.items():
        for _ in range(5):  # a link may name another link
            if target in listed or target not in links:
                break
            target = links[target]
        if alias in known and alias not in listed and target in listed:
            found[alias] = target
    return found


def place_name(name):
    """The listed name for `name`: itself if listed, the place a legacy alias stands for, else
    `name` unchanged (a valid zone of no place, like "Etc/GMT+5")."""
    return name if name in set(place_names()) else aliases().get(name, name)


def option_label(name):
    """How a listed name reads in its area's group: "Argentina/Buenos Aires"."""
    return name.split("/", 1)[1].replace("_", " ")


@cache
def grouped_choices():
    """Choices for a <select>: UTC, then one group per area, names in alphabetical order."""
    by_area = {}
    for name in place_names():
        if name != UTC:
            by_area.setdefault(name.split("/")[0], []).append((name, option_label(name)))
    groups = [(area, by_area[area]) for area in AREAS if area in by_area]
    groups += [(area, names) for area, names in sorted(by_area.items()) if area not in AREAS]
    return ([(UTC, UTC)] if UTC in place_names() else []) + groups

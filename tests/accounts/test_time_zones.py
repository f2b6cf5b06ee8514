"""The time zones a learner picks from, as plain functions over the tz database's files."""

import pytest

from accounts import time_zones
from accounts.time_zones import aliases, place_name, place_names, time_zone_names


@pytest.fixture
def fresh_tables():
    """The tables are read once per process: read them again around a test that changes them."""
    cached = [time_zones.place_names, time_zones.aliases, time_zones.grouped_choices]
    for function in cached:
        function.cache_clear()
    yield
    for function in cached:
        function.cache_clear()


def test_every_listed_place_is_a_zone_zoneinfo_knows():
    assert set(place_names()) <= set(time_zone_names())
    assert "UTC" in place_names()


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("W-SU", "Europe/Moscow"),
        ("Zulu", "UTC"),
        ("Etc/UTC", "UTC"),
        ("US/Pacific", "America/Los_Angeles"),
        ("Europe/Paris", "Europe/Paris"),
        ("Etc/GMT+5", "Etc/GMT+5"),  # no place: kept as it is
    ],
)
def test_a_name_is_read_as_the_place_it_stands_for(name, place):
    assert place_name(name) == place


def test_every_alias_leads_to_a_listed_place():
    assert set(aliases().values()) <= set(place_names())


def test_without_the_zone_table_the_picker_lists_the_names_of_known_areas(
    fresh_tables, monkeypatch
):
    monkeypatch.setattr(time_zones, "tzdata_text", lambda name: None)
    names = place_names()
    assert "Europe/Paris" in names
    assert "UTC" in names
    assert "W-SU" not in names
    assert "US/Eastern" not in names
    assert aliases() == {"Etc/UTC": "UTC"}

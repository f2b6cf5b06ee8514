"""Accounts test fixtures: one published resource, and aware datetimes written as text."""

import pytest


@pytest.fixture
def resource(db):
    from model_bakery import baker

    return baker.make("catalog.Resource", is_published=True, url="https://example.org/r")


def at(text):
    """An aware UTC datetime from ISO text such as "2026-03-11T14:30"."""
    import datetime

    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)

"""Accounts test fixtures: one published resource."""

import pytest

from tests.factories import make_resource


@pytest.fixture
def resource(db):
    return make_resource(url="https://example.org/r")

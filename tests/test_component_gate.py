"""The gate for tests that need a real component: skip locally, fail under CI."""

import pytest

from tests.conftest import skip_or_fail


def test_a_missing_component_skips_the_test_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="needs Redis"):
        skip_or_fail("needs Redis")


def test_a_missing_component_fails_the_test_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(
        pytest.fail.Exception, match="CI is set but this test cannot run: needs Redis"
    ):
        skip_or_fail("needs Redis")

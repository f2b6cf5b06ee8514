"""The benchmark's floor view: a tiny page through the whole middleware stack."""

import pytest
from pytest_django.asserts import assertContains


@pytest.mark.django_db
def test_floor_answers_get_with_a_tiny_uncached_page(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/_floor/")
    assertContains(response, "<h1>Floor</h1>", html=True)
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_floor_refuses_writes(client):
    assert client.post("/_floor/").status_code == 405

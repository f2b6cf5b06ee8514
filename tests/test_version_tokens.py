"""A version token is replaced for everyone when the transaction that changed its rows commits,
once however many rows it saved, and not at all when it rolls back; meanwhile only the
transaction's own thread sees the change."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import transaction

from mlmath import versions

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "mlmath:test-version"


class RolledBack(Exception):
    pass


def bump_in_a_transaction_that_rolls_back():
    with transaction.atomic():
        versions.bump(KEY)
        raise RolledBack


def stored():
    """The token every other process reads."""
    return caches["default"].get(KEY)


@pytest.fixture
def token_before():
    versions.bump(KEY)  # outside a transaction: replaced (and announced, with Redis) at once
    yield stored()
    caches["default"].delete(KEY)


@pytest.fixture
def writes():
    with mock.patch.object(versions, "_write", wraps=versions._write) as write:
        yield write


def test_a_transaction_replaces_the_token_once_when_it_commits(token_before, writes):
    with transaction.atomic():
        versions.bump(KEY)
        seen_between = versions.current(KEY)[0]
        versions.bump(KEY)
        assert versions.current(KEY)[0] not in (token_before, seen_between)  # each change
        assert stored() == token_before  # nobody else can see the rows yet
        assert writes.call_count == 0
    assert stored() != token_before
    assert writes.call_count == 1
    assert versions.current(KEY)[0] == stored()


def test_a_rolled_back_transaction_replaces_nothing(token_before, writes):
    with pytest.raises(RolledBack):
        bump_in_a_transaction_that_rolls_back()
    assert stored() == token_before
    assert writes.call_count == 0
    assert versions.current(KEY)[0] == token_before  # the thread's own token is gone too


def test_a_rolled_back_savepoint_keeps_the_rest_of_its_transaction_s_replacement(
    token_before, writes
):
    with transaction.atomic():
        versions.bump(KEY)
        with pytest.raises(RolledBack):
            bump_in_a_transaction_that_rolls_back()  # a savepoint
    assert stored() != token_before
    assert writes.call_count == 1


def test_a_change_only_in_a_rolled_back_savepoint_replaces_nothing(token_before, writes):
    with transaction.atomic(), pytest.raises(RolledBack):
        bump_in_a_transaction_that_rolls_back()  # a savepoint
    assert stored() == token_before
    assert writes.call_count == 0


def test_outside_a_transaction_the_token_is_replaced_at_once(token_before, writes):
    versions.bump(KEY)
    assert stored() != token_before
    assert writes.call_count == 1


def test_a_request_after_a_rolled_back_transaction_uses_the_shared_token(token_before):
    """A thread's own token outlives a rollback only until its next request: a transaction
    there must not reuse what the rolled-back one cached under it."""
    request_started.send(sender=None)
    with pytest.raises(RolledBack):
        bump_in_a_transaction_that_rolls_back()
    request_finished.send(sender=None)
    request_started.send(sender=None)
    with transaction.atomic():
        assert versions.current(KEY)[0] == token_before
    request_finished.send(sender=None)


def test_a_request_that_read_a_token_then_changed_its_rows_renders_with_the_new_one(
    token_before,
):
    """A request keeps the tokens it read (one read per request); when it commits a change of
    its own, what it renders after that is under the new token, not the one it read first."""
    request_started.send(sender=None)
    try:
        assert versions.current(KEY)[0] == token_before
        with transaction.atomic():
            versions.bump(KEY)
        assert versions.current(KEY)[0] == stored() != token_before
    finally:
        request_finished.send(sender=None)

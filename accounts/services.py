"""Writes that touch several apps' tables for one account, each in one transaction."""

from dataclasses import dataclass
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction

from progress.models import DegreeAward
from progress.services import lock_learner

ACCOUNT_DELETED_REASON = "The learner deleted their account."


@dataclass(frozen=True)
class DeletedAccount:
    username: str
    revoked_awards: int


def end_sessions(session_keys):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in session_keys:
        store.delete(key)


def revoke_awards_of_deleted_account(user):
    """Revoke the account's valid awards, with the reason curators read; return how many.

    However an account is deleted (`delete_account`, or the admin and the shell through
    `accounts.signals`), its badges answer "revoked" from then on, never "valid".
    """
    return DegreeAward.objects.for_learner(user).revoke(reason=ACCOUNT_DELETED_REASON)


def delete_account(*, user):
    """Delete the account and every row that is theirs, in one transaction.

    Progress, notes, evidence, activity, the profile, email addresses and signed-in sessions
    go with the user (their foreign keys cascade). Awards stay only as revoked stubs holding no
    personal data (the learner is emptied), so their verification URLs answer "revoked",
    never "valid". Every session allauth recorded for the account is ended in the session
    store (database and cache alike).
    """
    with transaction.atomic():
        lock_learner(user)
        session_keys = list(
            UserSession.objects.filter(user=user).values_list("session_key", flat=True)
        )
        revoked = revoke_awards_of_deleted_account(user)
        # No version to replace: the learner's pages go with the account, and the revocation
        # above replaced their token already.
        DegreeAward.objects.for_learner(user).update(learner=None)
        username = user.get_username()
        # Ended inside the transaction: should it roll back, the learner is only signed out.
        end_sessions(session_keys)
        user.delete()
    return DeletedAccount(username=username, revoked_awards=revoked)

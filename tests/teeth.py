"""The teeth run: break each cache invalidation, each rule and each query pin in turn, and show
that a test fails (docs/teeth.md).

    .venv/bin/python tests/teeth.py                 # every breakage, a Markdown table at the end
    .venv/bin/python tests/teeth.py card-key-note   # only these (names, or a prefix: card-key-)
    .venv/bin/python tests/teeth.py --list          # the breakages, without running them

Each breakage replaces one exact text in one file by a broken one, in a scratch copy of the tree
(the files git knows, committed or not, copied to a temporary directory), runs the few test
files that should catch it (`-x`: the first failure is enough), records which tests failed and
puts the file back. The run exits non-zero if any breakage is not caught, or if any text to
break no longer occurs exactly once (the code moved: update the list). Breakages marked
`needs="redis"` or `"postgres"` run only with REDIS_URL or DATABASE_URL set, and are otherwise
reported as skipped.

Not collected by pytest (its files are `test_*.py`).
"""

import argparse
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Breakage:
    name: str
    what: str  # what it breaks, in a few words
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    needs: str = ""  # "redis" or "postgres": skipped without REDIS_URL / DATABASE_URL


INVALIDATION = "mlmath/invalidation.py"
VERSIONS = "mlmath/versions.py"
CACHING = "mlmath/caching.py"
TAGS = "progress/templatetags/progress_tags.py"
DEGREES = "progress/degrees.py"
MODELS = "progress/models.py"

CATALOG_CACHING_TESTS = ("tests/catalog/test_caching.py",)
LEARNER_CACHE_TESTS = ("tests/progress/test_learner_page_cache.py",)
SHARED_FRAGMENT_TESTS = ("tests/progress/test_shared_fragments.py",)
QUERY_COUNT_TESTS = (
    "tests/progress/test_query_counts.py",
    "tests/progress/test_curricula_query_counts.py",
)
TOKEN_TESTS = ("tests/test_version_tokens.py",)
# Parametrized by the change made: each breakage runs only the changes it should fail.
SHELL_CHANGE = (
    "tests/catalog/test_caching.py::"
    "test_every_catalog_row_saved_or_deleted_in_the_shell_shows_at_once"
)
BULK_OVER_LEARNERS = (
    "tests/progress/test_learner_page_cache.py::"
    "test_a_curators_bulk_action_over_several_learners_shows_to_each_at_once"
)
LEARNER_ROW_CHANGE = (
    "tests/progress/test_learner_page_cache.py::"
    "test_each_kind_of_learner_row_saved_or_deleted_on_its_own_shows_at_once"
)


def unplug(line):
    """A receiver's `connect(...)` line (its indentation kept) that connects nothing."""
    return line, "pass  # teeth: disconnected"


def dropped_model(label):
    return f'    "{label}",\n', ""


BREAKAGES = [
    # -- Invalidation: what replaces a token (mlmath/invalidation.py) --------------------------
    Breakage(
        "inv-catalog-row-saved",
        "a catalog row saved replaces the catalog's token",
        INVALIDATION,
        *unplug(
            'post_save.connect(catalog_row_changed, sender=label, dispatch_uid="catalog-row-saved")'
        ),
        CATALOG_CACHING_TESTS,
    ),
    Breakage(
        "inv-catalog-row-deleted",
        "a catalog row deleted replaces the catalog's token",
        INVALIDATION,
        *unplug(
            "post_delete.connect(catalog_row_changed, sender=label, "
            'dispatch_uid="catalog-row-deleted")'
        ),
        CATALOG_CACHING_TESTS,
    ),
    *(
        Breakage(
            f"inv-catalog-model-{label.split('.')[1].lower()}",
            f"{label} is among the catalog's rows",
            INVALIDATION,
            *dropped_model(label),
            tuple(f"{SHELL_CHANGE}[{change}]" for change in changes),
        )
        for label, changes in (
            ("catalog.Curriculum", ["a curriculum saved"]),
            ("catalog.Topic", ["a topic saved", "a topic deleted"]),
            ("catalog.Resource", ["a resource saved"]),
            ("catalog.Listing", ["a listing saved", "a listing deleted"]),
            ("catalog.Degree", ["a degree saved", "a degree deleted"]),
            ("catalog.Milestone", ["a milestone saved"]),
            ("catalog.Requirement", ["a requirement saved", "a requirement deleted"]),
            ("catalog.SearchSynonym", ["a search synonym saved"]),
        )
    ),
    Breakage(
        "inv-prerequisites",
        "a topic's prerequisites changed replace the catalog's token",
        INVALIDATION,
        *unplug(
            "m2m_changed.connect(prerequisites_changed, sender=prerequisites, "
            'dispatch_uid="prerequisites")'
        ),
        CATALOG_CACHING_TESTS,
    ),
    Breakage(
        "inv-learner-row-saved",
        "a learner's row saved replaces their token",
        INVALIDATION,
        *unplug(
            'post_save.connect(learner_row_changed, sender=label, dispatch_uid="learner-row-saved")'
        ),
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "inv-learner-row-deleted",
        "a learner's row deleted replaces their token",
        INVALIDATION,
        *unplug(
            "post_delete.connect(learner_row_changed, sender=label, "
            'dispatch_uid="learner-row-deleted")'
        ),
        LEARNER_CACHE_TESTS,
    ),
    *(
        Breakage(
            f"inv-learner-model-{label.split('.')[1].lower()}",
            f"{label} is among a learner's rows",
            INVALIDATION,
            *dropped_model(label),
            tuple(f"{LEARNER_ROW_CHANGE}[{change}]" for change in changes),
        )
        for label, changes in (
            ("progress.ResourceProgress", ["a progress row saved", "a progress row deleted"]),
            ("progress.Activity", ["an activity row saved", "an activity row deleted"]),
            ("progress.Evidence", ["evidence saved", "evidence deleted"]),
            ("progress.Following", ["a following saved", "a following deleted"]),
        )
    ),
    Breakage(
        "inv-award-saved",
        "an award saved replaces the learner's and their awards' tokens",
        INVALIDATION,
        *unplug(
            'post_save.connect(award_changed, sender="progress.DegreeAward", '
            'dispatch_uid="award-saved")'
        ),
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "inv-award-deleted",
        "an award deleted replaces the learner's and their awards' tokens",
        INVALIDATION,
        *unplug(
            'post_delete.connect(award_changed, sender="progress.DegreeAward", '
            'dispatch_uid="award-deleted")'
        ),
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "inv-award-awards-token",
        "an award saved replaces the awards' token (the header's badge)",
        INVALIDATION,
        "    bump_learner(instance.learner_id, awards=True)",
        "    bump_learner(instance.learner_id)",
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "inv-account",
        "an account saved replaces the learner's token",
        INVALIDATION,
        *unplug(
            "post_save.connect(account_changed, sender=settings.AUTH_USER_MODEL, "
            'dispatch_uid="account")'
        ),
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "inv-profile",
        "a profile saved replaces the learner's token",
        INVALIDATION,
        *unplug(
            'post_save.connect(profile_changed, sender="accounts.Profile", dispatch_uid="profile")'
        ),
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "inv-bump-learner-awards",
        "bump_learner(awards=True) replaces the awards' token",
        INVALIDATION,
        "        if awards:\n            versions.bump(versions.learner_awards_key(learner_id))",
        "        pass",
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "inv-bump-learners-all",
        "bump_learners replaces every learner's token, not only one",
        INVALIDATION,
        "    for learner_id in set(learner_ids):",
        "    for learner_id in sorted(set(learner_ids))[:1]:",
        (BULK_OVER_LEARNERS,),
    ),
    # -- Explicit bumps after bulk writes --------------------------------------------------------
    Breakage(
        "bulk-admin-publish",
        "the admin's publish action replaces the catalog's token",
        "catalog/admin.py",
        "        count = queryset.update(is_published=True)\n        bump_catalog_version()",
        "        count = queryset.update(is_published=True)",
        CATALOG_CACHING_TESTS,
    ),
    Breakage(
        "bulk-admin-unpublish",
        "the admin's unpublish action replaces the catalog's token",
        "catalog/admin.py",
        "        count = queryset.update(is_published=False)\n        bump_catalog_version()",
        "        count = queryset.update(is_published=False)",
        CATALOG_CACHING_TESTS,
    ),
    Breakage(
        "bulk-new-awards",
        "recording new awards replaces the learner's tokens",
        "progress/services.py",
        "    bump_learner(learner.pk, awards=True)  # a bulk write sends no signals",
        "    pass",
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "bulk-review",
        "a curator's review replaces the learners' tokens",
        "progress/services.py",
        "    bump_learners(learner_ids)  # an update sends no signals",
        "    pass",
        (BULK_OVER_LEARNERS, *LEARNER_CACHE_TESTS),
    ),
    Breakage(
        "bulk-revoke-many",
        "revoking awards in bulk replaces the learners' tokens",
        MODELS,
        "        bump_learners(learner_ids, awards=True)\n        if revoked:",
        "        if revoked:",
        (BULK_OVER_LEARNERS, "tests/progress/test_award_revocation.py"),
    ),
    Breakage(
        "bulk-revoke-one",
        "revoking one award replaces the learner's tokens",
        MODELS,
        "        bump_learner(self.learner_id, awards=True)  # an update sends no signals",
        "        pass",
        ("tests/progress/test_award_revocation.py", *LEARNER_CACHE_TESTS),
    ),
    Breakage(
        "bulk-mark",
        "a mark, written by plain statements, replaces the learner's token",
        "progress/services.py",
        "            bump_learner(learner.pk)  # plain statements send no signals",
        "            pass",
        (*LEARNER_CACHE_TESTS, *CATALOG_CACHING_TESTS),
    ),
    Breakage(
        "bulk-import-activity",
        "imported activity replaces the learner's token",
        "accounts/transfer/apply.py",
        "        bump_learner(learner.pk)  # a bulk write sends no signals",
        "        pass",
        LEARNER_CACHE_TESTS,
    ),
    # -- Version tokens: replaced on commit, read once (mlmath/versions.py) -------------------
    Breakage(
        "ver-on-commit",
        "a transaction's bump replaces the shared token when it commits",
        VERSIONS,
        "    transaction.on_commit(partial(_replace_at_commit, key))",
        "    pass",
        TOKEN_TESTS,
    ),
    Breakage(
        "ver-own-token-in-transaction",
        "inside a transaction, the writer sees its change at once (its own token)",
        VERSIONS,
        "    _uncommitted_tokens()[key] = uuid.uuid4().hex\n",
        "",
        (*TOKEN_TESTS, *LEARNER_CACHE_TESTS),
    ),
    Breakage(
        "ver-own-token-read",
        "current() answers the thread's own token inside its transaction",
        VERSIONS,
        'f"{tokens[key]}.{uncommitted[key]}" if key in uncommitted else tokens[key] '
        "for key in keys",
        "tokens[key] for key in keys",
        (*LEARNER_CACHE_TESTS, *TOKEN_TESTS),
    ),
    Breakage(
        "ver-rollback-forgets",
        "a rolled-back transaction's own tokens are not used after it",
        VERSIONS,
        "    if uncommitted and not _in_transaction():\n        uncommitted = {}",
        "    if False:\n        uncommitted = {}",
        TOKEN_TESTS,
    ),
    Breakage(
        "ver-set-replaces",
        "a bump replaces the shared token (not only adds one)",
        VERSIONS,
        "    cache.set(key, token, timeout=None)\n    return True",
        "    cache.add(key, token, timeout=None)\n    return True",
        (*TOKEN_TESTS, *CATALOG_CACHING_TESTS),
    ),
    Breakage(
        "ver-read-once-per-request",
        "a request reads its tokens once (kept until it ends)",
        VERSIONS,
        "    _this_request.tokens = {}\n",
        "    _this_request.tokens = None\n",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "ver-request-sees-own-bump",
        "a request that bumps a token renders with the new one",
        VERSIONS,
        "    if known is not None:\n        known[key] = token",
        "    pass",
        (
            "tests/test_version_tokens.py",
            "tests/progress/test_earned_panel.py",
            *LEARNER_CACHE_TESTS,
        ),
    ),
    Breakage(
        "ver-announced-token-remembered",
        "an announced token (Redis pub/sub) is what the process serves",
        VERSIONS,
        '                    key, _, token = message["data"].decode().partition(" ")\n'
        "                    self.tokens.remember(key, token)",
        '                    key, _, token = message["data"].decode().partition(" ")',
        ("tests/test_version_announcements.py",),
        needs="redis",
    ),
    Breakage(
        "ver-reread-after-interval",
        "a known token is read again after VERSION_REREAD_SECONDS",
        VERSIONS,
        "        if heard is None or monotonic() >= heard[1]:",
        "        if heard is None:",
        ("tests/test_version_announcements.py", "tests/test_stalled_redis.py"),
        needs="redis",
    ),
    # -- Cache keys (mlmath/caching.py, the cards' and sections' keys) -------------------------
    Breakage(
        "key-visitor-page-catalog",
        "a visitor's page is keyed by the catalog version",
        CACHING,
        '        version, "page", request.get_full_path(),',
        '        "v", "page", request.get_full_path(),',
        CATALOG_CACHING_TESTS,
    ),
    Breakage(
        "key-visitor-page-htmx",
        "a visitor's page is keyed by the HTMX headers",
        CACHING,
        '"page", request.get_full_path(), *(request.META.get(h) for h in HTMX_HEADERS)',
        '"page", request.get_full_path()',
        CATALOG_CACHING_TESTS,
    ),
    Breakage(
        "key-learner-page-learner-version",
        "a learner's page is keyed by their version",
        CACHING,
        'catalog, "learner-page", learner_id, learner, quarter_hour, csrf_secret,',
        'catalog, "learner-page", learner_id, quarter_hour, csrf_secret,',
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "key-learner-page-csrf",
        "a learner's page is keyed by their CSRF secret",
        CACHING,
        'catalog, "learner-page", learner_id, learner, quarter_hour, csrf_secret,',
        'catalog, "learner-page", learner_id, learner, quarter_hour,',
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "key-learner-page-quarter-hour",
        "a learner's page is keyed by the quarter hour (their local date)",
        CACHING,
        'catalog, "learner-page", learner_id, learner, quarter_hour, csrf_secret,',
        'catalog, "learner-page", learner_id, learner, csrf_secret,',
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "key-learner-page-catalog",
        "a learner's page is keyed by the catalog version",
        CACHING,
        'catalog, "learner-page", learner_id, learner, quarter_hour, csrf_secret,',
        '"v", "learner-page", learner_id, learner, quarter_hour, csrf_secret,',
        (*CATALOG_CACHING_TESTS, *LEARNER_CACHE_TESTS),
    ),
    Breakage(
        "ver-learner-page-one-read",
        "a learner's page reads its three tokens in one round trip (the awards' with them)",
        CACHING,
        "    catalog, learner, _ = versions.current(\n"
        "        versions.CATALOG, versions.learner_key(learner_id), "
        "versions.learner_awards_key(learner_id)\n    )",
        "    catalog, learner = versions.current("
        "versions.CATALOG, versions.learner_key(learner_id))",
        (*LEARNER_CACHE_TESTS, *QUERY_COUNT_TESTS),
    ),
    Breakage(
        "key-learner-page-messages",
        "a learner's page with messages to show is rendered, not cached",
        CACHING,
        "        and not len(get_messages(request))\n",
        "",
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "key-learner-page-htmx",
        "a learner's HTMX request is rendered, not served a cached page",
        CACHING,
        '        and not request.META.get("HTTP_HX_REQUEST")\n',
        "",
        (
            "tests/progress/test_learner_page_cache.py::"
            "test_a_learners_htmx_request_answers_the_partial_not_their_cached_page",
        ),
    ),
    Breakage(
        "key-catalog-data",
        "catalog rows cached for a page are keyed by the catalog version",
        CACHING,
        '    key = catalog_key(tokens[0], "data", name, *tokens[1:])',
        '    key = catalog_key("v", "data", name, *tokens[1:])',
        CATALOG_CACHING_TESTS,
    ),
    Breakage(
        "key-data-extra-versions",
        "data cached per learner's awards (the header's badge) is keyed by that version",
        CACHING,
        '    key = catalog_key(tokens[0], "data", name, *tokens[1:])',
        '    key = catalog_key(tokens[0], "data", name)',
        LEARNER_CACHE_TESTS,
    ),
    Breakage(
        "key-fragment-catalog",
        "cards and sections are keyed by the catalog version",
        CACHING,
        "    keys = {key: catalog_key(version, template_name, *key) for key in contexts}",
        '    keys = {key: catalog_key("v", template_name, *key) for key in contexts}',
        CATALOG_CACHING_TESTS,
    ),
    *(
        Breakage(
            f"key-card-{field}",
            f"a card is keyed by {what}",
            TAGS,
            f'        context["{field}"],\n',
            "",
            (*SHARED_FRAGMENT_TESTS, *CATALOG_CACHING_TESTS),
        )
        for field, what in (
            ("status", "the learner's status"),
            ("completed_on", "the day the learner completed it"),
            ("note", "the learner's note"),
            ("signed_in", "whether a learner is signed in"),
            # Not broken here: a card's `places` and `search_rank` follow from the resource,
            # its topic and the search terms, all in the key, under one catalog version.
        )
    ),
    Breakage(
        "key-card-topic",
        "a card is keyed by the topic it shows",
        TAGS,
        "        topic.pk if topic is not None else None,\n",
        "",
        (*SHARED_FRAGMENT_TESTS, *CATALOG_CACHING_TESTS, "tests/catalog/test_search.py"),
    ),
    Breakage(
        "key-section-done",
        "a home page section is keyed by the learner's count in its topic",
        TAGS,
        "        key = (topic.pk, signed_in, done, *(card_key(card) for card in cards))",
        "        key = (topic.pk, signed_in, *(card_key(card) for card in cards))",
        SHARED_FRAGMENT_TESTS,
    ),
    Breakage(
        "key-section-cards",
        "a home page section is keyed by its cards",
        TAGS,
        "        key = (topic.pk, signed_in, done, *(card_key(card) for card in cards))",
        "        key = (topic.pk, signed_in, done)",
        (*SHARED_FRAGMENT_TESTS, *CATALOG_CACHING_TESTS),
    ),
    # -- Rules (issue 22, section 2, and docs/architecture.md's table) --------------------------
    Breakage(
        "rule-standing-incomplete",
        'award_standing: a milestone without evidence is "Incomplete"',
        DEGREES,
        "    if None in states:\n        return Standing.INCOMPLETE\n",
        "",
        (
            "tests/progress/test_degree_rules.py",
            "tests/badges/test_share_verdict.py",
            "tests/progress/test_dashboard.py",
        ),
    ),
    Breakage(
        "rule-standing-rejected",
        'award_standing: rejected evidence is "Rests on rejected evidence"',
        DEGREES,
        "    if Evidence.State.REJECTED in states:",
        "    if False:",
        (
            "tests/progress/test_degree_rules.py",
            "tests/badges/test_share_verdict.py",
            "tests/progress/test_dashboard.py",
        ),
    ),
    Breakage(
        "rule-standing-verified",
        'award_standing: "Verified" only when every milestone is',
        DEGREES,
        "    if all(state == Evidence.State.VERIFIED for state in states):",
        "    if any(state == Evidence.State.VERIFIED for state in states):",
        (
            "tests/progress/test_degree_rules.py",
            "tests/badges/test_share_verdict.py",
            "tests/progress/test_dashboard.py",
        ),
    ),
    Breakage(
        "rule-shared-badge-standing",
        "the share page asks award_standing of the award's milestones",
        "badges/awards.py",
        "        return award_standing(milestone.state for milestone in self.milestones)",
        "        return award_standing(milestone.state or Evidence.State.SUBMITTED"
        " for milestone in self.milestones)",
        ("tests/badges/test_share_verdict.py",),
    ),
    Breakage(
        "rule-inherited-requirements",
        "cumulative_requirements: a degree asks every lower degree's requirements",
        DEGREES,
        "        if degree.curriculum_id == curriculum_id and degree.rank <= rank",
        "        if degree.curriculum_id == curriculum_id and degree.rank == rank",
        (
            "tests/progress/test_degree_rules.py",
            "tests/progress/test_degree_pages.py",
            "tests/badges/test_ob3.py",
        ),
    ),
    Breakage(
        "rule-inherited-same-curriculum",
        "cumulative_requirements: only lower degrees of the same curriculum",
        DEGREES,
        "        if degree.curriculum_id == curriculum_id and degree.rank <= rank",
        "        if degree.rank <= rank",
        (
            "tests/progress/test_degree_rules.py",
            "tests/progress/test_degree_pages.py",
            "tests/catalog/test_curriculum_pages.py",
        ),
    ),
    Breakage(
        "rule-percent-rounding",
        "percent_done rounds half to even (3 of 8 is 38%)",
        DEGREES,
        "    return round(100 * done / total) if total else 0",
        "    return int(100 * done / total) if total else 0",
        ("tests/progress/test_degree_rules.py", "tests/progress/test_dashboard.py"),
    ),
    Breakage(
        "rule-percent-nothing-to-do",
        "percent_done is 0 when there is nothing to do",
        DEGREES,
        "    return round(100 * done / total) if total else 0",
        "    return round(100 * done / total) if total else 100",
        ("tests/progress/test_degree_rules.py", "tests/progress/test_dashboard.py"),
    ),
    Breakage(
        "rule-degree-percent-empty",
        "a degree that asks nothing is 100% done",
        DEGREES,
        "        return 100 if self.needed == 0 else percent_done(self.done, self.needed)",
        "        return percent_done(self.done, self.needed)",
        ("tests/progress/test_degree_rules.py", "tests/progress/test_dashboard.py"),
    ),
    Breakage(
        "rule-topic-percent",
        "a topic's percent is percent_done of its counts",
        "progress/learner.py",
        "        return percent_done(self.done, self.published)",
        "        return percent_done(self.done, self.published + 1)",
        ("tests/progress/test_dashboard.py", "tests/accounts/test_profile.py"),
    ),
    Breakage(
        "rule-deleted-account-reason",
        'a deleted account\'s awards say "The learner deleted their account."',
        "accounts/services.py",
        'ACCOUNT_DELETED_REASON = "The learner deleted their account."',
        'ACCOUNT_DELETED_REASON = "Deleted."',
        ("tests/accounts/test_delete.py",),
    ),
    Breakage(
        "rule-deleted-account-revokes",
        "deleting an account revokes its awards",
        "accounts/services.py",
        "        revoked = revoke_awards_of_deleted_account(user)",
        "        revoked = 0",
        ("tests/accounts/test_delete.py",),
    ),
    Breakage(
        "rule-deleted-account-signal",
        "an account deleted in the admin or the shell revokes its awards",
        "accounts/signals.py",
        "    revoke_awards_of_deleted_account(instance)",
        "    pass",
        ("tests/accounts/test_delete.py",),
    ),
    Breakage(
        "rule-public-revocation-reason",
        'the public reads "Revoked by the issuer."',
        MODELS,
        'PUBLIC_REVOCATION_REASON = "Revoked by the issuer."',
        'PUBLIC_REVOCATION_REASON = "Revoked."',
        (
            "tests/progress/test_award_revocation.py",
            "tests/badges/test_share_page.py",
            "tests/badges/test_verify_page.py",
        ),
    ),
    Breakage(
        "rule-review-stamps-reviewer",
        "a review records who made it",
        "progress/services.py",
        "        state=state, curator_note=note, reviewed_at=now, reviewed_by=reviewer",
        "        state=state, curator_note=note, reviewed_at=now",
        ("tests/progress/test_evidence.py", "tests/progress/test_admin_reason_actions.py"),
    ),
    Breakage(
        "rule-review-stamps-time",
        "a review records when it was made",
        "progress/services.py",
        "        state=state, curator_note=note, reviewed_at=now, reviewed_by=reviewer",
        "        state=state, curator_note=note, reviewed_by=reviewer",
        ("tests/progress/test_evidence.py", "tests/progress/test_admin_reason_actions.py"),
    ),
    Breakage(
        "rule-is-done-published",
        "is_done: a row of an unpublished resource does not count",
        MODELS,
        "    return status in DONE_STATUSES and resource_is_published",
        "    return status in DONE_STATUSES",
        (
            "tests/progress/test_degree_credit.py",
            "tests/progress/test_learner_page_cache.py",
            "tests/progress/test_dashboard.py",
        ),
    ),
    Breakage(
        "rule-done-queryset-published",
        "ResourceProgress.objects.done(): an unpublished resource does not count",
        MODELS,
        "        return self.filter(status__in=DONE_STATUSES, resource__is_published=True)",
        "        return self.filter(status__in=DONE_STATUSES)",
        (
            "tests/progress/test_dashboard.py::"
            "test_a_completed_resource_unpublished_since_no_longer_counts_in_its_topic_row",
            "tests/progress/test_degree_credit.py",
            "tests/progress/test_dashboard.py",
            "tests/accounts/test_plan.py",
        ),
    ),
    Breakage(
        "rule-is-accepted",
        "is_accepted: rejected evidence does not count, unreviewed does",
        MODELS,
        "    return state != EvidenceState.REJECTED",
        "    return state == EvidenceState.VERIFIED",
        ("tests/progress/test_degree_credit.py", "tests/progress/test_evidence.py"),
    ),
    # Not broken here: `Evidence.objects.accepted()` is asked by no code today (the credit's
    # statement and `is_accepted` decide what counts).
    Breakage(
        "rule-known-counts-apart",
        "known resources count, and are told apart from completed ones",
        DEGREES,
        "            if status == Status.KNOWN:\n                known.add(resource_id)",
        "            pass",
        ("tests/progress/test_degree_credit.py", "tests/progress/test_dashboard.py"),
    ),
    Breakage(
        "rule-unpublished-requirement",
        "a requirement naming an unpublished resource is not met",
        DEGREES,
        "        done = int(spec.resource_published and spec.resource_id in done_resource_ids)",
        "        done = int(spec.resource_id in done_resource_ids)",
        ("tests/progress/test_degree_rules.py", "tests/progress/test_degree_credit.py"),
    ),
    Breakage(
        "rule-next-degree-held",
        "next_degree skips a degree the learner holds",
        DEGREES,
        "    return next((r for r in ordered if not r.met and r.degree.slug not in held), None)",
        "    return next((r for r in ordered if not r.met), None)",
        (
            "tests/progress/test_degree_rules.py",
            "tests/progress/test_next_up.py",
            "tests/progress/test_dashboard.py",
        ),
    ),
    Breakage(
        "rule-next-degree-lowest",
        "next_degree is the lowest-ranked degree not met",
        DEGREES,
        "    ordered = sorted(results, key=lambda result: result.degree.rank)",
        "    ordered = sorted(results, key=lambda result: -result.degree.rank)",
        (
            "tests/progress/test_degree_rules.py",
            "tests/progress/test_next_up.py",
            "tests/progress/test_dashboard.py",
        ),
    ),
    Breakage(
        "rule-resources-to-meet-shared",
        "resources_to_meet counts a resource two requirements name once",
        DEGREES,
        "        missing = requirement.needed - requirement.done - "
        "len(chosen.intersection(in_topic))",
        "        missing = requirement.needed - requirement.done",
        (
            "tests/progress/test_degree_rules.py",
            "tests/progress/test_next_up.py",
            "tests/accounts/test_plan.py",
        ),
    ),
    # Not broken here: `resources_to_meet` asking `in is_open` of a named resource. Its answer is
    # kept to `open_resource_ids` at the end as well, so that breakage changes nothing a caller
    # sees (an equivalent mutant); test_resources_to_meet_leave_out_what_is_done_or_not_open
    # holds the rule.
    Breakage(
        "rule-apply-status-clears-date",
        "a status other than completed clears the completion date",
        MODELS,
        "        else:\n            self.completed_at = None",
        "        else:\n            pass",
        ("tests/progress/test_marking.py", "tests/accounts/test_activity.py"),
    ),
    # -- Query pins: a page that reads one more query per row ----------------------------------
    Breakage(
        "pin-home-preview-resources",
        "the home page reads its previews' resources with them",
        "catalog/views.py",
        "        preview = (\n            Listing.objects.published()\n"
        '            .select_related("resource")\n',
        "        preview = (\n            Listing.objects.published()\n",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-topic-resources",
        "a topic's page reads its resources with their listings",
        "catalog/views.py",
        '            topic.listings.published()\n            .select_related("resource")\n',
        "            topic.listings.published()\n",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-degree-requirements",
        "degrees are read with their requirements (two queries)",
        "catalog/models.py",
        '            .prefetch_related(Prefetch("requirements", queryset=requirements))',
        "",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-degree-requirement-targets",
        "requirements are read with what they name",
        "catalog/models.py",
        "            Requirement.objects.select_related(\n"
        '                "resource", "topic__curriculum", "milestone__curriculum"\n'
        "            )",
        "            Requirement.objects",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-degree-page-cards",
        "a degree's page reads its cards' resources with their listings",
        "catalog/views.py",
        '            .select_related("resource", "topic")\n            .in_curriculum_order()',
        "            .in_curriculum_order()",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-search-results",
        "search reads its results' resources and topics with them",
        "catalog/views.py",
        'form.filter(listings.select_related("resource", "topic__curriculum"))',
        "form.filter(listings)",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-dashboard-prerequisites",
        "the dashboard reads every topic's prerequisites in one query",
        "progress/dashboard.py",
        '        .prefetch_related("prerequisites")\n',
        "",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-dashboard-topics-curriculum",
        "the dashboard reads its topics with their curriculum",
        "progress/dashboard.py",
        "            Topic.objects.filter(curriculum__slug__in=slugs)\n"
        '            .select_related("curriculum")\n',
        "            Topic.objects.filter(curriculum__slug__in=slugs)\n",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-dashboard-next-up",
        "the dashboard reads next up's resources with their listings",
        "progress/dashboard.py",
        '        ).select_related("resource", "topic__curriculum")',
        "        )",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-dashboard-activity",
        "the dashboard reads recent activity with its resources",
        "progress/dashboard.py",
        '"recent_activity": Activity.objects.for_learner(learner).select_related("resource")[',
        '"recent_activity": Activity.objects.for_learner(learner)[',
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-dashboard-milestones",
        "the dashboard reads milestones with their curriculum",
        "progress/dashboard.py",
        '        Milestone.objects.filter(curriculum__slug__in=slugs).select_related("curriculum")',
        "        Milestone.objects.filter(curriculum__slug__in=slugs)",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-awards-degree",
        "a learner's awards are read with their degrees",
        "progress/learner.py",
        '            .valid()\n            .select_related("degree")\n',
        "            .valid()\n",
        QUERY_COUNT_TESTS,
    ),
    Breakage(
        "pin-marking-listings",
        "marking reads the listings it answers with their resources",
        "progress/views.py",
        "        Listing.objects.published()\n"
        '        .select_related("resource", "topic__curriculum")\n',
        "        Listing.objects.published()\n",
        QUERY_COUNT_TESTS,
    ),
]


def source_tree():
    """A scratch copy of the files git knows (committed or not, ignored ones left out)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    scratch = Path(tempfile.mkdtemp(prefix="mlmath-teeth-"))
    for name in filter(None, (item.decode() for item in listed)):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (scratch / ".venv").symlink_to((ROOT / ".venv").resolve())
    return scratch


def check_texts(breakages):
    """Each old text occurs exactly once, and each breakage's name is unique; else say which."""
    problems = []
    names = [b.name for b in breakages]
    problems += [
        f"{name}: named twice" for name in sorted({n for n in names if names.count(n) > 1})
    ]
    for b in breakages:
        count = (ROOT / b.path).read_text().count(b.old)
        if count != 1:
            problems.append(f"{b.name}: the text to break occurs {count} times in {b.path}")
        if b.old == b.new:
            problems.append(f"{b.name}: breaks nothing")
        problems += [
            f"{b.name}: no test file {t}" for t in b.tests if not (ROOT / t.split("::")[0]).exists()
        ]
    return problems


def missing_service(breakage):
    if breakage.needs == "redis" and not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL"
    if breakage.needs == "postgres" and not os.environ.get("DATABASE_URL", "").startswith(
        "postgres"
    ):
        return "needs DATABASE_URL (PostgreSQL)"
    return ""


NOT_CAUGHT = "**NOT CAUGHT**"
TIMED_OUT = "(timed out)"
FAILED = re.compile(r"^(?:FAILED|ERROR) (tests/.+?)(?: - .*)?$", re.MULTILINE)


def run_one(scratch, breakage, timeout):
    """The tests that failed with the breakage applied, and the seconds it took."""
    path = scratch / breakage.path
    original = path.read_text()
    path.write_text(original.replace(breakage.old, breakage.new, 1))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    try:
        result = subprocess.run(
            [
                str(scratch / ".venv/bin/python"),
                "-m",
                "pytest",
                "-x",
                "-q",
                "-rfE",
                "-p",
                "no:cacheprovider",
                *breakage.tests,
            ],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = result.stdout + result.stderr
        failed = FAILED.findall(output)
        if result.returncode not in (0, 5) and not failed:
            failed = [f"(pytest exited {result.returncode})"]
    except subprocess.TimeoutExpired:
        failed = [TIMED_OUT]
    finally:
        path.write_text(original)
    return list(dict.fromkeys(failed)), time.monotonic() - started


def short(test_id):
    return test_id.removeprefix("tests/").replace(".py::", "::")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="breakages to run (a name or a name's prefix)")
    parser.add_argument("--list", action="store_true", help="list the breakages and stop")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per breakage")
    parser.add_argument(
        "--jobs", type=int, default=1, help="breakages run at once, each in its own copy"
    )
    parser.add_argument(
        "--table-from",
        nargs="+",
        metavar="LOG",
        help="only print the table of earlier runs' output",
    )
    args = parser.parse_args(argv)
    if args.table_from:
        return from_logs(args.table_from)

    problems = check_texts(BREAKAGES)
    if problems:
        print("The list of breakages no longer matches the code:", *problems, sep="\n  ")
        return 2
    chosen = [
        b for b in BREAKAGES if not args.names or any(b.name.startswith(n) for n in args.names)
    ]
    if args.list:
        for b in chosen:
            print(f"{b.name}: {b.what} ({b.path}; {', '.join(b.tests)})")
        return 0
    if not chosen:
        print("No breakage by that name.")
        return 2

    scratches = queue.Queue()
    for _ in range(args.jobs):
        scratches.put(source_tree())

    def run(breakage):
        skipped = missing_service(breakage)
        if skipped:
            return f"skipped ({skipped})", 0.0
        scratch = scratches.get()
        try:
            caught, seconds = run_one(scratch, breakage, args.timeout)
        finally:
            scratches.put(scratch)
        if caught == [TIMED_OUT]:
            return f"{NOT_CAUGHT} (timed out after {args.timeout} s)", seconds
        if caught:
            return "<br>".join(f"`{short(t)}`" for t in caught), seconds
        return NOT_CAUGHT, seconds

    verdicts = {}
    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(run, breakage): breakage for breakage in chosen}
            for done, future in enumerate(as_completed(futures), 1):
                breakage = futures[future]
                verdict, seconds = verdicts[breakage.name] = future.result()
                print(
                    f"[{done}/{len(chosen)}] {breakage.name}: {verdict} ({seconds:.0f} s)",
                    flush=True,
                )
    finally:
        while not scratches.empty():
            shutil.rmtree(scratches.get(), ignore_errors=True)
    return report([(breakage, verdicts[breakage.name][0]) for breakage in chosen])


PROGRESS_LINE = re.compile(r"^\[\d+/\d+\] (?P<name>\S+): (?P<verdict>.*) \(\d+ s\)$", re.MULTILINE)


def from_logs(paths):
    """The verdicts printed by earlier runs (their progress lines), a later run's winning."""
    verdicts = {}
    for path in paths:
        for line in PROGRESS_LINE.finditer(Path(path).read_text()):
            verdict = line["verdict"]
            timed_out = "(timed out" in verdict and not verdict.startswith(NOT_CAUGHT)
            verdicts[line["name"]] = f"{NOT_CAUGHT} (timed out)" if timed_out else verdict
    return report([(b, verdicts[b.name]) for b in BREAKAGES if b.name in verdicts])


def report(rows):
    """The Markdown table of (breakage, verdict) rows; 1 if any breakage was not caught."""
    uncaught = [breakage.name for breakage, verdict in rows if verdict.startswith(NOT_CAUGHT)]
    skipped = [breakage.name for breakage, verdict in rows if verdict.startswith("skipped")]
    print("\n| breakage | what it breaks | caught by |\n| --- | --- | --- |")
    for breakage, verdict in rows:
        print(f"| `{breakage.name}` (`{breakage.path}`) | {breakage.what} | {verdict} |")
    print(
        f"\n{len(rows) - len(uncaught) - len(skipped)} of {len(rows)} breakages caught"
        + (f", {len(skipped)} skipped." if skipped else ".")
    )
    if uncaught:
        print("NOT CAUGHT:", ", ".join(uncaught))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Every rule that makes a cached page stale, in one place.

Two version tokens key every cached render (`mlmath.versions`): the catalog's, and each
learner's. A change replaces the token of what it changed:

- a curriculum, topic, resource, listing, degree, milestone, requirement or search synonym
  saved or deleted, by anyone (the admin, the importer, `loaddata`'s raw saves, the shell):
  the catalog's (`catalog_row_changed`);
- a topic's prerequisites added, removed or cleared: the catalog's (`prerequisites_changed`);
- a learner's progress, activity, evidence or following saved or deleted: that learner's
  (`learner_row_changed`), and so is their account or profile saved (`account_changed`,
  `profile_changed`); an award saved or deleted: theirs and their awards' (`award_changed`);
- a revocation (`DegreeAward.revoke`, `DegreeAwardQuerySet.revoke`), a revoked award saved or
  deleted, a status list entry saved or deleted: the status lists' (`bump_status_lists`), since
  a list's bits are those of its revoked awards' entries;
- a bulk write (`update`, `bulk_create`, `bulk_update`), which sends no signals: the writer
  calls `bump_catalog_version`, `bump_learner` or `bump_learners` itself, right after it. They
  are the admin's publish and unpublish actions (`catalog.admin`), a curator's review of
  evidence (`progress.services.review_evidence`), revocations (`DegreeAward.revoke`,
  `DegreeAwardQuerySet.revoke`), new awards (`progress.services.record_new_awards`), their
  status list entries (`badges.models.draw_status_list_entries`, when they open a list),
  imported activity (`accounts.transfer.apply.import_activity`) and a mark, whose row and
  activity are written by plain statements (`progress.services.set_resource_status`).

After a bulk write in the shell, or an edit in raw SQL, run `python manage.py
bump_catalog_version` (catalog tables) or `python manage.py bump_learner_versions [USERNAME...]`
(learners' rows), or call the functions below.
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from mlmath import versions


def bump_catalog_version():
    """Make every cached catalog fragment and page stale, on every app server."""
    versions.bump(versions.CATALOG)


def bump_learner(learner_id, *, awards=False):
    """Make the learner's cached pages stale, and what shows their awards too if they changed
    (no-op for a row whose learner was deleted)."""
    if learner_id is not None:
        versions.bump(versions.learner_key(learner_id))
        if awards:
            versions.bump(versions.learner_awards_key(learner_id))


def bump_learners(learner_ids, *, awards=False):
    for learner_id in set(learner_ids):
        bump_learner(learner_id, awards=awards)


def bump_status_lists():
    """Make the published revocation status lists stale, on every app server."""
    versions.bump(versions.STATUS_LISTS)


def catalog_row_changed(sender, **kwargs):
    bump_catalog_version()


def prerequisites_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        bump_catalog_version()


def learner_row_changed(sender, instance, **kwargs):
    bump_learner(instance.learner_id)


def award_changed(sender, instance, **kwargs):
    bump_learner(instance.learner_id, awards=True)
    if instance.revoked_at is not None:  # its bit, if it has one, is set
        bump_status_lists()


def status_list_entry_changed(sender, **kwargs):
    bump_status_lists()


def account_changed(sender, instance, **kwargs):
    bump_learner(instance.pk)


def profile_changed(sender, instance, **kwargs):
    """Name, time zone, weekly goal and privacy show on the learner's pages."""
    bump_learner(instance.user_id)


# Named by label, so that this module, below every app, imports none of their models.
CATALOG_MODELS = (
    "catalog.Curriculum",
    "catalog.Topic",
    "catalog.Resource",
    "catalog.Listing",
    "catalog.Degree",
    "catalog.Milestone",
    "catalog.Requirement",
    "catalog.SearchSynonym",
)
LEARNER_ROW_MODELS = (
    "progress.ResourceProgress",
    "progress.Activity",
    "progress.Evidence",
    "progress.Following",
)


def connect():
    """Connect the receivers above (`MlmathConfig.ready`)."""
    for label in CATALOG_MODELS:
        post_save.connect(catalog_row_changed, sender=label, dispatch_uid="catalog-row-saved")
        post_delete.connect(catalog_row_changed, sender=label, dispatch_uid="catalog-row-deleted")
    prerequisites = apps.get_model("catalog", "Topic").prerequisites.through
    m2m_changed.connect(prerequisites_changed, sender=prerequisites, dispatch_uid="prerequisites")
    for label in LEARNER_ROW_MODELS:
        post_save.connect(learner_row_changed, sender=label, dispatch_uid="learner-row-saved")
        post_delete.connect(learner_row_changed, sender=label, dispatch_uid="learner-row-deleted")
    post_save.connect(award_changed, sender="progress.DegreeAward", dispatch_uid="award-saved")
    post_delete.connect(award_changed, sender="progress.DegreeAward", dispatch_uid="award-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            status_list_entry_changed, sender="badges.StatusListEntry", dispatch_uid="status-entry"
        )
    post_save.connect(account_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="account")
    post_save.connect(profile_changed, sender="accounts.Profile", dispatch_uid="profile")

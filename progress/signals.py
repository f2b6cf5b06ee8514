"""Keep each learner's cached pages exact, however their rows change (their own requests,
the curators' admin, imports, the shell): any saved or deleted row of theirs replaces their
version token (`mlmath.versions`). Bulk writes that send no signals go through
`LearnerRowsQuerySet`, which does the same."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from mlmath import versions
from progress.models import Activity, DegreeAward, Evidence, ResourceProgress

LEARNER_ROW_MODELS = (ResourceProgress, Activity, Evidence, DegreeAward)


def learner_row_changed(sender, instance, **kwargs):
    versions.bump_learner(instance.learner_id)


def account_changed(sender, instance, **kwargs):
    versions.bump_learner(instance.pk)


for model in LEARNER_ROW_MODELS:
    post_save.connect(learner_row_changed, sender=model, dispatch_uid=f"learner-saved-{model}")
    post_delete.connect(learner_row_changed, sender=model, dispatch_uid=f"learner-del-{model}")
post_save.connect(account_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="account-saved")

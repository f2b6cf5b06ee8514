"""Writes that touch several tables, each in one transaction."""

from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import timezone

from catalog.models import Degree, resource_placements
from mlmath.invalidation import bump_learner, bump_learners
from progress.degrees import (
    DegreeCredit,
    credit_after_completing,
    degree_credit,
    load_degree_specs,
)
from progress.models import DONE_STATUSES, DegreeAward, Evidence, ResourceProgress
from progress.signals import awards_recorded
from progress.statements import learner_resource_row, lock_learner_writes, save_status


def record_new_awards(*, learner, now=None, credit=None, curriculum_ids=None):
    """Award every degree the learner meets and does not hold yet; return the new awards.

    `credit` is the learner's `degree_credit`, when the caller has just read it.
    `curriculum_ids` limits the look to those curricula's degrees: a completion or evidence
    can only meet a degree of a curriculum that lists the resource or has the milestone (a
    degree met some other way, by a curator's edit, is recorded at the learner's next write
    there). None looks at every curriculum's.
    Existing awards are never removed: a degree tightened later keeps its earlier holders.
    Only a curator's revocation ends an award.

    The caller holds the learner's lock (`lock_learner`), so no other request records the
    same award meanwhile. The new awards are announced (`progress.signals.awards_recorded`)
    in the same transaction: `badges` draws each its status list index then.
    """
    now = now or timezone.now()
    credit = credit or degree_credit(learner)
    specs = load_degree_specs()
    if curriculum_ids is not None:
        specs = [spec for spec in specs if spec.curriculum_id in curriculum_ids]
    met_ids = {result.degree.id for result in credit.evaluate(specs) if result.met}
    if not met_ids:
        return []
    # A revoked award is not held: meeting the degree again records a new award.
    held = set(DegreeAward.objects.for_learner(learner).valid().values_list("degree_id", flat=True))
    new_degrees = Degree.objects.filter(pk__in=met_ids - held)
    awards = [DegreeAward(learner=learner, degree=degree, awarded_at=now) for degree in new_degrees]
    if not awards:
        return []
    # Under the learner's lock: no conflict, and the awards come back with their pks.
    DegreeAward.objects.bulk_create(awards)
    awards_recorded.send(sender=DegreeAward, awards=awards)
    bump_learner(learner.pk, awards=True)  # a bulk write sends no signals
    return awards


def lock_learner(learner):
    """Serialise one learner's writes, so that awards see every completion that preceded them.

    Without it, two completions committed at once could each miss the other and leave a met
    degree unrecorded. Other learners are not blocked. SQLite needs no lock: its transactions
    take the database's write lock when they begin (IMMEDIATE, see the settings).
    """
    if not connection.features.has_select_for_update:
        return
    lock_learner_writes(learner.pk)


@dataclass(frozen=True)
class WriteResult:
    """What a write saved (`row`, a ResourceProgress or an Evidence), whether it changed what
    counts toward degrees, and any award it earned: the view renders these without reading
    them again."""

    row: models.Model
    credit_changed: bool = False
    new_awards: list[DegreeAward] = field(default_factory=list)
    # The learner's credit after the write, if it was read: over the resources the write can
    # change anything for (`credit_after_completing`), what its answer shows.
    credit: DegreeCredit | None = None


def set_resource_status(*, learner, resource, status, now=None):
    """Set a learner's status on a resource; log the change and record any new degree award.

    Setting the same status again changes nothing. Only a status that counts (completed, or
    already known) can meet a degree, so only such a change looks for new awards. The
    learner's lock keeps one row per learner and resource (and the unique constraint would
    refuse a second).
    """
    now = now or timezone.now()
    new_awards, credit = [], None
    with transaction.atomic():
        lock_learner(learner)
        progress = learner_resource_row(learner.pk, resource.pk) or ResourceProgress()
        progress.learner, progress.resource = learner, resource
        status_before = progress.status
        if progress.apply_status(status, now):
            save_status(progress, now)
            bump_learner(learner.pk)  # plain statements send no signals
            if status in DONE_STATUSES:
                placement = resource_placements().get(resource.pk)
                credit = credit_after_completing(learner, placement)
                new_awards = record_new_awards(
                    learner=learner,
                    now=now,
                    credit=credit,
                    curriculum_ids=placement.curriculum_ids if placement else (),
                )
    credit_changed = (status_before in DONE_STATUSES) != (progress.status in DONE_STATUSES)
    return WriteResult(progress, credit_changed, new_awards, credit)


def set_resource_note(*, learner, resource, note):
    with transaction.atomic():
        lock_learner(learner)
        progress, _ = ResourceProgress.objects.update_or_create(
            learner=learner, resource=resource, defaults={"note": note}
        )
    return WriteResult(progress)


def submit_evidence(*, learner, milestone, url, description, now=None):
    """Create or replace a learner's evidence for a milestone; it counts at once (self-attested).

    Editing evidence sends it back to the self-attested state for curators to review again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock_learner(learner)
        # The learner's lock keeps one row per learner and milestone, so no get_or_create.
        evidence = Evidence.objects.filter(learner=learner, milestone=milestone).first()
        evidence = evidence or Evidence(learner=learner, milestone=milestone)
        evidence.url, evidence.description, evidence.submitted_at = url, description, now
        evidence.state, evidence.curator_note = Evidence.State.SUBMITTED, ""
        evidence.reviewed_at = evidence.reviewed_by = None
        evidence.save()
        credit = degree_credit(learner)
        new_awards = record_new_awards(
            learner=learner, now=now, credit=credit, curriculum_ids=(milestone.curriculum_id,)
        )
    return WriteResult(evidence, credit_changed=True, new_awards=new_awards, credit=credit)


def withdraw_evidence(*, learner, milestone):
    """Remove a learner's evidence. Progress drops; an award already recorded stays."""
    with transaction.atomic():
        lock_learner(learner)
        deleted, _ = Evidence.objects.filter(learner=learner, milestone=milestone).delete()
    return bool(deleted)


def review_evidence(*, evidence_ids, state, reviewer, note="", now=None):
    """A curator marks evidence verified or rejected, with a note the learner sees; each review
    records who made it and when (the admin's bulk actions and its change form alike)."""
    now = now or timezone.now()
    evidence = Evidence.objects.filter(pk__in=evidence_ids)
    learner_ids = set(evidence.values_list("learner_id", flat=True))
    reviewed = evidence.update(
        state=state, curator_note=note, reviewed_at=now, reviewed_by=reviewer
    )
    bump_learners(learner_ids)  # an update sends no signals
    return reviewed

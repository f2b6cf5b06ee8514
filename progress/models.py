"""What a learner did and earned: a status per resource, an activity log, and degree awards."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mlmath.invalidation import bump_learner, bump_learners, bump_status_lists

NOTE_MAX_LENGTH = 1000
EVIDENCE_DESCRIPTION_MAX_LENGTH = 500


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    KNOWN = "known", "Already known"


# The statuses that count toward degrees and progress: a resource done here, or one the learner
# says they already know (self-attested, like milestone evidence).
DONE_STATUSES = (Status.COMPLETED, Status.KNOWN)

# Statuses as older pages and export files name them: "already known" was once stored as
# "skipped" (and counted for nothing); migration 0008 renamed the rows.
FORMER_STATUS_NAMES = {"skipped": Status.KNOWN}


def status_named(value):
    """The Status a form or a file names, former names included; None for anything else."""
    if not isinstance(value, str):
        return None
    value = FORMER_STATUS_NAMES.get(value, value)
    return Status(value) if value in Status.values else None


class LearnerRowsQuerySet(models.QuerySet):
    """Rows that belong to one learner: progress, activity, awards and evidence."""

    def for_learner(self, learner):
        return self.filter(learner=learner)


def learner_key(related_name):
    """The learner a row belongs to; deleting the account deletes the row with it.

    No index of its own: each learner table has a unique constraint or an index that starts
    with the learner, which finds their rows as well, and every index is one more write for
    each mark (tests/progress/test_learner_indexes.py)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        db_index=False,
    )


def is_done(status, resource_is_published):
    """Whether a row with these values counts: `ResourceProgressQuerySet.done()`, for rows a
    page has loaded already."""
    return status in DONE_STATUSES and resource_is_published


class ResourceProgressQuerySet(LearnerRowsQuerySet):
    def done(self):
        """The rows that count toward degrees and progress: completed or already known, of a
        resource that is still published (`is_done` for one row). Everything that counts a
        learner's resources asks this (`progress.degrees.degree_credit`, the pages' bars, the
        study plan, badges)."""
        return self.filter(status__in=DONE_STATUSES, resource__is_published=True)

    def known(self):
        """Resources the learner says they already know (counted, like evidence, at once)."""
        return self.filter(status=Status.KNOWN)


class ResourceProgress(models.Model):
    learner = learner_key("resource_progress")
    resource = models.ForeignKey(
        "catalog.Resource",
        on_delete=models.PROTECT,
        related_name="learner_progress",
        help_text="Protected: unpublish a resource rather than delete learners' progress.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    note = models.TextField(
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text=f"Only you can see it. Up to {NOTE_MAX_LENGTH} characters.",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceProgressQuerySet.as_manager()

    class Meta:
        verbose_name = "resource progress"
        verbose_name_plural = "resource progress"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "resource"], name="one_progress_per_learner_and_resource"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="progress_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=Status.COMPLETED, completed_at__isnull=False)
                    | (~Q(status=Status.COMPLETED) & Q(completed_at__isnull=True))
                ),
                name="progress_completed_at_iff_completed",
            ),
        ]
        # No index on the status: a learner's rows are found by the unique constraint, and a
        # status change that touches no indexed column is a heap-only update on PostgreSQL.

    def __str__(self):
        return f"{self.learner} · {self.resource}: {self.get_status_display()}"

    def apply_status(self, status, now):
        """Move to `status`; return whether anything changed. Completion time is kept on repeats."""
        if status == self.status:
            return False
        self.status = status
        if status == Status.COMPLETED:
            self.completed_at = now
        else:
            self.completed_at = None
        if status in (Status.IN_PROGRESS, Status.COMPLETED) and self.started_at is None:
            self.started_at = now
        if status == Status.NOT_STARTED:
            self.started_at = None
        return True


class KnownResourceManager(models.Manager.from_queryset(ResourceProgressQuerySet)):
    def get_queryset(self):
        return super().get_queryset().known()


class KnownResource(ResourceProgress):
    """A resource a learner says they already know, as curators review it: the same rows as
    ResourceProgress (a proxy), only the known ones, without the learner's private note."""

    objects = KnownResourceManager()

    class Meta:
        proxy = True
        verbose_name = "already known resource"
        ordering = ["-updated_at"]


class Activity(models.Model):
    """One status change, kept so that streaks and an activity heatmap can be drawn later."""

    learner = learner_key("activities")
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="activities"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(db_index=True)

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["learner", "-created_at"], name="activity_learner_recent")]

    def __str__(self):
        return f"{self.learner} · {self.resource}: {self.get_status_display()}"


# All that the public learns of any revocation, on the badge's page and in its documents: the
# curator's reason stays in the admin (it may be personal, like an account deleted, or internal).
PUBLIC_REVOCATION_REASON = "Revoked by the issuer."


def new_recipient_salt():
    """A random salt for hashing an award's recipient email (Open Badges `recipient.salt`)."""
    return secrets.token_hex(16)


class DegreeAwardQuerySet(LearnerRowsQuerySet):
    def valid(self):
        """Awards that still count: a revoked award never does."""
        return self.filter(revoked_at__isnull=True)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def shared(self):
        """Awards their learner made public (revoked ones included: their page says so)."""
        return self.filter(is_shared=True)

    def ever_shared(self):
        """Awards public now or at any time before: their documents may be held outside."""
        return self.filter(first_shared_at__isnull=False)

    def revoke(self, *, reason, now=None):
        """Revoke every award here not revoked yet, with a reason; return how many were.

        An award already revoked keeps its first date and reason.
        """
        reason = clean_revocation_reason(reason)
        awards = self.valid()
        learner_ids = set(awards.values_list("learner_id", flat=True))
        revoked = awards.update(revoked_at=now or timezone.now(), revocation_reason=reason)
        # An update sends no signals. The status lists' bits are read from revoked_at, so they
        # are set in this very statement; only their cached renders must go.
        bump_learners(learner_ids, awards=True)
        if revoked:
            bump_status_lists()
        return revoked


def clean_revocation_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A revocation needs a reason.")
    return reason


class DegreeAward(models.Model):
    """The first time a learner met a degree. It stays even if the degree is tightened later.

    Only a revocation ends it; a revoked award is kept (verifiers must learn it is revoked)
    and never re-used: earning the degree again records a new award with a new public id.
    """

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Stable id for sharing."
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="degree_awards",
        help_text="Empty once the learner deleted their account (the revoked award stays).",
    )
    degree = models.ForeignKey("catalog.Degree", on_delete=models.PROTECT, related_name="awards")
    awarded_at = models.DateTimeField(help_text="When the learner first met the degree.")
    is_shared = models.BooleanField(
        "shared",
        default=False,
        help_text="Whether the learner made the badge public; while private it answers 404.",
    )
    first_shared_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "When the learner first made the badge public; empty if it never was. From then on "
            "its documents may be held outside the site, so its revocation is published."
        ),
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the award was revoked; empty while it is valid."
    )
    revocation_reason = models.TextField(
        blank=True,
        help_text=(
            "Why it was revoked, for curators only: the badge's page and documents say just "
            "that the issuer revoked it."
        ),
    )
    recipient_salt = models.CharField(
        max_length=64,
        default=new_recipient_salt,
        editable=False,
        help_text="Random salt for the hashed recipient email in the badge documents.",
    )

    objects = DegreeAwardQuerySet.as_manager()

    class Meta:
        verbose_name = "degree award"
        ordering = ["degree__rank", "awarded_at"]
        permissions = [("revoke_degreeaward", "Can revoke degree awards")]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "degree"],
                condition=Q(revoked_at__isnull=True),
                name="one_valid_award_per_degree",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="award_revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(is_shared=False) | Q(first_shared_at__isnull=False),
                name="shared_award_records_first_sharing",
            ),
        ]

    def __str__(self):
        return f"{self.learner_label} · {self.degree}"

    def save(self, *args, **kwargs):
        # Sharing once is for good: the badge's documents may be held outside from then on.
        if self.is_shared and self.first_shared_at is None:
            self.first_shared_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_shared_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("progress:dashboard") + f"#degree-{self.degree.slug}"

    @property
    def learner_label(self):
        """Whose award it is, for curators (the public reads `badges.awards.learner_name`)."""
        return str(self.learner) if self.learner else "(deleted account)"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_valid(self):
        return self.revoked_at is None

    def set_shared(self, shared):
        """Make the badge public (its page and documents answer) or private again (404).

        The first time it is made public is kept for good (`first_shared_at`).
        """
        self.is_shared = shared
        self.save(update_fields=["is_shared"])
        return self

    def revoke(self, *, reason, now=None):
        """Revoke this award with a reason. Revoking twice keeps the first date and reason."""
        reason = clean_revocation_reason(reason)
        if self.is_revoked:
            return False
        self.revoked_at = now or timezone.now()
        self.revocation_reason = reason
        DegreeAward.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=self.revoked_at, revocation_reason=reason
        )
        bump_learner(self.learner_id, awards=True)  # an update sends no signals
        bump_status_lists()  # its bit is read from revoked_at: set with it
        return True


class EvidenceState(models.TextChoices):
    SUBMITTED = "submitted", "Self-attested"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


def is_accepted(state):
    """Whether evidence in this state counts toward degrees: self-attested or verified, not
    rejected."""
    return state != EvidenceState.REJECTED


class Evidence(models.Model):
    """A learner's proof of a milestone. It counts at once, unless a curator rejects it."""

    State = EvidenceState

    learner = learner_key("evidence")
    milestone = models.ForeignKey(
        "catalog.Milestone", on_delete=models.PROTECT, related_name="evidence"
    )
    url = models.URLField(
        "link",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="An http(s) link to what you made.",
    )
    description = models.CharField(
        max_length=EVIDENCE_DESCRIPTION_MAX_LENGTH,
        help_text=(
            f"A sentence or two, up to {EVIDENCE_DESCRIPTION_MAX_LENGTH} characters. "
            "Only you and the curators see it."
        ),
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    curator_note = models.TextField(
        blank=True, help_text="Shown to the learner, for instance why the evidence was rejected."
    )
    submitted_at = models.DateTimeField(help_text="When the learner last submitted or edited it.")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_evidence",
    )

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "milestone"], name="one_evidence_per_learner_and_milestone"
            ),
            models.CheckConstraint(
                condition=Q(state__in=EvidenceState.values),
                name="evidence_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["state", "-submitted_at"], name="evidence_review_queue")]

    def __str__(self):
        return f"{self.learner} · {self.milestone}: {self.get_state_display()}"


class FollowingQuerySet(LearnerRowsQuerySet):
    def curriculum_ids(self):
        return self.values_list("curriculum_id", flat=True)


class Following(models.Model):
    """A curriculum a learner follows: it gets a section of their dashboard. The default
    curriculum needs no row: it is on everyone's dashboard (`followed_curricula`)."""

    learner = learner_key("followings")
    curriculum = models.ForeignKey(
        "catalog.Curriculum",
        on_delete=models.CASCADE,
        related_name="followings",
        help_text="The curriculum the learner studies.",
    )
    followed_at = models.DateTimeField(default=timezone.now)

    objects = FollowingQuerySet.as_manager()

    class Meta:
        ordering = ["curriculum__position", "curriculum__title"]
        verbose_name = "following"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "curriculum"],
                name="following_once_per_curriculum",
                violation_error_message="The learner follows this curriculum already.",
            ),
        ]

    def __str__(self):
        return f"{self.learner} follows {self.curriculum}"

    def get_absolute_url(self):
        return self.curriculum.get_absolute_url()

"""What a learner did and earned: a status per resource, an activity log, and degree awards."""

import uuid

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

NOTE_MAX_LENGTH = 1000
EVIDENCE_DESCRIPTION_MAX_LENGTH = 500


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    SKIPPED = "skipped", "Skipped (already known)"


class ResourceProgressQuerySet(models.QuerySet):
    def for_learner(self, learner):
        return self.filter(learner=learner)

    def completed(self):
        """Completions that count: the resource must still be published."""
        return self.filter(status=Status.COMPLETED, resource__is_published=True)


class ResourceProgress(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_progress"
    )
    resource = models.ForeignKey(
        "catalog.Resource",
        on_delete=models.PROTECT,
        related_name="learner_progress",
        help_text="Protected: unpublish a resource rather than delete learners' progress.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    note = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, help_text="The learner's private note."
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
        indexes = [models.Index(fields=["learner", "status"], name="progress_learner_status")]

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


class ActivityQuerySet(models.QuerySet):
    def for_learner(self, learner):
        return self.filter(learner=learner)


class Activity(models.Model):
    """One status change, kept so that streaks and an activity heatmap can be drawn later."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="activities"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["learner", "-created_at"], name="activity_learner_recent")]

    def __str__(self):
        return f"{self.learner} · {self.resource}: {self.get_status_display()}"


class DegreeAwardQuerySet(models.QuerySet):
    def for_learner(self, learner):
        return self.filter(learner=learner)

    def highest(self):
        return self.select_related("degree").order_by("-degree__rank").first()


class DegreeAward(models.Model):
    """The first time a learner met a degree. It stays even if the degree is tightened later."""

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Stable id for sharing."
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="degree_awards"
    )
    degree = models.ForeignKey("catalog.Degree", on_delete=models.PROTECT, related_name="awards")
    awarded_at = models.DateTimeField(help_text="When the learner first met the degree.")

    objects = DegreeAwardQuerySet.as_manager()

    class Meta:
        ordering = ["degree__rank"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "degree"], name="one_award_per_degree")
        ]

    def __str__(self):
        return f"{self.learner} · {self.degree}"

    def get_absolute_url(self):
        return reverse("progress:dashboard") + f"#degree-{self.degree.slug}"


class EvidenceQuerySet(models.QuerySet):
    def for_learner(self, learner):
        return self.filter(learner=learner)

    def accepted(self):
        """Evidence that counts toward degrees: self-attested or verified, not rejected."""
        return self.exclude(state=Evidence.State.REJECTED)


class Evidence(models.Model):
    """A learner's proof of a milestone. It counts at once, unless a curator rejects it."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Self-attested"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence"
    )
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
        max_length=EVIDENCE_DESCRIPTION_MAX_LENGTH, help_text="What it shows, in a sentence or two."
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

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "milestone"], name="one_evidence_per_learner_and_milestone"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "verified", "rejected"]),
                name="evidence_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["state", "-submitted_at"], name="evidence_review_queue")]

    def __str__(self):
        return f"{self.learner} · {self.milestone}: {self.get_state_display()}"

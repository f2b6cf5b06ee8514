"""What learners did and earned, in the admin: their progress and activity, their degree awards,
the evidence reviewers verify or reject (the bulk actions go through progress/services.py), and
the resources learners say they already know."""

from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import ngettext

from catalog.curators import CurriculumScopedAdmin
from catalog.models import Listing
from progress import services
from progress.models import (
    PUBLIC_REVOCATION_REASON,
    Activity,
    DegreeAward,
    Evidence,
    KnownResource,
    ResourceProgress,
)


@admin.register(ResourceProgress)
class ResourceProgressAdmin(CurriculumScopedAdmin, admin.ModelAdmin):
    curriculum_path = "resource__listings__topic__curriculum"
    list_display = ["learner", "resource", "status", "completed_at", "updated_at"]
    list_filter = ["status", ("resource__listings__topic", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["learner", "resource"]
    search_fields = ["learner__username", "learner__email", "resource__title"]
    raw_id_fields = ["learner", "resource"]
    date_hierarchy = "updated_at"


@admin.register(KnownResource)
class KnownResourceAdmin(CurriculumScopedAdmin, admin.ModelAdmin):
    """What learners say they already know: it counts toward degrees at once (self-attested,
    like evidence). Curators read it here; a degree resting on claims they doubt can be revoked,
    with a reason, from the learner's awards (linked on each row). A curator sees the
    resources listed in their curricula."""

    curriculum_path = "resource__listings__topic__curriculum"

    list_display = ["learner", "resource", "topic", "updated_at", "known_by_learner", "awards"]
    list_filter = [("resource__listings__topic", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["learner", "resource"]
    search_fields = ["learner__username", "learner__email", "resource__title"]
    date_hierarchy = "updated_at"
    fields = ["learner", "resource", "started_at", "updated_at"]  # never the private note
    readonly_fields = fields

    def get_queryset(self, request):
        known_by_learner = (
            KnownResource.objects.filter(learner=OuterRef("learner"))
            .order_by()
            .values("learner")
            .annotate(count=Count("pk"))
            .values("count")
        )
        main_listing = Listing.objects.filter(resource=OuterRef("resource")).main_first()
        return (
            super()
            .get_queryset(request)
            .annotate(
                known_by_learner=Subquery(known_by_learner),
                topic_position=Subquery(main_listing.values("topic__position")[:1]),
            )
            .prefetch_related(
                Prefetch(
                    "resource__listings",
                    queryset=Listing.objects.main_first().select_related("topic"),
                )
            )
        )

    def has_add_permission(self, request):
        return False  # learners mark what they know; curators only review it (view permission)

    @admin.display(description="topic", ordering="topic_position")
    def topic(self, known):
        """Where the resource is listed in the default curriculum (else the first curriculum)."""
        listing = known.resource.main_listing
        return listing.topic if listing else "—"

    @admin.display(description="known by this learner", ordering="known_by_learner")
    def known_by_learner(self, known):
        return known.known_by_learner

    @admin.display(description="awards")
    def awards(self, known):
        url = reverse("admin:progress_degreeaward_changelist")
        return format_html(
            '<a href="{}?{}">{}’s awards</a>',
            url,
            urlencode({"q": known.learner.get_username()}),
            known.learner.get_username(),
        )


class ReasonForm(forms.Form):
    """The reason a bulk action asks for; its label and help text are the action's."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args, label, help_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


def asks_for_reason(*, verb, consequences, reason_label, reason_help_text, submit_label, line):
    """An admin action that needs a reason: the action runs as `action(admin, request, queryset,
    reason)` once a reason is given; until then its confirmation (admin/action_with_reason.html)
    says `consequences`, lists each row as `line(row)` reads it and asks for the reason."""

    def decorate(action):
        @wraps(action)
        def confirmed_action(model_admin, request, queryset):
            form = ReasonForm(
                request.POST if "apply" in request.POST else None,
                label=reason_label,
                help_text=reason_help_text,
            )
            if form.is_valid():
                return action(model_admin, request, queryset, form.cleaned_data["reason"])
            opts = model_admin.model._meta
            context = {
                **model_admin.admin_site.each_context(request),
                "title": f"{verb} {opts.verbose_name_plural}",
                "step": verb,
                "consequences": consequences,
                "submit_label": submit_label,
                "action": action.__name__,
                "opts": opts,
                "rows": [(row, line(row)) for row in queryset],
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/action_with_reason.html", context)

        return confirmed_action

    return decorate


def award_line(award):
    earned = date_format(timezone.localtime(award.awarded_at), "j M Y")
    line = f"{award.degree} · {award.learner_label}, earned {earned}"
    if award.is_revoked:
        line += f" (already revoked: {award.revocation_reason})"
    return line


class RevokedFilter(admin.SimpleListFilter):
    title = "revocation"
    parameter_name = "revoked"

    def lookups(self, request, model_admin):
        return [("no", "Valid"), ("yes", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.revoked()
        if self.value() == "no":
            return queryset.valid()
        return queryset


@admin.register(DegreeAward)
class DegreeAwardAdmin(CurriculumScopedAdmin, admin.ModelAdmin):
    """Awards are recorded by the rules; curators may only revoke them, with a reason, and only
    those of their curricula's degrees."""

    curriculum_path = "degree__curriculum"

    list_display = ["learner", "degree", "awarded_at", "is_shared", "revoked_at", "public_id"]
    list_filter = [RevokedFilter, ("degree", admin.RelatedOnlyFieldListFilter), "is_shared"]
    list_select_related = ["learner", "degree"]
    search_fields = ["learner__username", "learner__email", "=public_id"]
    raw_id_fields = ["learner"]
    readonly_fields = ["public_id", "revoked_at", "revocation_reason", "recipient_salt"]
    date_hierarchy = "awarded_at"
    actions = ["revoke"]

    def has_revoke_permission(self, request):
        return request.user.has_perm("progress.revoke_degreeaward")

    # Curators hold only the revoke permission: they must still see the list to act on it.
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_revoke_permission(request)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self.has_revoke_permission(request)

    @admin.action(description="Revoke selected awards, with a reason…", permissions=["revoke"])
    @asks_for_reason(
        verb="Revoke",
        consequences=(
            "Revoke these awards? Revocation is permanent: each badge's page will say "
            f"“{PUBLIC_REVOCATION_REASON}”, and its Open Badges documents will stop verifying. "
            "If the learner earns the degree again, they get a new award."
        ),
        reason_label="Reason",
        reason_help_text=(
            "For the curators' records, kept here: badges never show it, they say only "
            f"“{PUBLIC_REVOCATION_REASON}”"
        ),
        submit_label="Revoke with this reason",
        line=award_line,
    )
    def revoke(self, request, queryset, reason):
        count = queryset.revoke(reason=reason)
        already = queryset.count() - count
        message = ngettext("Revoked %(count)d award.", "Revoked %(count)d awards.", count) % {
            "count": count
        }
        if already:
            message += " " + ngettext(
                "%(count)d award already revoked keeps its first reason.",
                "%(count)d awards already revoked keep their first reason.",
                already,
            ) % {"count": already}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Activity)
class ActivityAdmin(CurriculumScopedAdmin, admin.ModelAdmin):
    curriculum_path = "resource__listings__topic__curriculum"
    list_display = ["learner", "resource", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["learner", "resource"]
    raw_id_fields = ["learner", "resource"]


def evidence_link(evidence):
    return format_html(
        '<a href="{}" target="_blank" rel="noopener noreferrer nofollow">{}</a>',
        evidence.url,
        evidence.url,
    )


def evidence_line(evidence):
    return format_html("{} · {}: {}", evidence.milestone, evidence.learner, evidence_link(evidence))


@admin.register(Evidence)
class EvidenceAdmin(CurriculumScopedAdmin, admin.ModelAdmin):
    """The curators' review queue: newest submissions first, filtered by state and milestone;
    a curator reviews the evidence for their curricula's milestones."""

    curriculum_path = "milestone__curriculum"

    list_display = ["milestone", "learner", "state", "link", "submitted_at", "reviewed_at"]
    list_filter = ["state", ("milestone", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["milestone", "learner"]
    search_fields = ["learner__username", "learner__email", "url", "description"]
    date_hierarchy = "submitted_at"
    fields = [
        "learner",
        "milestone",
        "url",
        "description",
        "submitted_at",
        "state",
        "curator_note",
        "reviewed_at",
        "reviewed_by",
    ]
    readonly_fields = [
        "learner",
        "milestone",
        "url",
        "description",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
    ]
    actions = ["mark_verified", "mark_rejected"]

    def has_add_permission(self, request):
        return False  # learners submit evidence; curators only review it

    @admin.display(description="evidence")
    def link(self, evidence):
        return evidence_link(evidence)

    def save_model(self, request, obj, form, change):
        if {"state", "curator_note"}.isdisjoint(form.changed_data):
            super().save_model(request, obj, form, change)
            return
        # A review edited here is recorded (and stamped) as the bulk actions record it.
        services.review_evidence(
            evidence_ids=[obj.pk], state=obj.state, reviewer=request.user, note=obj.curator_note
        )

    @admin.action(description="Mark selected evidence verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        count = services.review_evidence(
            evidence_ids=list(queryset.values_list("pk", flat=True)),
            state=Evidence.State.VERIFIED,
            reviewer=request.user,
        )
        message = ngettext(
            "Verified %(count)d piece of evidence.", "Verified %(count)d pieces of evidence.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Reject selected evidence, with a note…", permissions=["change"])
    @asks_for_reason(
        verb="Reject",
        consequences=(
            "Reject this evidence? It will stop counting toward the learners' degrees (degrees "
            "already awarded stay, marked as resting on rejected evidence), and each learner "
            "sees your note."
        ),
        reason_label="Note to the learner",
        reason_help_text="Why the evidence does not show the milestone, and what would.",
        submit_label="Reject with this note",
        line=evidence_line,
    )
    def mark_rejected(self, request, queryset, note):
        count = services.review_evidence(
            evidence_ids=list(queryset.values_list("pk", flat=True)),
            state=Evidence.State.REJECTED,
            reviewer=request.user,
            note=note,
        )
        message = ngettext(
            "Rejected %(count)d piece of evidence.", "Rejected %(count)d pieces of evidence.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

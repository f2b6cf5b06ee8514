"""What learners did and earned, in the admin: their progress and activity, their degree awards,
and the evidence reviewers verify or reject (the bulk actions go through progress/services.py)."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from progress import services
from progress.models import Activity, DegreeAward, Evidence, ResourceProgress


@admin.register(ResourceProgress)
class ResourceProgressAdmin(admin.ModelAdmin):
    list_display = ["learner", "resource", "status", "completed_at", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["learner", "resource"]
    search_fields = ["learner__username", "learner__email", "resource__title"]
    raw_id_fields = ["learner", "resource"]
    date_hierarchy = "updated_at"


@dataclass(frozen=True)
class ReasonConfirmation:
    """A bulk action that needs a reason: its confirmation page (admin/action_with_reason.html)
    lists the rows, says what the action does and asks for the reason, then posts the action
    again with apply=1."""

    action: str  # the action's name, posted again with the reason
    title: str
    step: str  # the last breadcrumb
    consequences: str
    submit_label: str
    form_class: type[forms.Form]

    def form(self, request):
        """The reason's form, bound once the curator confirmed."""
        return self.form_class(request.POST if "apply" in request.POST else None)

    def ask(self, model_admin, request, form, rows):
        """The confirmation page for `rows` (pairs of a row and how it reads), with `form`."""
        context = {
            **model_admin.admin_site.each_context(request),
            "title": self.title,
            "step": self.step,
            "consequences": self.consequences,
            "submit_label": self.submit_label,
            "action": self.action,
            "opts": model_admin.model._meta,
            "rows": rows,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/action_with_reason.html", context)


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Shown on the badge's page and in its documents, to anyone who checks it.",
    )


REVOCATION = ReasonConfirmation(
    action="revoke",
    title="Revoke awards",
    step="Revoke",
    consequences=(
        'Revoke these awards? Revocation is permanent: each badge\'s page will say "revoked" '
        "with your reason, and its Open Badges documents will stop verifying. If the learner "
        "earns the degree again, they get a new award."
    ),
    submit_label="Revoke with this reason",
    form_class=RevocationForm,
)


def award_line(award):
    earned = date_format(timezone.localtime(award.awarded_at), "j M Y")
    line = f"{award.degree} · {award.learner or '(deleted account)'}, earned {earned}"
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
class DegreeAwardAdmin(admin.ModelAdmin):
    """Awards are recorded by the rules; curators may only revoke them, with a reason."""

    list_display = ["learner", "degree", "awarded_at", "is_shared", "revoked_at", "public_id"]
    list_filter = [RevokedFilter, "degree", "is_shared"]
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
    def revoke(self, request, queryset):
        form = REVOCATION.form(request)
        if not form.is_valid():
            awards = queryset.select_related("learner", "degree")
            return REVOCATION.ask(self, request, form, [(a, award_line(a)) for a in awards])
        count = queryset.revoke(reason=form.cleaned_data["reason"])
        already = queryset.count() - count
        message = f"Revoked {count} award(s)."
        if already:
            message += f" {already} already revoked award(s) keep their first reason."
        self.message_user(request, message, messages.SUCCESS)
        return None


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["learner", "resource", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["learner", "resource"]
    raw_id_fields = ["learner", "resource"]


class RejectionForm(forms.Form):
    note = forms.CharField(
        label="Note to the learner",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Why the evidence does not show the milestone, and what would.",
    )


REJECTION = ReasonConfirmation(
    action="mark_rejected",
    title="Reject evidence",
    step="Reject",
    consequences=(
        "Reject this evidence? It will stop counting toward the learners' degrees (degrees "
        "already awarded stay, marked as resting on rejected evidence), and each learner sees "
        "your note."
    ),
    submit_label="Reject with this note",
    form_class=RejectionForm,
)


def evidence_link(evidence):
    return format_html(
        '<a href="{}" target="_blank" rel="noopener noreferrer nofollow">{}</a>',
        evidence.url,
        evidence.url,
    )


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """The curators' review queue: newest submissions first, filtered by state and milestone."""

    list_display = ["milestone", "learner", "state", "link", "submitted_at", "reviewed_at"]
    list_filter = ["state", "milestone"]
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
        if "state" in form.changed_data or "curator_note" in form.changed_data:
            obj.reviewed_at = timezone.now()
            obj.reviewed_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected evidence verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        count = services.review_evidence(
            evidence_ids=list(queryset.values_list("pk", flat=True)),
            state=Evidence.State.VERIFIED,
            reviewer=request.user,
        )
        self.message_user(request, f"Verified {count} piece(s) of evidence.", messages.SUCCESS)

    @admin.action(description="Reject selected evidence, with a note…", permissions=["change"])
    def mark_rejected(self, request, queryset):
        form = REJECTION.form(request)
        if not form.is_valid():
            rows = [
                (e, format_html("{} · {}: {}", e.milestone, e.learner, evidence_link(e)))
                for e in queryset.select_related("milestone", "learner")
            ]
            return REJECTION.ask(self, request, form, rows)
        count = services.review_evidence(
            evidence_ids=list(queryset.values_list("pk", flat=True)),
            state=Evidence.State.REJECTED,
            reviewer=request.user,
            note=form.cleaned_data["note"],
        )
        self.message_user(request, f"Rejected {count} piece(s) of evidence.", messages.SUCCESS)
        return None

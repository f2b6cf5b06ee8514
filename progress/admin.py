"""What learners did and earned, in the admin: their progress and activity, their degree awards,
and the evidence reviewers verify or reject (the bulk actions go through progress/services.py)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
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


@admin.register(DegreeAward)
class DegreeAwardAdmin(admin.ModelAdmin):
    list_display = ["learner", "degree", "awarded_at", "public_id"]
    list_filter = ["degree"]
    list_select_related = ["learner", "degree"]
    search_fields = ["learner__username", "learner__email"]
    raw_id_fields = ["learner"]
    readonly_fields = ["public_id"]


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
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer nofollow">{}</a>',
            evidence.url,
            evidence.url,
        )

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
        form = RejectionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = services.review_evidence(
                evidence_ids=list(queryset.values_list("pk", flat=True)),
                state=Evidence.State.REJECTED,
                reviewer=request.user,
                note=form.cleaned_data["note"],
            )
            self.message_user(request, f"Rejected {count} piece(s) of evidence.", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/progress/evidence/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject evidence",
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

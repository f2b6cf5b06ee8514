from django.contrib import admin, messages
from django.db import models
from django.db.models import Count

from catalog.forms import TopicAdminForm
from catalog.models import Degree, Milestone, Requirement, Resource, Topic

# A URL typed without a scheme is taken as https (Django 6's default; 5.2 warns without it).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ["position", "title", "slug", "url", "provider", "kind", "level", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    extra = 0
    show_change_link = True


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ["title", "position", "published_resources", "slug"]
    list_editable = ["position"]
    search_fields = ["title", "summary", "guidance"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["prerequisites"]
    ordering = ["position", "title"]
    inlines = [ResourceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_published_counts().order_by("position", "title")

    @admin.display(description="published resources", ordering="published_resource_count")
    def published_resources(self, topic):
        return topic.published_resource_count


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "provider", "kind", "level", "is_published", "link_status"]
    list_filter = ["is_published", "topic", "kind", "level", "link_is_broken"]
    list_select_related = ["topic"]
    search_fields = ["title", "provider", "note", "url"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["topic__position", "position", "title"]
    autocomplete_fields = ["topic"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    actions = ["publish", "unpublish"]
    readonly_fields = [
        "link_checked_at",
        "link_status_code",
        "link_is_broken",
        "link_redirect_url",
        "link_error",
    ]

    @admin.display(description="link status")
    def link_status(self, resource):
        if resource.link_checked_at is None:
            return "not checked"
        if resource.link_is_broken:
            return f"broken ({resource.link_status_code or resource.link_error})"
        if resource.link_redirect_url:
            return f"moved to {resource.link_redirect_url}"
        return f"ok ({resource.link_status_code})"

    @admin.action(description="Publish selected resources")
    def publish(self, request, queryset):
        count = queryset.update(is_published=True)
        self.message_user(request, f"Published {count} resource(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected resources")
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        self.message_user(request, f"Unpublished {count} resource(s).", messages.SUCCESS)


class RequirementInline(admin.TabularInline):
    model = Requirement
    fields = ["position", "slug", "resource", "topic", "min_count", "milestone", "source_quote"]
    autocomplete_fields = ["resource", "topic", "milestone"]
    extra = 0


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "degrees", "slug"]
    list_editable = ["position"]
    search_fields = ["title", "description", "evidence_hint"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["position", "title"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("requirements__degree")

    @admin.display(description="required by")
    def degrees(self, milestone):
        return ", ".join(sorted({r.degree.title for r in milestone.requirements.all()})) or "—"


@admin.register(Degree)
class DegreeAdmin(admin.ModelAdmin):
    list_display = ["title", "rank", "requirement_count", "slug"]
    ordering = ["rank"]
    search_fields = ["title", "summary", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RequirementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(requirement_count=Count("requirements"))

    @admin.display(description="requirements", ordering="requirement_count")
    def requirement_count(self, degree):
        return degree.requirement_count

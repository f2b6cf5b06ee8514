"""The catalog in the admin, for curators: topics, resources, milestones, degrees and search
synonyms, plus the curator tools (each resource's link status, filter and "Check links now"
action, and the awesome-list upload). The rules live in catalog/links.py and catalog/awesome/;
this module only shows them."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import ngettext

from catalog.awesome import import_awesome_list
from catalog.curators import CurriculumScopedAdmin, curricula_of
from catalog.forms import AwesomeListImportForm, TopicAdminForm
from catalog.links import (
    DEFAULT_CONCURRENCY,
    LINK_OUTCOMES,
    NOT_CHECKED,
    check_resources,
    recorded_link_check,
    summarize,
)
from catalog.models import (
    Curriculum,
    Degree,
    Listing,
    Milestone,
    Requirement,
    Resource,
    SearchSynonym,
    Topic,
    default_curriculum,
    main_listing_order,
    topic_shown_to_learners,
)
from mlmath.invalidation import bump_catalog_version

# A URL typed without a scheme is taken as https (Django 6's default; 5.2 warns without it).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class TopicListingInline(CurriculumScopedAdmin, admin.TabularInline):
    """A topic's resources, to order, list and unlist: what a row needs and no more, so the
    topic's page fits a 1,280-pixel window. A resource itself is edited (and a new one added) on
    its own page."""

    model = Listing
    curriculum_path = "topic__curriculum"
    fields = ["position", "resource", "published"]
    readonly_fields = ["published"]
    autocomplete_fields = ["resource"]
    ordering = ["position", "resource__title"]
    verbose_name = "resource"
    verbose_name_plural = "resources"
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resource")

    @admin.display(description="published", boolean=True)
    def published(self, listing):
        return listing.resource.is_published if listing.resource_id else None


class ResourceListingInline(CurriculumScopedAdmin, admin.TabularInline):
    """Where a resource is listed: a topic and a position, at most one per curriculum (a
    curator sees and edits only the listings in their curricula)."""

    model = Listing
    curriculum_path = "topic__curriculum"
    fields = ["topic", "position"]
    autocomplete_fields = ["topic"]
    verbose_name = "place in a curriculum"
    verbose_name_plural = "listed in"
    extra = 0


# Importing creates and changes both topics and resources.
IMPORT_PERMISSIONS = [
    "catalog.add_topic",
    "catalog.change_topic",
    "catalog.add_resource",
    "catalog.change_resource",
    "catalog.add_listing",
    "catalog.change_listing",
]


class CatalogAdmin(admin.ModelAdmin):
    """A catalog model's admin: its slug is made from its title as the curator types it; the list
    is in the model's own order unless the admin says otherwise."""

    prepopulated_fields = {"slug": ["title"]}

    class Media:
        css = {"all": ["css/catalog-admin.css"]}


class CurriculumRowAdmin(CurriculumScopedAdmin, CatalogAdmin):
    """The admin of a curriculum's rows (topics, degrees, milestones), each curator's own: a new
    one goes in the default curriculum (else the curator's first) unless the curator picks
    another."""

    def get_changeform_initial_data(self, request):
        theirs = curricula_of(request.user)
        curriculum = default_curriculum()
        if curriculum is None or not theirs.filter(pk=curriculum.pk).exists():
            curriculum = theirs.first()
        initial = super().get_changeform_initial_data(request)
        return {"curriculum": curriculum.pk, **initial} if curriculum else initial


class LinksToImport:
    """A list (topics, resources) that links curators who may import to the awesome-list import."""

    change_list_template = "admin/catalog/change_list_with_import.html"

    def changelist_view(self, request, extra_context=None):
        may_import = request.user.has_perms(IMPORT_PERMISSIONS)
        return super().changelist_view(request, {**(extra_context or {}), "may_import": may_import})


def count_column(annotation, description):
    """A sortable list column showing a count the admin's get_queryset annotates."""

    @admin.display(description=description, ordering=annotation)
    def column(model_admin, obj):
        return getattr(obj, annotation)

    return column


@admin.register(Topic)
class TopicAdmin(LinksToImport, CurriculumRowAdmin):
    form = TopicAdminForm
    list_display = ["title", "position", "published_resources", "shown", "slug"]
    list_editable = ["position"]
    list_filter = ["is_reading"]
    search_fields = ["title", "summary", "guidance"]
    inlines = [TopicListingInline]

    def get_queryset(self, request):
        shown = ExpressionWrapper(topic_shown_to_learners(), output_field=BooleanField())
        return super().get_queryset(request).with_published_counts().annotate(is_shown=shown)

    published_resources = count_column("published_resource_count", "published resources")

    @admin.display(description="shown to learners", boolean=True, ordering="is_shown")
    def shown(self, topic):
        return topic.is_shown


LINK_OUTCOME_ICONS = {
    "broken": "admin/img/icon-no.svg",
    "moved": "admin/img/icon-alert.svg",
    "ok": "admin/img/icon-yes.svg",
}


class LinkStatusFilter(admin.SimpleListFilter):
    """Resources by what their link answered when last checked."""

    title = "link status"
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [(outcome, label) for outcome, (label, _) in LINK_OUTCOMES.items()]

    def queryset(self, request, queryset):
        if self.value() in LINK_OUTCOMES:
            return queryset.filter(LINK_OUTCOMES[self.value()][1])
        return queryset


@admin.register(Resource)
class ResourceAdmin(LinksToImport, CurriculumScopedAdmin, CatalogAdmin):
    """Resources, each curator's being those listed in their curricula (and those listed
    nowhere yet). A resource listed in two curricula is one work: either's curators edit it."""

    curriculum_path = "listings__topic__curriculum"
    # Kind and level are filters, not columns: with them the list did not fit 1,280 pixels.
    list_display = ["title", "listed_in", "provider", "is_published", "link_status"]
    list_filter = [
        "is_published",
        ("listings__topic", admin.RelatedOnlyFieldListFilter),  # the curator's topics
        "kind",
        "level",
        LinkStatusFilter,
    ]
    search_fields = ["title", "provider", "note", "people", "keywords", "url", "canonical_url"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    inlines = [ResourceListingInline]
    actions = ["publish", "unpublish", "check_links_now"]
    # "Check links now" runs in the request: a short timeout, and not too many at once.
    link_check_timeout = 10.0
    link_check_limit = 100
    readonly_fields = [
        "canonical_url",
        "link_checked_at",
        "link_status_code",
        "link_is_broken",
        "link_redirect_url",
        "link_error",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("listings", queryset=Listing.objects.main_first().select_related("topic"))
            )
        )

    def get_ordering(self, request):
        # In curriculum order: by where each resource is listed in the default curriculum.
        return main_listing_order()

    @admin.display(description="listed in")
    def listed_in(self, resource):
        return ", ".join(listing.topic.title for listing in resource.listings.all()) or "—"

    @admin.display(description="link status", ordering="link_is_broken")
    def link_status(self, resource):
        check = recorded_link_check(resource)
        if check is None:
            return format_html(
                '<img src="{}" alt=""> {}', static("admin/img/icon-unknown.svg"), NOT_CHECKED
            )
        state = check.describe()
        if check.outcome == "moved":
            # The words stay catalog/links.py's; only the new URL becomes a link.
            state = format_html(
                '{}<a href="{url}" target="_blank" rel="noopener noreferrer">{url}</a>',
                state.removesuffix(check.redirect_url),
                url=check.redirect_url,
            )
        checked = "Checked " + date_format(
            timezone.localtime(resource.link_checked_at), "DATETIME_FORMAT"
        )
        return format_html(
            '<img src="{}" alt=""> <span title="{}">{}</span>',
            static(LINK_OUTCOME_ICONS[check.outcome]),
            checked,
            state,
        )

    @admin.action(description="Check links now", permissions=["change"])
    def check_links_now(self, request, queryset):
        count = queryset.count()
        if count > self.link_check_limit:
            self.message_user(
                request,
                f"Select at most {self.link_check_limit} resources to check at once "
                f"({count} selected); `manage.py check_links` checks the whole catalog.",
                messages.ERROR,
            )
            return
        results = check_resources(
            queryset, timeout=self.link_check_timeout, concurrency=DEFAULT_CONCURRENCY
        )
        problems = [
            f"“{resource.title}”: {check.describe()}"
            for resource, check in results
            if check.outcome != "ok"
        ]
        message = summarize(check for _, check in results)
        if problems:
            message += " " + "; ".join(problems) + "."
        broken = any(check.is_broken for _, check in results)
        self.message_user(request, message, messages.WARNING if broken else messages.SUCCESS)

    def get_urls(self):
        import_url = path(
            "import-awesome-list/",
            self.admin_site.admin_view(self.import_awesome_list_view),
            name="catalog_resource_import_awesome_list",
        )
        return [import_url, *super().get_urls()]

    def import_awesome_list_view(self, request):
        """Upload an awesome list; a dry run shows what would change and keeps the file for the
        import that follows; a real import redirects to the resource list with its summary."""
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = AwesomeListImportForm(request.POST, request.FILES, curator=request.user)
            if form.is_valid():
                try:
                    report = import_awesome_list(
                        form.awesome_list,
                        curriculum=form.target_curriculum,
                        publish_new=not form.cleaned_data["unpublished"],
                        replace_text=form.cleaned_data["replace_text"],
                        dry_run=form.cleaned_data["dry_run"],
                        curator=request.user,  # a new curriculum's first curator
                    )
                except ValidationError as error:  # a new curriculum's slug taken meanwhile
                    form.add_error(None, error)
                    report = None
            if report is not None:
                if not report.dry_run:
                    self.message_user(request, report.summary(), messages.SUCCESS)
                    if report.count("created", "curriculum"):
                        self.message_user(
                            request,
                            f"Created the curriculum “{form.target_curriculum}”, unpublished: "
                            "publish it under Curricula when it is ready.",
                            messages.SUCCESS,
                        )
                    if report.skipped:
                        skipped = "; ".join(str(s) for s in report.skipped)
                        self.message_user(request, f"Skipped {skipped}.", messages.WARNING)
                    return redirect("admin:catalog_resource_changelist")
                form = AwesomeListImportForm.after_dry_run(form)
        else:
            form = AwesomeListImportForm(curator=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import an awesome list",
            "opts": self.opts,
            "form": form,
            "report": report,
            "preview_minutes": int(form.PREVIEW_LIFETIME.total_seconds() // 60),
        }
        return TemplateResponse(request, "admin/catalog/resource/import_awesome_list.html", context)

    @admin.action(description="Publish selected resources", permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.update(is_published=True)
        bump_catalog_version()  # an update sends no signals
        message = ngettext("Published %(count)d resource.", "Published %(count)d resources.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description="Unpublish selected resources", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        bump_catalog_version()  # an update sends no signals
        message = ngettext(
            "Unpublished %(count)d resource.", "Unpublished %(count)d resources.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class RequirementInline(CurriculumScopedAdmin, admin.TabularInline):
    model = Requirement
    curriculum_path = "degree__curriculum"
    fields = ["position", "slug", "resource", "topic", "min_count", "milestone", "source_quote"]
    autocomplete_fields = ["resource", "topic", "milestone"]
    extra = 0


@admin.register(Milestone)
class MilestoneAdmin(CurriculumRowAdmin):
    list_display = ["title", "position", "degrees", "slug"]
    list_editable = ["position"]
    search_fields = ["title", "description", "evidence_hint"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("requirements__degree")

    @admin.display(description="required by")
    def degrees(self, milestone):
        return ", ".join(sorted({r.degree.title for r in milestone.requirements.all()})) or "—"


@admin.register(Degree)
class DegreeAdmin(CurriculumRowAdmin):
    list_display = ["title", "rank", "requirement_count", "slug"]
    search_fields = ["title", "summary", "description"]
    inlines = [RequirementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(requirement_count=Count("requirements"))

    requirement_count = count_column("requirement_count", "requirements")


@admin.register(Curriculum)
class CurriculumAdmin(CurriculumScopedAdmin, CatalogAdmin):
    """Curricula: a curator edits theirs (summary, guidance, source, publication); only a
    superuser adds one here, deletes one or chooses its curators. A curator creates a curriculum
    by importing an awesome list into a new one."""

    curriculum_path = "pk"
    list_display = ["title", "position", "is_published", "topic_count", "slug"]
    list_editable = ["position"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "guidance", "source_url"]
    filter_horizontal = ["curators"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(topic_count=Count("topics"))

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else [*readonly, "curators"]

    topic_count = count_column("topic_count", "topics")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "expansions"]
    list_display_links = ["term"]
    search_fields = ["term", "expansions"]

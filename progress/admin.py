from django.contrib import admin

from progress.models import Activity, DegreeAward, ResourceProgress


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

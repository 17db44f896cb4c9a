from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: builds are asked for and finalised on the report pages, where the
    services keep the status and the files consistent."""

    list_display = [
        "pk",
        "campaign",
        "kind",
        "status",
        "progress",
        "requested_by",
        "automatic",
        "requested_at",
        "finished_at",
        "number",
    ]
    list_filter = ["status", "kind", "automatic", "campaign__year"]
    list_select_related = ["campaign", "requested_by"]
    search_fields = ["campaign__name", "number", "task_id"]
    date_hierarchy = "requested_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

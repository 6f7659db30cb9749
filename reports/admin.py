from django.contrib import admin

from reports.models import Category, Report


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_active", "position")
    list_editable = ("is_active", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports are evidence and change only through the Hub's own services."""

    list_display = ("pk", "platform", "score_status", "score", "created_at")
    list_filter = ("platform", "score_status")
    readonly_fields = [field.name for field in Report._meta.fields] + ["categories"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

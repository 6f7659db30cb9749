from django.contrib import admin

from triage.models import Case, ClassifierVersion


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "score", "created_at")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "is_active", "created_at", "trained_by")
    readonly_fields = [field.name for field in ClassifierVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

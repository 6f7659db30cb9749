from django.contrib import admin

from hubsite.admin_mixins import ReadOnlyAdmin
from triage.models import Case, ClassifierVersion, Force


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "status", "score", "created_at")
    list_filter = ("status",)


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(ReadOnlyAdmin):
    list_display = ("version", "is_active", "created_at", "trained_by")


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_active")
    list_editable = ("is_active",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

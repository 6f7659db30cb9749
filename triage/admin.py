from django.contrib import admin

from hubsite.admin_mixins import ReadOnlyAdmin
from triage.models import Case, ClassifierVersion


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "status", "score", "created_at")
    list_filter = ("status",)


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(ReadOnlyAdmin):
    list_display = ("version", "is_active", "created_at", "trained_by")

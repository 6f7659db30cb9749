from django.contrib import admin

from hubsite.admin_mixins import ReadOnlyAdmin
from reports.models import Category, CounterSpeech, Report


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_active", "position")
    list_editable = ("is_active", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "platform", "score_status", "score", "created_at")
    list_filter = ("platform", "score_status")


@admin.register(CounterSpeech)
class CounterSpeechAdmin(ReadOnlyAdmin):
    list_display = ("pk", "replied_at", "case")

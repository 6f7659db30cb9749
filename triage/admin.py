from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Value
from django.db.models.functions import Floor, Least
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from hubsite.admin_mixins import ReadOnlyAdmin
from hubsite.charts import bar_chart
from reports.models import Report
from triage.models import (
    Case,
    CaseEvent,
    ClassifierActivation,
    ClassifierVersion,
    Force,
    ForceLiaison,
    Offence,
    Referral,
)

SCORE_BINS = [f"{low / 10:.1f}" for low in range(10)]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "status", "score", "created_at")
    list_filter = ("status",)


def _figure(value) -> str:
    return "–" if value is None else f"{value:.3f}"


class ActivationInline(admin.TabularInline):
    model = ClassifierActivation
    fk_name = "version"
    fields = ("activated_at", "activated_by", "previous", "forced", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "version",
        "is_active",
        "feature_set",
        "held_out_roc_auc",
        "held_out_f1",
        "functional_macro_f1",
        "worst_group_fpr",
        "trained_by",
        "created_at",
        "activated_at",
    )
    list_filter = ("is_active", "feature_set")
    search_fields = ("version", "trained_by")
    inlines = [ActivationInline]
    actions = ["compare_selected"]
    change_list_template = "admin/triage/classifierversion/change_list.html"

    @admin.display(description="held-out ROC-AUC")
    def held_out_roc_auc(self, record):
        return _figure(record.held_out.get("hateful", {}).get("roc_auc"))

    @admin.display(description="held-out F1")
    def held_out_f1(self, record):
        return _figure(record.held_out.get("hateful", {}).get("f1"))

    @admin.display(description="functional macro-F1")
    def functional_macro_f1(self, record):
        return _figure(record.functional.get("macro_f1"))

    @admin.display(description="worst group false-positive rate")
    def worst_group_fpr(self, record):
        rates = [(counts["fpr"], slug) for slug, counts in record.held_out.get("groups", {}).items() if counts["fpr"]]
        if not rates:
            return "–"
        rate, slug = max(rates)
        return format_html("{} ({})", _figure(rate), slug)

    @admin.action(description="Compare the selected versions side by side")
    def compare_selected(self, request, queryset):
        query = urlencode([("v", record.version) for record in queryset], doseq=True)
        return HttpResponseRedirect(f"{reverse('admin:triage_classifierversion_compare')}?{query}")

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        return [path("compare/", compare, name="triage_classifierversion_compare"), *super().get_urls()]

    def compare_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        chosen = request.GET.getlist("v")
        versions = ClassifierVersion.objects.filter(version__in=chosen) if chosen else None
        if not versions:
            newest = list(ClassifierVersion.objects.order_by("-created_at")[:4])
            active = ClassifierVersion.objects.active()
            versions = ([active] if active and active not in newest else []) + newest
        versions = sorted(versions, key=lambda record: record.created_at, reverse=True)[:6]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Classifier versions side by side",
            "columns": [self._column(record) for record in versions],
            "rows": _comparison_rows(versions),
            "activations": ClassifierActivation.objects.select_related("version", "previous")[:20],
        }
        return TemplateResponse(request, "admin/triage/classifierversion/compare.html", context)

    def _column(self, record: ClassifierVersion) -> dict:
        held_out = record.held_out.get("score_histogram")
        live = _live_histogram(record.version)
        return {
            "record": record,
            "held_out_chart": bar_chart(
                held_out,
                SCORE_BINS,
                title=f"{record.version}: scores on its held-out examples",
                description="Number of held-out examples per score band of width 0.1, from 0 to 1.",
            )
            if held_out
            else None,
            "live_chart": bar_chart(
                live,
                SCORE_BINS,
                title=f"{record.version}: scores given to reports",
                description="Number of reports this version scored, per score band of width 0.1, from 0 to 1.",
            )
            if any(live)
            else None,
            "live_total": sum(live),
        }


def _live_histogram(version: str) -> list[int]:
    """How many reports this version scored in each tenth of the score range."""
    counts = [0] * 10
    rows = (
        Report.objects.filter(model_version=version, score__isnull=False)
        .annotate(bin=Least(Floor(F("score") * 10), Value(9.0)))
        .values("bin")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[int(row["bin"])] = row["n"]
    return counts


def _comparison_rows(versions: list[ClassifierVersion]) -> list[tuple[str, list[str], bool]]:
    """(label, one figure per version, whether it is a section heading) for the comparison table."""

    def figures(pick) -> list[str]:
        return [_figure(pick(record)) for record in versions]

    def heading(label: str) -> tuple[str, list[str], bool]:
        return (label, [], True)

    rows = [heading("Held-out split (hateful or not)")]
    for key, label in (("roc_auc", "ROC-AUC"), ("precision", "precision"), ("recall", "recall"), ("f1", "F1")):
        rows.append((label, figures(lambda r, key=key: r.held_out.get("hateful", {}).get(key)), False))
    rows.append(heading("Functional suite"))
    rows.append(("accuracy", figures(lambda r: r.functional.get("accuracy")), False))
    rows.append(("macro-F1", figures(lambda r: r.functional.get("macro_f1")), False))
    phenomena = sorted({name for r in versions for name in r.functional.get("by_phenomenon", {})})
    for name in phenomena:
        rows.append(
            (
                f"{name} (accuracy)",
                figures(lambda r, n=name: r.functional.get("by_phenomenon", {}).get(n, {}).get("accuracy")),
                False,
            )
        )
    rows.append(heading("Per category (held-out F1)"))
    for slug in sorted({slug for r in versions for slug in r.held_out.get("categories", {})}):
        rows.append((slug, figures(lambda r, s=slug: r.held_out.get("categories", {}).get(s, {}).get("f1")), False))
    rows.append(heading("Per group: false-positive rate on non-hateful text naming the group"))
    for slug in sorted({slug for r in versions for slug in r.held_out.get("groups", {})}):
        rows.append((slug, figures(lambda r, s=slug: r.held_out.get("groups", {}).get(s, {}).get("fpr")), False))
    rows.append(heading("Per group: hateful text missed"))
    for slug in sorted({slug for r in versions for slug in r.held_out.get("groups", {})}):
        rows.append((slug, figures(lambda r, s=slug: r.held_out.get("groups", {}).get(s, {}).get("miss_rate")), False))
    return rows


@admin.register(ClassifierActivation)
class ClassifierActivationAdmin(ReadOnlyAdmin):
    list_display = ("activated_at", "version", "previous", "activated_by", "forced", "reason")
    list_filter = ("forced",)
    search_fields = ("version__version", "activated_by", "reason")
    list_select_related = ("version", "previous")


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_active")
    list_editable = ("is_active",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    """The timeline, for reading and searching only: no one may change or remove an event."""

    list_display = ("created_at", "case", "kind", "actor", "for_force", "note")
    list_filter = ("kind", "for_force")
    search_fields = ("note", "actor__username")
    list_select_related = ("case", "actor")
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("pk", "force", "status", "sent_at", "acknowledged_at", "crime_reference", "outcome_group")
    list_filter = ("status", "outcome_group", "force")
    search_fields = ("crime_reference", "summary")
    list_select_related = ("force",)


@admin.register(Offence)
class OffenceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_active", "position")
    list_editable = ("is_active", "position")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(ForceLiaison)
class ForceLiaisonAdmin(admin.ModelAdmin):
    """Which force each liaison user answers for."""

    list_display = ("user", "force")
    list_filter = ("force",)
    search_fields = ("user__username", "force__name")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "force")

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Value
from django.db.models.functions import Floor, Least
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from hubsite.admin_mixins import ReadOnlyAdmin
from reports.models import Report
from triage.classifier.registry import ActivationRefused
from triage.classifier_comparison import (
    dev_measures,
    group_errors,
    measure_charts,
    measure_sections,
    score_histogram_chart,
)
from triage.classifier_services import (
    TrainingRefused,
    classifier_training_start,
    classifier_version_activate,
    decided_cases,
)
from triage.models import (
    Case,
    CaseEvent,
    ClassifierActivation,
    ClassifierTraining,
    ClassifierVersion,
    Force,
    ForceLiaison,
    Offence,
    Referral,
)


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


# Permissions the classifier's pages check beyond viewing (granted to admins by hubsite migration 0014).
START_TRAINING = "triage.add_classifiertraining"
ACTIVATE_VERSION = "triage.activate_classifierversion"
# The activation gate words its refusal for the command line; this page says the same in its own terms.
COMMAND_LINE_FORCE = "Activate it anyway with --force and a --reason."
FORCE_HERE = "To activate it anyway, tick “Activate even if it measures worse” and give the reason."


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "version",
        "is_active",
        "feature_set",
        "headline_stormfront",
        "headline_toxigen",
        "headline_davidson",
        "functional_macro_f1",
        "held_out_roc_auc",
        "worst_group_fpr",
        "trained_by",
        "created_at",
        "activated_at",
    )
    list_filter = ("is_active", "feature_set")
    search_fields = ("version", "trained_by")
    # The measures are shown as tables below the fields (change_form.html), not as the stored JSON.
    fields = (
        "version",
        "is_active",
        "activated_at",
        "feature_set",
        "trained_by",
        "created_at",
        "training_data_summary",
        "artifact_path",
        "artifact_sha256",
    )
    inlines = [ActivationInline]
    actions = ["compare_selected"]
    change_list_template = "admin/triage/classifierversion/change_list.html"
    change_form_template = "admin/triage/classifierversion/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "training_data_summary"]

    @admin.display(description="Stormfront macro-F1")
    def headline_stormfront(self, record):
        return _figure((record.metrics.get("dev", {}).get("stormfront_test") or {}).get("macro_f1"))

    @admin.display(description="ToxiGen LOGO macro-F1")
    def headline_toxigen(self, record):
        return _figure((record.metrics.get("dev", {}).get("toxigen_logo") or {}).get("mean_macro_f1"))

    @admin.display(description="Davidson hate ROC-AUC")
    def headline_davidson(self, record):
        return _figure((record.metrics.get("dev", {}).get("davidson_held_out") or {}).get("hate_roc_auc"))

    @admin.display(description="held-out ROC-AUC")
    def held_out_roc_auc(self, record):
        return _figure(record.held_out.get("hateful", {}).get("roc_auc"))

    @admin.display(description="functional macro-F1")
    def functional_macro_f1(self, record):
        return _figure(record.functional.get("macro_f1"))

    @admin.display(description="worst group false-positive rate")
    def worst_group_fpr(self, record):
        rates = [(counts["fpr"], slug) for slug, counts in record.held_out.get("groups", {}).items() if counts["fpr"]]
        if not rates:
            found = group_errors(dev_measures(record)["functional"])
            rates = [(counts["false_alarm_rate"], slug) for slug, counts in found.items() if counts["false_alarm_rate"]]
        if not rates:
            return "–"
        rate, slug = max(rates)
        return format_html("{} ({})", _figure(rate), slug)

    @admin.display(description="data")
    def training_data_summary(self, record):
        data = record.training_data
        sources = format_html_join(
            "",
            "{} ({} rows, {} hateful, SHA-256 {}…)<br>",
            (
                (source.get("name"), source.get("rows"), source.get("hateful"), (source.get("sha256") or "")[:12])
                for source in data.get("datasets", [])
            ),
        )
        how = ", ".join(f"{key} {data[key]}" for key in ("recipe", "seed") if data.get(key) not in (None, ""))
        return format_html("{}{}", sources, how) if sources or how else "–"

    @admin.action(description="Compare the selected versions side by side")
    def compare_selected(self, request, queryset):
        query = urlencode([("v", record.version) for record in queryset], doseq=True)
        return HttpResponseRedirect(f"{reverse('admin:triage_classifierversion_compare')}?{query}")

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        return [path("compare/", compare, name="triage_classifierversion_compare"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        context = {
            "can_retrain": request.user.has_perm(START_TRAINING),
            "training_in_progress": ClassifierTraining.objects.in_progress().first(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if record is not None:
            active = ClassifierVersion.objects.active()
            context.update(
                measure_columns=[record],
                sections=measure_sections([record]),
                charts=measure_charts([record]),
                compare_with_active=_compare_url([record, active]) if active and active.pk != record.pk else "",
            )
        return super().change_view(request, object_id, form_url, extra_context=context)

    def compare_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        versions = _chosen_versions(request.GET.getlist("v"))
        refused = {}
        if request.method == "POST":
            if not request.user.has_perm(ACTIVATE_VERSION):
                raise PermissionDenied
            form = ActivationForm(request.POST)
            if form.is_valid():
                record = form.cleaned_data["version"]
                try:
                    classifier_version_activate(
                        version=record,
                        by=request.user,
                        force=form.cleaned_data["force"],
                        reason=form.cleaned_data["reason"],
                    )
                except ActivationRefused as refusal:
                    message = str(refusal).replace(COMMAND_LINE_FORCE, FORCE_HERE)
                    refused = {"pk": record.pk, "message": message, **form.cleaned_data}
                else:
                    messages.success(request, f"Version {record.version} is now the active model.")
                    return HttpResponseRedirect(request.get_full_path())
            else:
                refused = {"pk": None, "message": "Choose a version to activate."}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Classifier versions side by side",
            "columns": [self._column(record) for record in versions],
            "measure_columns": versions,
            "sections": measure_sections(versions),
            "charts": measure_charts(versions),
            "can_activate": request.user.has_perm(ACTIVATE_VERSION),
            "refused": refused,
            "activations": ClassifierActivation.objects.select_related("version", "previous")[:20],
        }
        return TemplateResponse(
            request, "admin/triage/classifierversion/compare.html", context, status=409 if refused else 200
        )

    def _column(self, record: ClassifierVersion) -> dict:
        held_out = record.held_out.get("score_histogram")
        live = _live_histogram(record.version)
        return {
            "record": record,
            "held_out_chart": score_histogram_chart(
                f"scores-{record.pk}-held-out",
                f"{record.version}: scores on its held-out examples",
                held_out,
                counted="held-out examples",
            )
            if held_out
            else None,
            "live_chart": score_histogram_chart(
                f"scores-{record.pk}-reports",
                f"{record.version}: scores given to reports",
                live,
                counted="reports",
            )
            if any(live)
            else None,
            "live_total": sum(live),
        }


class ActivationForm(forms.Form):
    version = forms.ModelChoiceField(queryset=ClassifierVersion.objects.all(), to_field_name="version")
    force = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=2000)


def _chosen_versions(chosen: list[str]) -> list[ClassifierVersion]:
    """The versions named, or else the newest four and the active one; newest first, six at most."""
    versions = list(ClassifierVersion.objects.filter(version__in=chosen)) if chosen else []
    if not versions:
        newest = list(ClassifierVersion.objects.order_by("-created_at")[:4])
        active = ClassifierVersion.objects.active()
        versions = ([active] if active and active not in newest else []) + newest
    return sorted(versions, key=lambda record: record.created_at, reverse=True)[:6]


def _compare_url(versions: list[ClassifierVersion]) -> str:
    query = urlencode([("v", record.version) for record in versions if record is not None], doseq=True)
    return f"{reverse('admin:triage_classifierversion_compare')}?{query}"


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


class TrainingForm(forms.Form):
    data = forms.ChoiceField(
        label="Data to train on",
        choices=ClassifierTraining.Data.choices,
        initial=ClassifierTraining.Data.PUBLIC_AND_DECISIONS,
        widget=forms.RadioSelect,
    )
    seed = forms.IntegerField(
        label="Seed",
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        help_text="The same data and seed give the same model. Change it to see how much the figures move by chance.",
    )


@admin.register(ClassifierTraining)
class ClassifierTrainingAdmin(ReadOnlyAdmin):
    """Retrainings: started from the classifier versions page, run by the training worker, followed here."""

    list_display = ("pk", "created_at", "started_by", "data", "seed", "status", "version", "finished_at")
    list_filter = ("status", "data")
    list_select_related = ("started_by", "version")

    def has_add_permission(self, request):
        return request.user.has_perm(START_TRAINING)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TrainingForm(request.POST or None)
        refusal = ""
        if request.method == "POST" and form.is_valid():
            try:
                training = classifier_training_start(
                    by=request.user, data=form.cleaned_data["data"], seed=form.cleaned_data["seed"]
                )
            except TrainingRefused as exc:
                refusal = str(exc)
            else:
                return HttpResponseRedirect(reverse("admin:triage_classifiertraining_change", args=[training.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Retrain the classifier",
            "form": form,
            "refusal": refusal,
            "choices": TRAINING_CHOICE_HELP,
            "current": ClassifierTraining.objects.in_progress().select_related("started_by").first(),
            "decisions": decided_cases(),
            "queue": settings.TRAINING_QUEUE,
        }
        status = 400 if form.is_bound and not form.is_valid() else 409 if refusal else 200
        return TemplateResponse(request, "admin/triage/classifiertraining/start.html", context, status=status)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        training = get_object_or_404(
            ClassifierTraining.objects.select_related("started_by", "version"),
            pk=object_id if str(object_id).isdigit() else None,
        )
        active = ClassifierVersion.objects.active()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Training {training.pk}",
            "training": training,
            "progress_lines": training.progress.splitlines(),
            "active": active,
            "compare_url": _compare_url([training.version, active if active != training.version else None])
            if training.version
            else "",
            "took": _duration(training.finished_at - training.started_at)
            if training.finished_at and training.started_at
            else "",
            "waiting_long": training.status == ClassifierTraining.Status.QUEUED
            and timezone.now() - training.created_at > timedelta(minutes=1),
            "queue": settings.TRAINING_QUEUE,
        }
        return TemplateResponse(request, "admin/triage/classifiertraining/training.html", context)


def _duration(length: timedelta) -> str:
    minutes, seconds = divmod(round(length.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    return (
        " ".join(f"{value} {unit}" for value, unit in ((hours, "h"), (minutes, "min"), (seconds, "s")) if value)
        or "0 s"
    )


# What each choice of data means, for the form; the sources themselves are in triage/classifier_services.py.
TRAINING_CHOICE_HELP = {
    ClassifierTraining.Data.PUBLIC_AND_DECISIONS: "The data the shipped model learns from (the seed corpus, "
    "Stormfront, ToxiGen and Davidson, without their held-out parts) and the cases officers closed here. "
    "Needs the public data sets; the slowest, as ToxiGen leave-one-group-out trains once per group.",
    ClassifierTraining.Data.PUBLIC: "The data the shipped model learns from, without officers' decisions. "
    "Needs the public data sets.",
    ClassifierTraining.Data.LIGHT: "The project's seed corpus alone: quick, and needs no data from elsewhere.",
    ClassifierTraining.Data.DECISIONS_AND_SEED: "The seed corpus and the cases officers closed here. Needs no "
    "data from elsewhere.",
}


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

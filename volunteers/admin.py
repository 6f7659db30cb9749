"""Admins manage volunteers' profiles, the training modules and training records."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm

from hubsite.accounts import InvitationRefused, user_invite
from hubsite.audit import audit_record, record_training_change
from hubsite.models import AuditEvent, User
from hubsite.roles import Role
from reports.wellbeing import exposure_by_volunteer
from triage.track_record import MIN_DECIDED_REPORTS, track_records
from volunteers.admin_add import volunteer_add_view
from volunteers.models import PSEUDONYM_PATTERN, TrainingModule, TrainingRecord, VolunteerProfile
from volunteers.resources import LinedCSV, TrainingRecordExportResource, TrainingRecordResource
from volunteers.services import (
    training_record_save,
    training_session_record,
    volunteer_set_status,
)
from wiring.subject_access import volunteer_subject_access

EXPIRY_WARNING_DAYS = 30


class TrainingStateFilter(admin.SimpleListFilter):
    """Volunteers by the state of their training: expiring soon, expired, never trained."""

    title = "training"
    parameter_name = "training"

    def lookups(self, request, model_admin):
        return [
            ("expiring", f"Expiring within {EXPIRY_WARNING_DAYS} days"),
            ("expired", "Has expired training"),
            ("never", "Never trained"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        records = TrainingRecord.objects.filter(volunteer=OuterRef("user"), passed=True)
        if self.value() == "expiring":
            soon = records.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS))
            return queryset.filter(Exists(soon))
        if self.value() == "expired":
            return queryset.filter(Exists(records.filter(expires_on__lt=today)))
        if self.value() == "never":
            return queryset.exclude(Exists(records))
        return queryset


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    fk_name = "volunteer"
    fields = ("module", "completed_on", "score", "passed", "expires_on", "recorded_by")
    readonly_fields = ("passed", "expires_on", "recorded_by")
    extra = 0


class SessionForm(forms.Form):
    module = forms.ModelChoiceField(queryset=TrainingModule.objects.filter(is_active=True))
    completed_on = forms.DateField(label="Date of the session", widget=forms.DateInput(attrs={"type": "date"}))
    score = forms.IntegerField(required=False, min_value=0, max_value=100, help_text="Leave empty if not scored.")


def _share(value: float | None) -> str:
    return "newcomer" if value is None else f"{value:.0%}"


def _count(reports: int, break_due: bool) -> str:
    return f"{reports} (take a break)" if break_due else str(reports)


def _fact_column(description: str, words):
    """A read-only column of a volunteer's exposure or track record, worked out for the whole page at once."""

    @admin.display(description=description)
    def column(model_admin, profile) -> str:
        return "—" if model_admin._facts(profile) is None else words(profile)

    return column


class VolunteerProfileAddForm(forms.ModelForm):
    """A new profile's pseudonym is drawn once, shown read-only and sent back with the form, so the one an admin
    reads before saving is the one saved (a read-only admin field would be drawn afresh on saving). Only one the
    Hub could have drawn is accepted."""

    pseudonym = forms.RegexField(
        regex=PSEUDONYM_PATTERN,
        initial=VolunteerProfile._meta.get_field("pseudonym").default,
        widget=forms.TextInput(attrs={"readonly": "readonly", "class": "vTextField"}),
        help_text="Made up for this volunteer; how officers and forces will see them.",
        error_messages={"invalid": "The pseudonym must be one the Hub made up: open the form again for a new one."},
    )

    class Meta:
        model = VolunteerProfile
        fields = ("user", "pseudonym", "joined_on", "languages", "platforms", "full_name", "phone", "notes")


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = (
        "pseudonym",
        "user",
        "full_name",
        "status",
        "joined_on",
        "reports_today",
        "reports_this_week",
        "outcomes_agreed",
        "categories_agreed",
    )
    list_filter = ("status", TrainingStateFilter)
    search_fields = ("pseudonym", "user__username", "full_name", "user__email")
    list_select_related = ("user",)
    readonly_fields = (
        "pseudonym",
        "status",
        "reports_today",
        "reports_this_week",
        "outcomes_agreed",
        "categories_agreed",
    )
    actions = ["record_session", "suspend", "reinstate", "send_invitation", "subject_access"]

    def get_urls(self):
        # The one screen to add a volunteer (account, role, profile, first training), beside the plain add form,
        # which gives a profile to a volunteer account made elsewhere.
        add_volunteer = path(
            "add-volunteer/",
            self.admin_site.admin_view(lambda request: volunteer_add_view(self, request)),
            name="volunteers_volunteerprofile_add_volunteer",
        )
        return [add_volunteer, *super().get_urls()]

    def get_readonly_fields(self, request, obj=None):
        # A new profile's pseudonym is shown and sent with the add form (VolunteerProfileAddForm).
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is not None else tuple(field for field in fields if field != "pseudonym")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = VolunteerProfileAddForm
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Only volunteer accounts, and only those without a profile yet.
            kwargs["queryset"] = (
                User.objects.filter(groups__name=Role.VOLUNTEER.value, volunteer__isnull=True)
                .order_by("username")
                .distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    fieldsets = [
        (None, {"fields": ("user", "pseudonym", "status", "joined_on")}),
        ("What they do", {"fields": ("languages", "platforms")}),
        ("Personal details (admins only)", {"fields": ("full_name", "phone", "notes")}),
        (
            "Wellbeing and track record",
            {
                "fields": ("reports_today", "reports_this_week", "outcomes_agreed", "categories_agreed"),
                "description": (
                    f"Agreement counts reports of the last {settings.TRACK_RECORD_WINDOW_DAYS} days whose case "
                    f"officers have decided; with fewer than {MIN_DECIDED_REPORTS} the volunteer is a newcomer, "
                    "neutral in the queue's priority. Reports are counted in the Hub's local days; from "
                    f"{settings.WELLBEING_DAILY_SOFT_LIMIT} a day or {settings.WELLBEING_WEEKLY_SOFT_LIMIT} a week "
                    "the volunteer is told to take a break."
                ),
            },
        ),
    ]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for record in formset.deleted_objects:
            record_training_change(record, how="deleted", by=request.user)
            record.delete()
        for record in instances:
            training_record_save(record=record, by=request.user, how="changed" if record.pk else "recorded")
        formset.save_m2m()

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        self._annotate(list(changelist.result_list))
        return changelist

    def get_object(self, request, object_id, from_field=None):
        profile = super().get_object(request, object_id, from_field)
        if profile is not None:
            self._annotate([profile])
        return profile

    @staticmethod
    def _annotate(profiles) -> None:
        """Each profile's exposure and track record, for the whole page at once."""
        ids = [profile.user_id for profile in profiles]
        exposures, records = exposure_by_volunteer(ids), track_records(ids)
        for profile in profiles:
            profile.exposure, profile.track_record = exposures[profile.user_id], records[profile.user_id]

    def _facts(self, profile):
        if not hasattr(profile, "exposure"):
            if profile.pk is None:  # the add form: nothing to count yet
                return None
            self._annotate([profile])
        return profile

    reports_today = _fact_column("reports today", lambda p: _count(p.exposure.today, p.exposure.over_daily))
    reports_this_week = _fact_column("in 7 days", lambda p: _count(p.exposure.this_week, p.exposure.over_weekly))
    outcomes_agreed = _fact_column(
        "outcomes agreed", lambda p: f"{_share(p.track_record.outcome_agreement)} of {p.track_record.decided}"
    )
    categories_agreed = _fact_column(
        "categories agreed",
        lambda p: f"{_share(p.track_record.category_agreement)} of {p.track_record.categorised}",
    )

    @admin.action(description="Record one training session for the selected volunteers")
    def record_session(self, request, queryset):
        """One module, one date, for every selected volunteer: asks for the module and date, then records them."""
        form = SessionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            created = training_session_record(
                volunteers=[profile.user for profile in queryset.select_related("user")],
                recorded_by=request.user,
                **form.cleaned_data,
            )
            self.message_user(request, f"Recorded {form.cleaned_data['module']} for {created} volunteer(s).")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Record a training session",
            "opts": self.model._meta,
            "profiles": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/volunteers/record_session.html", context)

    @admin.action(description="Export everything held about the selected volunteer (subject access)")
    def subject_access(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Choose one volunteer: a subject access export is for one person.", messages.ERROR
            )
            return None
        volunteer = queryset.select_related("user").get().user
        held = volunteer_subject_access(volunteer, requested_by=request.user)
        response = JsonResponse(held, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
        response["Content-Disposition"] = f'attachment; filename="subject-access-{volunteer.pk}.json"'
        return response

    @admin.action(description="Suspend the selected volunteers (they can no longer sign in)")
    def suspend(self, request, queryset):
        for profile in queryset.select_related("user"):
            volunteer_set_status(profile=profile, status=VolunteerProfile.Status.SUSPENDED)
        self.message_user(request, f"Suspended {queryset.count()} volunteer(s).")

    # The same rule as the user admin's invitation action: inviting acts on the account, so it needs the
    # permission to change users, not only to change volunteer profiles.
    @admin.action(description="Send an invitation e-mail to set a password", permissions=["change_user"])
    def send_invitation(self, request, queryset):
        invited, refused = 0, []
        for profile in queryset.select_related("user"):
            try:
                user_invite(user=profile.user, invited_by=request.user)
            except InvitationRefused as why:
                refused.append(f"{profile.pseudonym}: {why}")
            else:
                invited += 1
        if invited:
            self.message_user(request, f"Invitations are on their way to {invited} volunteer(s).")
        for reason in refused:
            self.message_user(request, f"No invitation for {reason}", messages.WARNING)

    def has_change_user_permission(self, request) -> bool:
        return request.user.has_perm("hubsite.change_user")

    @admin.action(description="Make the selected volunteers active (approve applicants, reinstate the suspended)")
    def reinstate(self, request, queryset):
        for profile in queryset.select_related("user"):
            volunteer_set_status(profile=profile, status=VolunteerProfile.Status.ACTIVE)
        self.message_user(request, f"Made {queryset.count()} volunteer(s) active.")


@admin.register(TrainingModule)
class TrainingModuleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "validity_months",
        "pass_mark",
        "unlocks_reporting",
        "unlocks_counter_speech",
        "unlocks_category",
        "is_active",
    )
    list_filter = ("is_active", "unlocks_reporting", "unlocks_counter_speech")
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}


class RecordStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("current", "Current"),
            ("expiring", f"Expiring within {EXPIRY_WARNING_DAYS} days"),
            ("expired", "Expired"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current(today)
        if self.value() == "expiring":
            return queryset.filter(
                passed=True, expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS)
            )
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        return queryset


class CsvImportForm(ImportForm):
    @property
    def media(self):
        # One format, so nothing to guess from the file's name: no script to load.
        return forms.Media()


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ImportExportMixin, admin.ModelAdmin):
    list_display = ("volunteer", "module", "completed_on", "score", "passed", "expires_on", "recorded_by")
    list_filter = (RecordStateFilter, "module", "passed")
    search_fields = ("volunteer__username", "volunteer__volunteer__pseudonym", "module__title")
    list_select_related = ("volunteer", "module", "recorded_by")
    autocomplete_fields = ("volunteer",)
    readonly_fields = ("passed", "expires_on", "recorded_by", "recorded_at")
    date_hierarchy = "completed_on"
    # CSV in and out: the export follows the list's filters and search.
    resource_classes = [TrainingRecordResource]
    formats = [LinedCSV]
    import_template_name = "admin/volunteers/trainingrecord/import.html"
    import_form_class = CsvImportForm
    # Every column, always: the form choosing columns needs inline script, which the CSP forbids.
    export_form_class = ExportForm

    def get_export_resource_classes(self, request):
        return [TrainingRecordExportResource]

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        if form is not None and form.is_bound and "confirm_form" not in context:
            # A refused or unreadable file will not be confirmed: do not keep the upload.
            upload = form.files.get("import_file")
            if getattr(upload, "tmp_storage_name", None):
                self.get_tmp_storage_class()(name=upload.tmp_storage_name).remove()
        return response

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ValueError):  # our format's own words: what is wrong and what to do
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def get_import_data_kwargs(self, **kwargs):
        # Should the file stop validating between the preview and the confirmation, keep none of it.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                "Nothing was imported: the file no longer passes its checks. Upload it again to see why.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:volunteers_trainingrecord_import"))
        return super().process_result(result, request)

    def save_model(self, request, obj, form, change):
        training_record_save(record=obj, by=request.user, how="changed" if change else "recorded")

    def delete_model(self, request, obj):
        record_training_change(obj, how="deleted", by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for record in queryset.select_related("volunteer", "module"):
            record_training_change(record, how="deleted", by=request.user)
        super().delete_queryset(request, queryset)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        audit_record(AuditEvent.Action.EXPORTED, request=request, summary=f"{queryset.count()} training records as CSV")
        return data

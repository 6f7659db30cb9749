"""Forms for the officers' desk and the liaison portal. Each validates and says what is wrong in words."""

from __future__ import annotations

from django import forms

from reports.models import SEVERITY_FLAGS, Category, Report
from reports.platforms import Platform
from triage import casework, stats
from triage.models import Case, Force, Offence, Referral
from triage.selectors import ANY, OPEN, SCORE_FILTERS, SORTS, case_assignees


def _flag_label(flag: str) -> str:
    return str(Report._meta.get_field(flag).verbose_name).capitalize()


class QueueFilterForm(forms.Form):
    """What the queue shows, for ``triage.selectors.case_list``. Every field is optional; the defaults are open
    cases by priority."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        help_text="Words in the post, its handle, notes or a crime reference.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Open, or any when searching"),
            (OPEN, "Open (needs action)"),
            (ANY, "Any status"),
            *Case.Status.choices,
        ],
    )
    category = forms.ModelChoiceField(
        required=False, queryset=Category.objects.all(), to_field_name="slug", empty_label="Any category"
    )
    platform = forms.ChoiceField(required=False, choices=[("", "Any platform"), *Platform.choices])
    band = forms.ChoiceField(
        required=False, label="Score", choices=[("", "Any score"), *((k, v[0]) for k, v in SCORE_FILTERS.items())]
    )
    flag = forms.ChoiceField(
        required=False, label="Severity", choices=[("", "Any"), *((flag, _flag_label(flag)) for flag in SEVERITY_FLAGS)]
    )
    breached = forms.BooleanField(required=False, label="Platform clock breached")
    holder = forms.ChoiceField(
        required=False,
        label="Held by",
        choices=[("", "Anyone or no one"), ("me", "Me"), ("unassigned", "No one (unassigned)")],
    )
    sort = forms.ChoiceField(required=False, choices=[(key, label) for key, (label, _) in SORTS.items()])


class SavedFilterForm(forms.Form):
    name = forms.CharField(
        label="Name for these filters",
        max_length=60,
        error_messages={
            "required": "Give these filters a name.",
            "max_length": "Keep the name to %(limit_value)d characters (it has %(show_value)d).",
        },
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=case_assignees(),
        empty_label="Choose a colleague",
        label="Colleague",
        to_field_name="username",
        error_messages={
            "required": "Choose the colleague to give the case to.",
            "invalid_choice": "Choose one of the officers in the list.",
        },
    )


class BulkCloseForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(Case.Status.DISMISSED, "Dismiss"), (Case.Status.NO_ACTION, "No further action")],
        label="Close them as",
    )
    reason = forms.CharField(label="Reason (on each case's timeline)", max_length=2000)
    cases = forms.TypedMultipleChoiceField(
        coerce=int, choices=(), error_messages={"required": "Tick at least one case."}
    )

    def __init__(self, *args, case_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]


def _note_for_volunteers() -> forms.CharField:
    """Case.note_for_volunteers as every decision that closes or refers a case asks for it."""
    return forms.CharField(
        label="What the reporting volunteers will read (optional)",
        required=False,
        max_length=Case.NOTE_FOR_VOLUNTEERS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (for the timeline)", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    note_for_volunteers = _note_for_volunteers()


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="Your question for the reporting volunteers", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Note", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    for_force = forms.BooleanField(
        label="Share with the force",
        required=False,
        help_text="The forces this case is referred to will read the note and your username in the referral "
        "package. Other notes stay inside the Hub.",
    )


def _judged_categories() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Category.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Groups the post targets, in your judgement (they teach the classifier)",
    )


class PlatformReportForm(forms.Form):
    note = forms.CharField(
        label="How it was reported (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    categories = _judged_categories()


class PlatformOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=Case.PlatformOutcome.choices, widget=forms.RadioSelect, label="The platform")
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000)


class ReferralForm(forms.Form):
    force = forms.ModelChoiceField(
        queryset=Force.objects.filter(is_active=True), empty_label="Choose the force", label="Police force"
    )
    offences = forms.ModelMultipleChoiceField(
        queryset=Offence.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        label="Suspected offences",
        error_messages={"required": "Choose at least one suspected offence."},
    )
    summary = forms.CharField(label="Summary for the force", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    categories = _judged_categories()
    note_for_volunteers = _note_for_volunteers()


def _crime_reference_field(label: str) -> forms.CharField:
    # No max_length here: the rule below says what is wrong in words, whatever was typed.
    return forms.CharField(label=label, help_text=casework.CRIME_REFERENCE_HELP)


def _translated_crime_reference(value: str) -> str:
    """The services' crime reference rule, its refusal shown beside the field."""
    try:
        return casework.crime_reference_clean(value)
    except casework.CaseWorkError as error:
        raise forms.ValidationError(str(error), code="invalid") from error


class CrimeReferenceForm(forms.Form):
    crime_reference = _crime_reference_field("Crime reference number")

    def clean_crime_reference(self):
        return _translated_crime_reference(self.cleaned_data["crime_reference"])


class CrimeReferenceCorrectionForm(forms.Form):
    # Its own ids on a page that may also hold the accepting and declining forms' fields of the same names.
    prefix = "correction"
    crime_reference = _crime_reference_field("The correct crime reference number")
    reason = forms.CharField(
        label="Why it is being corrected (for the Hub's timeline)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_crime_reference(self):
        return _translated_crime_reference(self.cleaned_data["crime_reference"])


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why the force declines it", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    outcome_group = forms.ChoiceField(
        label="Outcome",
        choices=Referral.OutcomeGroup.choices,
        widget=forms.RadioSelect,
        help_text="As your force recorded it. “Investigation ongoing” keeps the referral open for the final outcome.",
        error_messages={"required": "Choose the outcome your force recorded."},
    )
    outcome = forms.CharField(
        label="Details (optional, for the Hub's officers; the reporting volunteers see only the outcome above)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Your answer", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    """Merge this case into another: the other case's number and why. The view finds the case and the merging
    service decides whether it may be done."""

    into = forms.IntegerField(
        label="Number of the case to merge this one into",
        min_value=1,
        max_value=2**63 - 1,  # the largest case number the database holds
        help_text="That case stays open and takes this case's reports, reporters and counter-speech.",
        error_messages={
            "required": "Give the number of the case to merge this one into.",
            "invalid": "Give the case number in digits, for example 1234.",
            "min_value": "Case numbers start at 1.",
            "max_value": "There is no case with that number.",
        },
    )
    reason = forms.CharField(
        label="Why they are the same post or incident (shown on both timelines)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason for merging the cases."},
    )


class ReferralFilterForm(forms.Form):
    """The officers' referral list's filters (``selectors.referrals`` narrows by them)."""

    force = forms.ModelChoiceField(
        queryset=Force.objects.order_by("name"), required=False, empty_label="Any force", label="Force"
    )
    status = forms.ChoiceField(choices=[("", "Any state"), *Referral.Status.choices], required=False, label="State")
    overdue = forms.BooleanField(required=False, label="Only those overdue (not acknowledged in time)")


class StatsPeriodForm(forms.Form):
    """The statistics' period: one of the presets (``days``), or the days from ``since`` to ``until`` (both
    included; ``until`` left empty means today). The rules are ``stats.period_between``'s; once valid,
    ``period`` holds the period to show."""

    days = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(days, f"Last {days} days") for days in stats.PERIODS],
        error_messages={
            "invalid_choice": f"Choose the last {', '.join(map(str, stats.PERIODS[:-1]))} or {stats.PERIODS[-1]} "
            "days, or give the first and last day."
        },
    )
    since = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the first day as a date, for example 2026-03-01."},
    )
    until = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the last day as a date, for example 2026-03-31."},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.period: stats.Period | None = None
        for name in ("since", "until"):
            self.fields[name].widget.attrs["max"] = today.isoformat()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        since, until = data.get("since"), data.get("until")
        if since is None and until is None:
            self.period = stats.period_preset(data.get("days") or stats.DEFAULT_PERIOD, today=self.today)
        elif since is None:
            self.add_error("since", "Give the first day as well as the last.")
        else:
            try:
                self.period = stats.period_between(since, until or self.today, today=self.today)
            except stats.PeriodError as error:
                self.add_error(error.field, error.message)
        return data

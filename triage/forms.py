"""Forms for the officers' desk and the liaison portal. Each validates and says what is wrong in words."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef

from reports.models import SEVERITY_FLAGS, Category, Report
from reports.platforms import Platform
from triage.models import Case, Force, Offence

SCORE_BANDS = {
    "very_high": ("Very high", 0.85, None),
    "high": ("High", 0.6, 0.85),
    "medium": ("Medium", 0.35, 0.6),
    "low": ("Low", 0.0, 0.35),
    "unscored": ("Not scored yet", None, None),
}
SORTS = {
    "priority": ("Priority", ("-priority", "created_at", "pk")),
    "age": ("Oldest first", ("created_at", "pk")),
    "reports": ("Most reporters", ("-reporter_count", "-priority", "pk")),
}
OPEN = "open"
ANY = "any"


def _flag_label(flag: str) -> str:
    return str(Report._meta.get_field(flag).verbose_name).capitalize()


class QueueFilterForm(forms.Form):
    """What the queue shows. Every field is optional; the defaults are open cases by priority."""

    status = forms.ChoiceField(
        required=False,
        choices=[(OPEN, "Open (needs action)"), (ANY, "Any status"), *Case.Status.choices],
    )
    category = forms.ModelChoiceField(
        required=False, queryset=Category.objects.all(), to_field_name="slug", empty_label="Any category"
    )
    platform = forms.ChoiceField(required=False, choices=[("", "Any platform"), *Platform.choices])
    band = forms.ChoiceField(
        required=False, label="Score", choices=[("", "Any score"), *((k, v[0]) for k, v in SCORE_BANDS.items())]
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

    def filter(self, cases, *, user, now=None):
        """``cases`` narrowed and ordered as the form says (call after ``is_valid``)."""
        data = self.cleaned_data
        status = data.get("status") or OPEN
        if status == OPEN:
            cases = cases.filter(status__in=Case.OPEN_STATUSES)
        elif status != ANY:
            cases = cases.filter(status=status)
        if data.get("category"):
            tagged = Case.reported_categories.through.objects.filter(case=OuterRef("pk"), category=data["category"])
            cases = cases.filter(Exists(tagged))
        if data.get("platform"):
            cases = cases.filter(platform=data["platform"])
        if data.get("band"):
            _, low, high = SCORE_BANDS[data["band"]]
            if low is None:
                cases = cases.filter(score__isnull=True)
            else:
                cases = cases.filter(score__gte=low)
                if high is not None:
                    cases = cases.filter(score__lt=high)
        if data.get("flag"):
            cases = cases.filter(**{data["flag"]: True})
        if data.get("breached"):
            cases = cases.platform_clock_breached(now)
        if data.get("holder") == "me":
            cases = cases.filter(claimed_by=user)
        elif data.get("holder") == "unassigned":
            cases = cases.filter(claimed_by__isnull=True)
        return cases.order_by(*SORTS[data.get("sort") or "priority"][1])


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


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (for the timeline)", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    note_for_volunteers = forms.CharField(
        label="What the reporting volunteers will read (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="Your question for the reporting volunteers", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Note", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


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
    note_for_volunteers = forms.CharField(
        label="What the reporting volunteers will read (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CrimeReferenceForm(forms.Form):
    crime_reference = forms.CharField(label="Crime reference number", max_length=60)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why the force declines it", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label="Outcome", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Your answer", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

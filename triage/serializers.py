"""What each operation on a case or a referral takes through the API (triage/operations.py names them).

Each input's fields are the keyword arguments of its service in triage/casework.py, with the same names, so
the page's form and the API's input reach the service alike. Text left out arrives empty and the service refuses
it in the words the page uses: the rules live in the services, not here.
"""

from __future__ import annotations

from rest_framework import serializers

from hubsite.models import User
from reports.models import Category
from triage import casework
from triage.models import Case, Force, Offence, Referral


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=max_length, **kwargs)


def _judged_categories() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
        help_text="The groups the officer judges the post to target (they teach the classifier).",
    )


def _note_for_volunteers() -> serializers.CharField:
    return _text(Case.NOTE_FOR_VOLUNTEERS_MAX_LENGTH, help_text="Shown to every volunteer who reported the post.")


class ReasonInput(serializers.Serializer):
    class Meta:
        ref_name = "CaseReasonInput"

    reason = _text(2000, help_text="For the timeline. Required.")
    note_for_volunteers = _note_for_volunteers()


class QuestionInput(serializers.Serializer):
    class Meta:
        ref_name = "CaseQuestionInput"

    question = _text(2000, help_text="For the reporting volunteers. Required.")


class PlatformReportInput(serializers.Serializer):
    class Meta:
        ref_name = "CasePlatformReportInput"

    note = _text(2000, help_text="How it was reported.")
    categories = _judged_categories()


class PlatformOutcomeInput(serializers.Serializer):
    class Meta:
        ref_name = "CasePlatformOutcomeInput"

    outcome = serializers.ChoiceField(
        choices=Case.PlatformOutcome.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="The platform's answer. Required.",
    )
    note = _text(2000)


class ReferInput(serializers.Serializer):
    class Meta:
        ref_name = "CaseReferInput"

    force = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Force.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="The force's slug, e.g. west-yorkshire-police. Required.",
    )
    offences = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Offence.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
        help_text="Suspected offences, by slug. At least one.",
    )
    summary = _text(4000, help_text="For the force. Required.")
    note_for_volunteers = _note_for_volunteers()
    categories = _judged_categories()


class NoteInput(serializers.Serializer):
    class Meta:
        ref_name = "CaseNoteInput"

    note = _text(4000, help_text="Required.")
    for_force = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Share it with the forces the case is referred to (they read it and its author).",
    )


class AssignInput(serializers.Serializer):
    class Meta:
        ref_name = "CaseAssignInput"

    # Any user by name: whether they may work cases is the service's rule, said in its words.
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.all(),
        help_text="The username of the officer who is to hold the case.",
    )


class _CrimeReferenceField(serializers.CharField):
    """The services' crime reference rule, its refusal put beside the field; a missing one is the step's to
    refuse."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            allow_blank=True,
            default="",
            trim_whitespace=False,
            help_text=casework.CRIME_REFERENCE_HELP,
            **kwargs,
        )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value.strip():
            return value
        try:
            return casework.crime_reference_clean(value)
        except casework.CaseWorkError as error:
            raise serializers.ValidationError(str(error)) from error


class NoInput(serializers.Serializer):
    class Meta:
        ref_name = "ReferralAcknowledgeInput"


class AcceptInput(serializers.Serializer):
    class Meta:
        ref_name = "ReferralAcceptInput"

    crime_reference = _CrimeReferenceField()


class DeclineInput(serializers.Serializer):
    class Meta:
        ref_name = "ReferralDeclineInput"

    reason = _text(2000, help_text="Why the force declines it. Required.")


class OutcomeInput(serializers.Serializer):
    class Meta:
        ref_name = "ReferralOutcomeInput"

    outcome_group = serializers.ChoiceField(
        choices=Referral.OutcomeGroup.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="As the force recorded it (Home Office outcome groups). Required.",
    )
    outcome = _text(2000, help_text="The outcome's details, in the force's words.")


class CorrectReferenceInput(serializers.Serializer):
    class Meta:
        ref_name = "ReferralCorrectReferenceInput"

    crime_reference = _CrimeReferenceField()
    reason = _text(2000, help_text="Why it is being corrected. Required.")

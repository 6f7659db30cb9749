"""Every operation an officer can carry out on a case, and a force's liaison on a referral: one table.

Each operation has one name, used in the page's URL (``/triage/cases/<id>/<name>/``, ``/liaison/referrals/<id>/
<name>/``) and the API's (``/api/v1/cases/<id>/<name>/``, ``/api/v1/referrals/<id>/<name>/``); the service in
triage/casework.py that carries it out; the form the page shows and the input the API reads, whose fields are
the service's keyword arguments; the permission it needs; and what the page says when it is done. The pages
(triage/views.py, triage/liaison_views.py) and the API (triage/api.py) read this table and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from rest_framework import serializers

from hubsite import roles
from triage import casework
from triage import forms as pages
from triage import serializers as inputs
from triage.models import Referral


@dataclass(frozen=True)
class Operation:
    name: str
    summary: str  # what it does, for the API's documentation
    service: Callable[..., Any]  # called with the case and officer, or the referral and liaison, and the input
    form: type[forms.Form] | None  # the page's (None: a button alone)
    input: type[serializers.Serializer]  # the API's
    permission: str
    done: Callable[[Any], str]  # the page's message, from what the service returned
    on: str  # "case" or "referral"

    def carry_out(self, target, person, data: dict):
        """Run the service on ``target`` for ``person`` with the validated input; CaseWorkError says why not."""
        if self.on == "case":
            return self.service(case=target, officer=person, **data)
        return self.service(referral=target, liaison=person, **data)


def _case(name, summary, service, form, input, done: str) -> Operation:
    return Operation(name, summary, service, form, input, roles.WORK_QUEUE, lambda result: done, "case")


def _referral(name, summary, service, form, input, done: Callable[[Referral], str]) -> Operation:
    return Operation(name, summary, service, form, input, roles.LIAISE_FOR_FORCE, done, "referral")


CASE_OPERATIONS: dict[str, Operation] = {
    operation.name: operation
    for operation in (
        _case(
            "dismiss",
            "Dismiss the case: not hateful, or not for the Hub",
            casework.case_dismiss,
            pages.ReasonForm,
            inputs.ReasonInput,
            "Case dismissed.",
        ),
        _case(
            "no-action",
            "Close the case with no further action",
            casework.case_no_further_action,
            pages.ReasonForm,
            inputs.ReasonInput,
            "No further action: the case is closed.",
        ),
        _case(
            "request-info",
            "Ask the reporting volunteers a question",
            casework.case_request_info,
            pages.QuestionForm,
            inputs.QuestionInput,
            "Question sent to the reporting volunteers.",
        ),
        _case(
            "report-to-platform",
            "Record that the post was reported to its platform (the 24-hour clock starts)",
            casework.case_report_to_platform,
            pages.PlatformReportForm,
            inputs.PlatformReportInput,
            "Recorded as reported to the platform: the 24-hour clock has started.",
        ),
        _case(
            "platform-outcome",
            "Record the platform's answer (the 24-hour clock stops)",
            casework.case_record_platform_outcome,
            pages.PlatformOutcomeForm,
            inputs.PlatformOutcomeInput,
            "The platform's answer is recorded.",
        ),
        _case(
            "refer",
            "Refer the case to a police force",
            casework.case_refer,
            pages.ReferralForm,
            inputs.ReferInput,
            "Referred to the force.",
        ),
        Operation(
            "assign",
            "Give the case to a colleague, who then holds it",
            casework.case_assign,
            pages.AssignForm,
            inputs.AssignInput,
            roles.WORK_QUEUE,
            lambda case: f"Case {case.pk} is now with {case.claimed_by.get_username()}.",
            "case",
        ),
        _case(
            "note",
            "Add a note to the case's timeline",
            casework.case_add_note,
            pages.NoteForm,
            inputs.NoteInput,
            "Note added.",
        ),
    )
}


def _outcome_said(referral: Referral) -> str:
    if referral.outcome_group == Referral.OutcomeGroup.ONGOING:
        return "Recorded as investigation ongoing. Record the final outcome here when your force has it."
    return f"Outcome recorded: {referral.get_outcome_group_display()}. The reporting volunteers see it in plain words."


# The crime reference is said back, so a slip is caught while the force's system is still open.
REFERRAL_OPERATIONS: dict[str, Operation] = {
    operation.name: operation
    for operation in (
        _referral(
            "acknowledge",
            "Acknowledge receipt of the referral for the force",
            casework.referral_acknowledge,
            None,
            inputs.NoInput,
            lambda referral: "Receipt acknowledged. The Hub's officers can see it.",
        ),
        _referral(
            "accept",
            "Accept the referral, with the force's crime reference",
            casework.referral_accept,
            pages.CrimeReferenceForm,
            inputs.AcceptInput,
            lambda referral: (
                f"Crime reference {referral.crime_reference} recorded — check it matches your force's "
                "system. If it does not, correct it on this page."
            ),
        ),
        _referral(
            "decline",
            "Decline the referral, with the reason",
            casework.referral_decline,
            pages.DeclineForm,
            inputs.DeclineInput,
            lambda referral: "Declined. The Hub's officers can see your reason.",
        ),
        _referral(
            "outcome",
            "Record the force's outcome (a Home Office outcome group, with details)",
            casework.referral_record_outcome,
            pages.OutcomeForm,
            inputs.OutcomeInput,
            _outcome_said,
        ),
        _referral(
            "correct-reference",
            "Correct the crime reference, with the reason",
            casework.referral_correct_crime_reference,
            pages.CrimeReferenceCorrectionForm,
            inputs.CorrectReferenceInput,
            lambda referral: (
                f"Crime reference corrected to {referral.crime_reference} — check it matches your force's system."
            ),
        ),
    )
}

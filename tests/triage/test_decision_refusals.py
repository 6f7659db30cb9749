"""A refused decision changes nothing; the platform's answer can be recorded for as long as it is owed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hubsite.models import AuditEvent
from hubsite.roles import Role
from reports.models import Category
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import Case, CaseEvent, Force, InfoRequest, Offence, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    return UserFactory(role=Role.OFFICER)


@pytest.fixture
def other():
    return UserFactory(role=Role.OFFICER)


@pytest.fixture
def case():
    return ReportFactory(captured_text="They should all be driven out of town").case


def snapshot(case: Case) -> dict:
    """Everything a decision could write: the case's row, its judged categories, timeline, referrals, questions
    and the audit log."""
    return {
        "row": Case.objects.filter(pk=case.pk).values().get(),
        "categories": sorted(Case.objects.get(pk=case.pk).categories.values_list("slug", flat=True)),
        "events": list(CaseEvent.objects.filter(case=case).values_list("pk", "kind", "note")),
        "referrals": list(Referral.objects.filter(case=case).values_list("pk", "status")),
        "questions": list(InfoRequest.objects.filter(case=case).values_list("pk", flat=True)),
        "audit": AuditEvent.objects.count(),
    }


def every_decision(case: Case, officer):
    """Each decision an officer can take on a case, with the categories it would judge where it takes them."""
    categories = list(Category.objects.all()[:2])
    force = Force.objects.first()
    offences = list(Offence.objects.all()[:1])
    return {
        "dismiss": lambda: casework.case_dismiss(case=case, officer=officer, reason="Not hateful"),
        "no further action": lambda: casework.case_no_further_action(case=case, officer=officer, reason="Old"),
        "request info": lambda: casework.case_request_info(case=case, officer=officer, question="Where?"),
        "report to platform": lambda: casework.case_report_to_platform(
            case=case, officer=officer, note="Reported", categories=categories
        ),
        "platform outcome": lambda: casework.case_record_platform_outcome(
            case=case, officer=officer, outcome="removed"
        ),
        "refer": lambda: casework.case_refer(
            case=case, officer=officer, force=force, offences=offences, summary="Threat", categories=categories
        ),
        "release": lambda: casework.case_release(case=case, officer=officer),
        "claim": lambda: casework.case_claim(case=case, officer=officer),
    }


@pytest.mark.parametrize(
    "decision",
    [
        "dismiss",
        "no further action",
        "request info",
        "report to platform",
        "platform outcome",
        "refer",
        "release",
        "claim",
    ],
)
def test_a_decision_refused_because_another_officer_holds_the_case_changes_nothing(case, holder, other, decision):
    casework.case_claim(case=case, officer=holder)
    if decision == "platform outcome":  # the holder reported it; the answer is owed
        casework.case_report_to_platform(case=case, officer=holder)
    before = snapshot(case)
    with pytest.raises(casework.CaseWorkError):
        every_decision(case, other)[decision]()
    assert snapshot(case) == before


@pytest.mark.parametrize("decision", ["dismiss", "no further action", "request info", "report to platform", "refer"])
def test_a_decision_refused_because_the_case_is_closed_changes_nothing(case, holder, decision):
    casework.case_dismiss(case=case, officer=holder, reason="Not hateful")
    before = snapshot(case)
    with pytest.raises(casework.CaseWorkError, match="already dismissed"):
        every_decision(case, holder)[decision]()
    assert snapshot(case) == before


def test_the_officers_categories_are_written_once_the_decision_is_allowed(case, holder):
    categories = list(Category.objects.all()[:2])
    casework.case_report_to_platform(case=case, officer=holder, categories=categories)
    assert set(Case.objects.get(pk=case.pk).categories.all()) == set(categories)


# The platform clock ------------------------------------------------------------------------------------------


def test_the_platforms_answer_can_be_recorded_after_the_case_was_referred(case, holder):
    casework.case_report_to_platform(case=case, officer=holder)
    casework.case_refer(
        case=case, officer=holder, force=Force.objects.first(), offences=Offence.objects.all()[:1], summary="Threat"
    )
    referred = Case.objects.get(pk=case.pk)
    assert referred.status == Case.Status.REFERRED and referred.platform_report_open
    later = referred.platform_reported_at + timedelta(hours=25)
    assert referred.platform_clock_breached(now=later)
    assert list(Case.objects.platform_clock_breached(later)) == [referred]

    answered = casework.case_record_platform_outcome(case=case, officer=holder, outcome="removed", note="Gone")
    assert answered.status == Case.Status.REFERRED, "the referral stands; only the clock stops"
    assert answered.platform_outcome == "removed" and not answered.platform_report_open
    assert not answered.platform_clock_breached(now=later)
    assert not Case.objects.platform_clock_breached(later).exists()
    assert CaseEvent.objects.filter(case=case, kind="platform_outcome").get().note == "Removed. Gone"


@pytest.mark.parametrize("outcome", ["removed", "still_up", "refused"])
def test_the_platforms_answer_can_be_recorded_after_the_case_was_dismissed(case, holder, outcome):
    casework.case_report_to_platform(case=case, officer=holder)
    casework.case_dismiss(case=case, officer=holder, reason="Duplicate of an older case")
    answered = casework.case_record_platform_outcome(case=case, officer=holder, outcome=outcome)
    assert answered.status == Case.Status.DISMISSED and answered.platform_outcome == outcome


def test_the_answer_is_recorded_once_and_only_for_a_case_reported_to_the_platform(case, holder):
    with pytest.raises(casework.CaseWorkError, match="has not been reported to the platform"):
        casework.case_record_platform_outcome(case=case, officer=holder, outcome="removed")
    casework.case_report_to_platform(case=case, officer=holder)
    casework.case_record_platform_outcome(case=case, officer=holder, outcome="still_up")
    before = snapshot(case)
    with pytest.raises(casework.CaseWorkError, match="already recorded"):
        casework.case_record_platform_outcome(case=case, officer=holder, outcome="removed")
    assert snapshot(case) == before


def test_a_second_platform_report_waits_for_the_first_ones_answer(case, holder):
    casework.case_report_to_platform(case=case, officer=holder)
    casework.case_request_info(case=case, officer=holder, question="Is it still up?")
    before = snapshot(case)
    with pytest.raises(casework.CaseWorkError, match="record its answer first"):
        casework.case_report_to_platform(case=case, officer=holder)
    assert snapshot(case) == before
    assert timezone.now() - Case.objects.get(pk=case.pk).platform_reported_at < timedelta(minutes=1)

"""The reads of cases that pages and API share (triage/selectors.py): what they return, in how many queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hubsite import roles
from hubsite.roles import Role
from reports.models import CounterSpeech, Report
from tests.auth import sign_in_verified
from tests.factories import CaseFactory, ReportFactory, UserFactory
from triage import casework, selectors
from triage.models import Case, Force, InfoAnswer, Offence, Referral
from volunteers.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    person = UserFactory(role=Role.OFFICER)
    # Their permissions read once, as the request's first check does, so that each count below is the read's own.
    person.has_perm(roles.WORK_QUEUE)
    return person


def _busy_case(officer, *, n: int) -> Case:
    """A case with ``n`` of everything its page shows: reports, notes, referrals, counter-speech, questions
    with answers."""
    case = CaseFactory()
    reports = [ReportFactory(case=case) for _ in range(n)]
    force, offences = Force.objects.first(), list(Offence.objects.all()[:2])
    for index, report in enumerate(reports):
        casework.case_add_note(case=case, officer=officer, note=f"Note {index}")
        referral = Referral.objects.create(case=case, force=force, summary="For the force.", sent_by=officer)
        referral.offences.set(offences)
        CounterSpeech.objects.create(
            volunteer=report.reporter,
            case=case,
            post_url=report.post_url,
            normalised_url=report.normalised_url,
            reply_url=f"https://x.com/me/status/{index}",
            replied_at=timezone.now(),
        )
        question = case.info_requests.create(asked_by=officer, question=f"Question {index}")
        InfoAnswer.objects.create(request=question, volunteer=report.reporter, answer="An answer")
    casework.case_claim(case=case, officer=officer)
    return case


def _read_all_of(case: Case) -> None:
    """Everything the case page and the API's case detail read of the case, as they read it."""
    str(case.claimed_by)
    for report in case.reports.all():
        pseudonym(report.reporter)
        list(report.categories.all())
    for event in case.events.all():
        event.actor_label()
    for referral in case.referrals.all():
        str(referral.force)
        list(referral.offences.all())


def _read_the_page_extras_of(case: Case) -> None:
    for reply in case.counter_speech.all():
        pseudonym(reply.volunteer)
    for question in case.info_requests.all():
        for answer in question.answers.all():
            pseudonym(answer.volunteer)


def _queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("select", "reads", "most"),
    [
        (selectors.case_detail, [_read_all_of], 6),
        (selectors.case_detail_for_page, [_read_all_of, _read_the_page_extras_of], 13),
    ],
)
def test_a_case_is_read_in_the_same_number_of_queries_whatever_it_holds(officer, select, reads, most):
    def read(case_id):
        def run():
            case = select(viewer=officer).get(pk=case_id)
            for each in reads:
                each(case)

        return run

    small, large = _busy_case(officer, n=1), _busy_case(officer, n=5)
    assert _queries(read(small.pk)) == _queries(read(large.pk)) <= most


def test_a_cases_reports_come_oldest_first_on_the_page_and_in_the_api(client, officer):
    case = CaseFactory()
    first, second = ReportFactory(case=case), ReportFactory(case=case)
    # The first report saved was captured and sent later (its row was written first, its time is later).
    Report.objects.filter(pk=first.pk).update(created_at=second.created_at + timedelta(minutes=5))
    expected = [second.pk, first.pk]

    assert [report.pk for report in selectors.case_detail(viewer=officer).get(pk=case.pk).reports.all()] == expected
    api = APIClient()
    api.force_authenticate(officer)
    assert [report["id"] for report in api.get(reverse("api:case", args=[case.pk])).json()["reports"]] == expected
    sign_in_verified(client, officer)
    page = client.get(reverse("triage:case", args=[case.pk]))
    assert [report.pk for report in page.context["case"].reports.all()] == expected


def test_nobody_but_an_officer_reads_a_case_or_the_queue():
    ReportFactory()
    for role in (Role.VOLUNTEER, Role.LIAISON, Role.PARTNER):
        person = UserFactory(role=role)
        assert not selectors.case_detail_for_page(viewer=person).exists()
        assert not selectors.case_list(viewer=person, status=selectors.ANY).exists()


def _open_cases(n: int, officer) -> None:
    for index in range(n):
        report = ReportFactory(threat_of_violence=index % 2 == 0)
        if index % 2:
            casework.case_claim(case=report.case, officer=officer)


@pytest.mark.parametrize(("select", "most"), [(selectors.case_list, 2), (selectors.case_list_for_queue_page, 3)])
def test_the_queue_is_read_in_the_same_number_of_queries_whatever_its_length(officer, select, most):
    def read():
        for case in select(viewer=officer):
            str(case.claimed_by)
            list(case.reported_categories.all())
            if select is selectors.case_list_for_queue_page:
                _ = case.reports.all()[0].captured_text, case.referral_overdue

    _open_cases(1, officer)
    one = _queries(read)
    _open_cases(4, officer)
    assert one == _queries(read) <= most


def test_the_queue_by_default_is_the_open_cases_highest_priority_first_oldest_first_on_ties(officer):
    cases = [ReportFactory().case for _ in range(4)]
    Case.objects.filter(pk=cases[0].pk).update(priority=90)
    Case.objects.filter(pk__in=[cases[1].pk, cases[2].pk]).update(priority=50)
    Case.objects.filter(pk=cases[3].pk).update(priority=99, status=Case.Status.DISMISSED)
    Case.objects.filter(pk=cases[2].pk).update(created_at=timezone.now() - timedelta(days=1))
    listed = [case.pk for case in selectors.case_list(viewer=officer)]
    assert listed == [cases[0].pk, cases[2].pk, cases[1].pk]
    assert [case.pk for case in selectors.case_list(viewer=officer, status=selectors.ANY)][0] == cases[3].pk


def test_the_queue_page_and_the_api_list_the_same_cases_in_the_same_order(client, officer):
    _open_cases(6, officer)
    ReportFactory(platform="reddit")
    filters = {"sort": "reports", "flag": "threat_of_violence", "holder": "unassigned"}
    sign_in_verified(client, officer)
    on_page = [case.pk for case in client.get(reverse("triage:queue"), filters).context["cases"]]
    api = APIClient()
    api.force_authenticate(officer)
    through_api = [case["id"] for case in api.get(reverse("api:cases"), filters).json()["results"]]
    assert on_page == through_api and len(on_page) == 3


def test_each_score_band_holds_the_scores_from_its_lower_bound_up_to_the_next_bands(officer):
    bands = {
        None: "unscored",
        0.0: "low",
        0.3499: "low",
        0.35: "medium",
        0.6: "high",
        0.8499: "high",
        0.85: "very_high",
    }
    cases = {}
    for score, band in bands.items():
        case = ReportFactory().case
        Case.objects.filter(pk=case.pk).update(score=score)
        cases.setdefault(band, set()).add(case.pk)
    assert set(selectors.SCORE_FILTERS) == set(cases)
    for band, expected in cases.items():
        assert set(selectors.case_list(viewer=officer, band=band).values_list("pk", flat=True)) == expected


def _referrals(officer, n: int) -> None:
    force, offences = Force.objects.get(slug="kent-police"), list(Offence.objects.all()[:2])
    for _ in range(n):
        referral = Referral.objects.create(case=ReportFactory().case, force=force, summary="For Kent.", sent_by=officer)
        referral.offences.set(offences)


def _read_referrals(viewer) -> int:
    with CaptureQueriesContext(connection) as read:
        for referral in selectors.referrals(viewer=viewer):
            (referral.case.status, referral.force.name, referral.sent_by.username, list(referral.offences.all()))
    return len(read.captured_queries)


def test_referrals_are_read_in_the_same_few_queries_however_many_there_are(officer, liaison_of):
    _referrals(officer, 1)
    one = _read_referrals(officer)
    _referrals(officer, 4)
    assert _read_referrals(officer) == one <= 3
    kent, essex = liaison_of("kent-police"), liaison_of("essex-police")
    assert selectors.referrals(viewer=kent).count() == 5 and not selectors.referrals(viewer=essex).exists()

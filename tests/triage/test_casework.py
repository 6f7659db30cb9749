"""Officers' case work through the services: claims, decisions, the platform clock, referrals, the timeline."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import Case, CaseEvent, Force, ForceLiaison, Offence, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(role=Role.OFFICER)


@pytest.fixture
def case():
    return ReportFactory(captured_text="They should all be driven out of town").case


def kinds(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_a_claimed_case_is_refused_to_another_officer_who_is_told_who_holds_it(case, officer):
    other = UserFactory(role=Role.OFFICER)
    casework.case_claim(case=case, officer=officer)
    with pytest.raises(casework.CaseHeldByAnother, match=officer.username):
        casework.case_claim(case=case, officer=other)
    with pytest.raises(casework.CaseHeldByAnother):
        casework.case_dismiss(case=case, officer=other, reason="Not hateful")
    with pytest.raises(casework.CaseWorkError):
        casework.case_release(case=case, officer=other)
    casework.case_release(case=case, officer=officer)
    assert casework.case_claim(case=case, officer=other).claimed_by == other
    assert kinds(case) == ["reported", "claimed", "released", "claimed"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_at_once_one_wins_and_the_other_is_told(postgresql, reference_data):
    case = ReportFactory().case
    officers = [UserFactory(role=Role.OFFICER) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def claim(officer):
        try:
            barrier.wait()
            casework.case_claim(case=case, officer=officer)
            results[officer.username] = "won"
        except casework.CaseHeldByAnother as refusal:
            results[officer.username] = str(refusal)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values())[-1] == "won" and list(results.values()).count("won") == 1
    winner = Case.objects.get(pk=case.pk).claimed_by
    loser = next(name for name, result in results.items() if result != "won")
    assert results[loser] == f"{winner.username} is working on this case."
    assert CaseEvent.objects.filter(case=case, kind="claimed").count() == 1


def test_dismissing_needs_a_reason_and_closes_the_case_for_every_reporter(case, officer):
    second = ReportFactory(case=case)
    with pytest.raises(casework.CaseWorkError, match="reason"):
        casework.case_dismiss(case=case, officer=officer, reason="  ")
    decided = casework.case_dismiss(
        case=case, officer=officer, reason="Quote of a song lyric", note_for_volunteers="Not hateful in context."
    )
    assert decided.status == Case.Status.DISMISSED and decided.first_decision_at is not None
    for report in (case.reports.first(), second):
        report.refresh_from_db()
        assert report.outcome_for_reporter() == ("Dismissed", "Not hateful in context.")
    event = CaseEvent.objects.get(case=case, kind="dismissed")
    assert (event.actor, event.note) == (officer, "Quote of a song lyric")
    with pytest.raises(casework.CaseWorkError, match="already dismissed"):
        casework.case_no_further_action(case=case, officer=officer, reason="again")


def test_asking_for_more_information_reaches_the_reporters_and_their_answer_reopens_the_case(case, officer):
    reporter = case.reports.get().reporter
    request = casework.case_request_info(case=case, officer=officer, question="Was there an image with it?")
    assert Case.objects.get(pk=case.pk).status == Case.Status.INFO_REQUESTED
    with pytest.raises(casework.CaseWorkError, match="Only the volunteers"):
        casework.info_answer(info_request=request, volunteer=UserFactory(role=Role.VOLUNTEER), answer="yes")
    casework.info_answer(info_request=request, volunteer=reporter, answer="Yes, a picture of a noose.")
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW
    assert kinds(case)[-2:] == ["info_requested", "info_given"]


def test_the_platform_clock_starts_when_reported_and_shows_a_breach_after_24_hours(case, officer):
    decided = casework.case_report_to_platform(case=case, officer=officer, note="Reported via the web form")
    assert decided.status == Case.Status.REPORTED_TO_PLATFORM and decided.platform_reported_at is not None
    assert not decided.platform_clock_breached()
    assert not Case.objects.platform_clock_breached().exists()
    later = decided.platform_reported_at + timedelta(hours=25)
    assert decided.platform_clock_breached(now=later)
    assert list(Case.objects.platform_clock_breached(later)) == [decided]

    still_up = casework.case_record_platform_outcome(case=case, officer=officer, outcome="still_up")
    assert still_up.status == Case.Status.NEW and still_up.platform_outcome == "still_up"
    casework.case_report_to_platform(case=case, officer=officer)
    removed = casework.case_record_platform_outcome(case=case, officer=officer, outcome="removed", note="Gone")
    assert removed.status == Case.Status.REMOVED_BY_PLATFORM
    assert CaseEvent.objects.filter(case=case, kind="platform_outcome").last().note == "Removed. Gone"


def test_a_referral_runs_from_sent_through_acknowledged_and_accepted_to_an_outcome(case, officer):
    force = Force.objects.get(slug="west-midlands-police")
    liaison = UserFactory(role=Role.LIAISON)
    ForceLiaison.objects.create(user=liaison, force=force)
    with pytest.raises(casework.CaseWorkError, match="offence"):
        casework.case_refer(case=case, officer=officer, force=force, offences=[], summary="x")
    referral = casework.case_refer(
        case=case, officer=officer, force=force, offences=Offence.objects.all()[:2], summary="Threat to a mosque."
    )
    assert Case.objects.get(pk=case.pk).status == Case.Status.REFERRED
    assert referral.status == Referral.Status.SENT and referral.offences.count() == 2
    with pytest.raises(casework.CaseWorkError, match="not open"):
        casework.referral_record_outcome(referral=referral, liaison=liaison, outcome_group="charged")
    referral = casework.referral_acknowledge(referral=referral, liaison=liaison)
    acknowledged_at = referral.acknowledged_at
    with pytest.raises(casework.CaseWorkError, match="crime reference"):
        casework.referral_accept(referral=referral, liaison=liaison, crime_reference=" ")
    referral = casework.referral_accept(referral=referral, liaison=liaison, crime_reference="WM-2026-0042")
    assert referral.status == Referral.Status.ACCEPTED and referral.acknowledged_at == acknowledged_at
    referral = casework.referral_record_outcome(
        referral=referral, liaison=liaison, outcome_group="charged", outcome="Suspect charged"
    )
    assert referral.status == Referral.Status.CLOSED
    notes = list(CaseEvent.objects.filter(case=case, kind="referral_updated").values_list("note", flat=True))
    assert notes[1] == "West Midlands Police accepted it as crime WM-2026-0042."


def test_a_declined_referral_needs_a_reason_and_an_unanswered_one_goes_overdue(case, officer, settings):
    force = Force.objects.get(slug="kent-police")
    referral = casework.case_refer(
        case=case, officer=officer, force=force, offences=Offence.objects.all()[:1], summary="s"
    )
    assert not referral.is_overdue()
    later = referral.sent_at + settings.REFERRAL_ACKNOWLEDGE_WITHIN + timedelta(minutes=1)
    assert referral.is_overdue(now=later)
    assert list(Referral.objects.overdue(later)) == [referral]
    with pytest.raises(casework.CaseWorkError, match="reason"):
        casework.referral_decline(referral=referral, liaison=officer, reason="")
    declined = casework.referral_decline(referral=referral, liaison=officer, reason="Outside our area")
    assert declined.status == Referral.Status.DECLINED and declined.acknowledged_at is not None
    assert not declined.is_overdue(now=later)


def test_bulk_close_closes_what_it_can_and_says_why_not_for_the_rest(officer):
    cases = [ReportFactory().case for _ in range(3)]
    casework.case_claim(case=cases[2], officer=UserFactory(role=Role.OFFICER))
    closed, refused = casework.cases_bulk_close(
        case_ids=[case.pk for case in cases], officer=officer, status=Case.Status.DISMISSED, reason="Spam"
    )
    assert closed == 2 and len(refused) == 1 and f"Case {cases[2].pk}" in refused[0]
    assert list(Case.objects.filter(status="dismissed").order_by("pk").values_list("pk", flat=True)) == [
        cases[0].pk,
        cases[1].pk,
    ]


def test_the_timeline_cannot_be_changed_or_deleted_through_the_orm(case, officer):
    event = casework.case_add_note(case=case, officer=officer, note="Checked the account: 40 similar posts")
    event.note = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).update(note="rewritten")
    with pytest.raises(PermissionError):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.get(pk=event.pk).note == "Checked the account: 40 similar posts"


@pytest.mark.services
def test_postgresql_itself_refuses_to_change_the_timeline(postgresql, case, officer):
    from django.db import DatabaseError, transaction

    event = casework.case_add_note(case=case, officer=officer, note="original")
    for statement in (
        "UPDATE triage_caseevent SET note = 'rewritten'",
        "DELETE FROM triage_caseevent",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert CaseEvent.objects.get(pk=event.pk).note == "original"


def test_priority_is_worked_out_when_a_report_joins_and_when_the_case_ages(case):
    before = Case.objects.get(pk=case.pk)
    assert before.priority_reasons[-1] == "new" and before.priority > 0
    ReportFactory(case=case, threat_of_violence=True)
    joined = Case.objects.get(pk=case.pk)
    assert joined.reporter_count == 2 and joined.threat_of_violence
    assert joined.priority > before.priority
    assert joined.priority_reasons[0] == "threat of violence" and "2 reporters" in joined.priority_reasons
    casework.case_priority_refresh(now=timezone.now() + timedelta(hours=30))
    aged = Case.objects.get(pk=case.pk)
    assert aged.priority > joined.priority and "past the 24-hour clock" in aged.priority_reasons[-1]


def test_the_periodic_refresh_runs_from_beat(settings, case):
    from triage.tasks import refresh_priorities

    assert "refresh-priorities" in settings.CELERY_BEAT_SCHEDULE
    Case.objects.filter(pk=case.pk).update(priority=0, priority_reasons=[])
    refresh_priorities.delay()
    assert Case.objects.get(pk=case.pk).priority > 0


def test_the_officers_judgement_of_the_target_becomes_a_training_label(case, officer):
    from reports.models import Category
    from triage.classifier.datasets import load_dataset

    anti_muslim = Category.objects.get(slug="anti-muslim")
    casework.case_refer(
        case=case,
        officer=officer,
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Threat",
        categories=[anti_muslim],
    )
    (example,) = load_dataset("decisions", None).examples
    assert (example.label, example.categories) == (1, ("anti-muslim",))

"""Each change in case work tells the right people, and nobody else, in words safe to e-mail."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from notifications.models import Kind, Notification
from tests.factories import UserFactory
from tests.notifications.conftest import HANDLE, POST_TEXT
from triage import casework
from triage.models import Force, ForceLiaison, Offence
from triage.notices import case_assigned_notify
from volunteers.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db


def told(kind=None):
    rows = Notification.objects.order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)


def assert_safe(notification: Notification, *people) -> None:
    """No post text, handle or volunteer identity in what may be e-mailed."""
    for secret in (POST_TEXT, HANDLE, *(p.username for p in people), *(pseudonym(p) for p in people)):
        assert secret not in notification.message and secret not in notification.link


def _refer(case, officer, force="kent-police"):
    return casework.case_refer(
        case=case,
        officer=officer,
        force=Force.objects.get(slug=force),
        offences=Offence.objects.all()[:1],
        summary="Threatening post.",
    )


def test_a_question_goes_to_each_volunteer_who_reported_the_post_pointing_at_their_own_report(reported, officer):
    case, reports, partner = reported

    question = casework.case_request_info(case=case, officer=officer, question="Was it still up this morning?")

    notes = told()
    assert {n.recipient_id for n in notes} == {r.reporter_id for r in reports}, "no officer, no partner"
    for report in reports:
        mine = next(n for n in notes if n.recipient_id == report.reporter_id)
        assert mine.kind == Kind.QUESTION_ASKED
        assert mine.link == f"{reverse('reports:mine')}#question-{question.pk}"
        assert "Was it still up" not in mine.message  # the officer's own words stay on the page
        assert_safe(mine, *(r.reporter for r in reports))


def test_a_decision_tells_the_reporting_volunteers_what_became_of_it(reported, officer):
    case, reports, partner = reported

    casework.case_dismiss(case=case, officer=officer, reason="Not hateful", note_for_volunteers="Satire.")

    notes = told()
    assert [n.kind for n in notes] == [Kind.CASE_DECIDED] * 2
    assert {n.recipient_id for n in notes} == {r.reporter_id for r in reports}
    first = next(n for n in notes if n.recipient_id == reports[0].reporter_id)
    assert first.message == "An officer has decided about a post you reported: dismissed."
    assert first.link == f"{reverse('reports:mine')}#report-{reports[0].pk}"
    assert "Satire" not in first.message and "Not hateful" not in first.message


def test_a_refused_decision_tells_nobody(reported, officer):
    case, reports, _ = reported
    casework.case_claim(case=case, officer=UserFactory(role=Role.OFFICER))

    with pytest.raises(casework.CaseHeldByAnother):
        casework.case_dismiss(case=case, officer=officer, reason="Not hateful")

    assert told() == []


def test_a_referral_tells_the_forces_liaisons_only_and_the_reporters_it_was_referred(reported, officer, kent_liaison):
    case, reports, _ = reported
    elsewhere = UserFactory(role=Role.LIAISON)
    ForceLiaison.objects.create(user=elsewhere, force=Force.objects.get(slug="west-midlands-police"))

    referral = _refer(case, officer)

    [new] = told(Kind.NEW_REFERRAL)
    assert new.recipient == kent_liaison
    assert new.link == reverse("liaison:referral", args=[referral.pk])
    assert "Kent Police" in new.message and "Threatening post" not in new.message
    assert_safe(new, *(r.reporter for r in reports))
    decided = told(Kind.CASE_DECIDED)
    assert {n.recipient_id for n in decided} == {r.reporter_id for r in reports}
    assert decided[0].message.endswith("referred to a police force.")
    assert not Notification.objects.filter(recipient__in=[elsewhere, officer]).exists()


def test_a_volunteers_answer_goes_to_the_officer_holding_the_case_without_saying_who(reported, officer):
    case, reports, _ = reported
    asker = UserFactory(role=Role.OFFICER)
    question = casework.case_request_info(case=case, officer=asker, question="When did you see it?")
    casework.case_claim(case=case, officer=officer)
    Notification.objects.all().delete()

    casework.info_answer(info_request=question, volunteer=reports[0].reporter, answer="At 9 this morning")

    [answered] = told()
    assert answered.recipient == officer and answered.kind == Kind.VOLUNTEER_ANSWERED
    assert answered.link == reverse("triage:case", args=[case.pk])
    assert "At 9" not in answered.message
    assert_safe(answered, reports[0].reporter)


def test_with_nobody_holding_the_case_the_answer_goes_to_the_officer_who_asked(reported, officer):
    case, reports, _ = reported
    question = casework.case_request_info(case=case, officer=officer, question="When did you see it?")
    Notification.objects.all().delete()

    casework.info_answer(info_request=question, volunteer=reports[1].reporter, answer="Yesterday")

    assert [(n.recipient, n.kind) for n in told()] == [(officer, Kind.VOLUNTEER_ANSWERED)]


def test_the_forces_answers_go_to_the_officer_and_its_outcome_to_the_reporters(reported, officer, kent_liaison):
    case, reports, _ = reported
    referral = _refer(case, officer)
    Notification.objects.all().delete()

    casework.referral_accept(referral=referral, liaison=kent_liaison, crime_reference="46/1234/26")
    [accepted] = told()
    assert accepted.recipient == officer and accepted.kind == Kind.FORCE_ANSWERED
    assert accepted.message == f"Kent Police accepted the referral as a crime (referral of case {case.pk})."
    assert accepted.link == reverse("triage:case", args=[case.pk])

    Notification.objects.all().delete()
    casework.referral_record_outcome(
        referral=referral, liaison=kent_liaison, outcome_group="charged", outcome="Charged under s.127 on 3 March"
    )
    outcome = told(Kind.POLICE_OUTCOME)
    assert {n.recipient_id for n in outcome} == {r.reporter_id for r in reports}
    assert all("s.127" not in n.message for n in outcome)
    assert [n.recipient for n in told(Kind.FORCE_ANSWERED)] == [officer]


def test_the_platforms_answer_is_told_to_the_reporters(reported, officer):
    case, reports, _ = reported
    casework.case_report_to_platform(case=case, officer=officer)
    Notification.objects.all().delete()

    casework.case_record_platform_outcome(case=case, officer=officer, outcome="removed")

    notes = told()
    assert {n.recipient_id for n in notes} == {r.reporter_id for r in reports}
    assert notes[0].message == "The platform has answered about a post you reported: removed."


def test_an_assignment_tells_the_officer_it_was_given_to(reported, officer):
    case, _, _ = reported

    case_assigned_notify(case=case, officer=officer)

    [assigned] = told()
    assert (assigned.recipient, assigned.kind) == (officer, Kind.CASE_ASSIGNED)
    assert assigned.message == f"Case {case.pk} has been assigned to you."


def test_a_closed_account_is_not_told(reported, officer):
    case, reports, _ = reported
    reports[1].reporter.is_active = False
    reports[1].reporter.save()

    casework.case_dismiss(case=case, officer=officer, reason="Not hateful")

    assert [n.recipient_id for n in told()] == [reports[0].reporter_id]


def test_a_holder_whose_account_was_closed_is_passed_over_for_the_officer_who_asked(reported, officer):
    case, reports, _ = reported
    holder = UserFactory(role=Role.OFFICER)
    question = casework.case_request_info(case=case, officer=officer, question="When did you see it?")
    casework.case_claim(case=case, officer=holder)
    holder.is_active = False
    holder.save()
    Notification.objects.all().delete()

    casework.info_answer(info_request=question, volunteer=reports[0].reporter, answer="At 9 this morning")

    assert [(n.recipient, n.kind) for n in told()] == [(officer, Kind.VOLUNTEER_ANSWERED)]


def test_an_answer_whose_holder_and_asker_have_both_gone_is_told_to_every_officer(reported, officer):
    case, reports, _ = reported
    question = casework.case_request_info(case=case, officer=officer, question="When did you see it?")
    officer.is_active = False
    officer.save()
    others = [UserFactory(role=Role.OFFICER), UserFactory(role=Role.OFFICER)]
    Notification.objects.all().delete()

    casework.info_answer(info_request=question, volunteer=reports[0].reporter, answer="At 9 this morning")

    assert sorted(n.recipient_id for n in told()) == sorted(o.pk for o in others)

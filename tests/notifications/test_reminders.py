"""Officers are reminded of referrals a force has not acknowledged and of platform clocks about to run out,
once each however often the sweep runs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.roles import Role
from notifications.models import Kind, Notification
from tests.factories import ReportFactory, UserFactory
from triage import casework, notices, tasks
from triage.models import Case, Force, Offence, Referral
from triage.notices import reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(officer):
    return [officer, UserFactory(role=Role.OFFICER)]


def test_an_overdue_referral_is_told_to_every_officer_once(reported, officers, kent_liaison, settings):
    case, reports, _ = reported
    referral = casework.case_refer(
        case=case,
        officer=officers[0],
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Threat.",
    )
    Notification.objects.all().delete()
    assert reminders_send() == 0, "not overdue yet"
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - settings.REFERRAL_ACKNOWLEDGE_WITHIN * 2)

    tasks.remind_officers.delay()
    tasks.remind_officers.delay()

    # The sweep leaves out, in its query, what it told before.
    assert not Referral.objects.overdue().exclude(notices._told_before("referral-overdue:")).exists()

    told = Notification.objects.all()
    assert sorted(n.recipient_id for n in told) == sorted(o.pk for o in officers)
    assert {n.kind for n in told} == {Kind.REFERRAL_OVERDUE}
    assert told[0].message == f"Kent Police has not acknowledged the referral of case {case.pk} in time."
    assert told[0].link == reverse("triage:referral", args=[referral.pk])


def _reported_to_platform(case, officer, hours_ago: float) -> Case:
    casework.case_report_to_platform(case=case, officer=officer)
    Case.objects.filter(pk=case.pk).update(platform_reported_at=timezone.now() - timedelta(hours=hours_ago))
    Notification.objects.all().delete()
    return Case.objects.get(pk=case.pk)


def test_a_platform_clock_four_hours_from_running_out_is_told_once_to_the_officer_holding_it(
    reported, officers, settings
):
    settings.PLATFORM_CLOCK_HOURS = 24
    case, _, _ = reported
    casework.case_claim(case=case, officer=officers[1])
    case = _reported_to_platform(case, officers[1], hours_ago=19)
    assert reminders_send() == 0, "five hours left"

    Case.objects.filter(pk=case.pk).update(platform_reported_at=timezone.now() - timedelta(hours=20, minutes=30))
    assert reminders_send() == 1
    assert reminders_send() == 0

    [told] = Notification.objects.all()
    assert (told.recipient, told.kind) == (officers[1], Kind.PLATFORM_CLOCK)
    assert f"clock on case {case.pk} runs out at" in told.message
    assert told.link == reverse("triage:case", args=[case.pk])


def test_an_answered_clock_and_a_long_breached_one_are_not_told(reported, officers, settings):
    case, _, _ = reported
    _reported_to_platform(case, officers[0], hours_ago=23)
    casework.case_record_platform_outcome(case=case, officer=officers[0], outcome="removed")
    Notification.objects.all().delete()
    old = ReportFactory().case
    _reported_to_platform(old, officers[0], hours_ago=24 * 5)

    assert reminders_send() == 0
    assert not Notification.objects.exists()


def test_a_clock_with_nobody_holding_the_case_is_told_to_every_officer(reported, officers):
    case, _, _ = reported
    _reported_to_platform(case, officers[0], hours_ago=25)

    reminders_send()

    told = Notification.objects.all()
    assert sorted(n.recipient_id for n in told) == sorted(o.pk for o in officers)
    assert "ran out at" in told[0].message


def test_a_clock_held_by_a_closed_account_is_told_to_every_officer_and_not_looked_at_again(
    reported, officers, django_assert_max_num_queries
):
    case, _, _ = reported
    gone = UserFactory(role=Role.OFFICER)
    casework.case_claim(case=case, officer=gone)
    _reported_to_platform(case, gone, hours_ago=21)
    gone.is_active = False
    gone.save()
    Notification.objects.all().delete()

    assert reminders_send() == 1
    assert sorted(n.recipient_id for n in Notification.objects.all()) == sorted(o.pk for o in officers)
    with django_assert_max_num_queries(2):  # the overdue referrals and the clocks, each already told of
        assert reminders_send() == 0

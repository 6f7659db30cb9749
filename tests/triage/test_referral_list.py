"""The officers' referrals page: every referral with its force, its state and whether it is overdue."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from triage.models import Force, Offence, Referral

pytestmark = pytest.mark.django_db


def _referral(force: str, *, sent_days_ago: float = 0, status=Referral.Status.SENT) -> Referral:
    referral = Referral.objects.create(
        case=ReportFactory().case,
        force=Force.objects.get(slug=force),
        summary="For the force.",
        sent_by=UserFactory(role=Role.OFFICER),
        status=status,
    )
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(days=sent_days_ago))
    referral.offences.set(Offence.objects.all()[:1])
    return referral


def test_officers_see_every_referral_newest_first_with_force_state_and_overdue(client, sign_in):
    late = _referral("kent-police", sent_days_ago=5)
    fresh = _referral("essex-police")
    accepted = _referral("kent-police", sent_days_ago=1, status=Referral.Status.ACCEPTED)
    sign_in(Role.OFFICER)
    page = client.get(reverse("triage:referrals"))
    shown = page.content.decode()
    assert page.status_code == 200
    assert [referral.pk for referral in page.context["referrals"]] == [fresh.pk, accepted.pk, late.pk]
    assert "To Kent Police" in shown and "To Essex Police" in shown and "Accepted" in shown
    assert shown.count("overdue: not acknowledged") == 1
    read = AuditEvent.objects.get(action=AuditEvent.Action.REFERRAL_LIST_VIEWED)
    assert read.detail["referrals"] == [fresh.pk, accepted.pk, late.pk]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"overdue": "on"}, ["late"]),
        ({"status": "accepted"}, ["accepted"]),
        ({"force": "kent"}, ["accepted", "late"]),
        ({"status": "nonsense"}, ["fresh", "accepted", "late"]),
    ],
)
def test_the_list_narrows_by_force_state_or_overdue(client, sign_in, filters, expected):
    made = {
        "late": _referral("kent-police", sent_days_ago=5),
        "fresh": _referral("essex-police"),
        "accepted": _referral("kent-police", sent_days_ago=1, status=Referral.Status.ACCEPTED),
    }
    if filters.get("force") == "kent":
        filters = {"force": str(Force.objects.get(slug="kent-police").pk)}
    sign_in(Role.OFFICER)
    page = client.get(reverse("triage:referrals"), filters)
    assert [referral.pk for referral in page.context["referrals"]] == [made[name].pk for name in expected]
    if filters.get("status") == "nonsense":
        assert "Select a valid choice" in page.content.decode(), "a bad filter is said, and the list left whole"


def test_the_list_is_read_in_the_same_queries_however_long_it_is(client, sign_in):
    sign_in(Role.OFFICER)
    _referral("kent-police")
    client.get(reverse("triage:referrals"))  # what a first request reads once (the session's permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("triage:referrals"))
    for _ in range(5):
        _referral("essex-police", sent_days_ago=3)
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("triage:referrals"))
    assert len(six.captured_queries) == len(one.captured_queries)

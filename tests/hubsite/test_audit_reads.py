"""Reads the audit log keeps: the referral list (page and API), screenshots, and admin pages holding evidence or
people's details."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import Force, ForceLiaison, Offence, Referral

pytestmark = pytest.mark.django_db
A = AuditEvent.Action
WHERE = {"REMOTE_ADDR": "203.0.113.44"}


def entries(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def referral_to(slug: str) -> Referral:
    officer = UserFactory(role=Role.OFFICER)
    return casework.case_refer(
        case=ReportFactory().case,
        officer=officer,
        force=Force.objects.get(slug=slug),
        offences=Offence.objects.all()[:1],
        summary="Threat to a named person.",
    )


def liaison_of(slug: str):
    person = UserFactory(role=Role.LIAISON)
    ForceLiaison.objects.create(user=person, force=Force.objects.get(slug=slug))
    return person


def test_reading_the_referral_list_by_page_or_api_records_which_referrals_were_seen(client):
    kent = [referral_to("kent-police"), referral_to("kent-police")]
    elsewhere = referral_to("west-yorkshire-police")
    liaison = sign_in_verified(client, liaison_of("kent-police"))
    assert client.get(reverse("liaison:referrals"), **WHERE).status_code == 200
    assert client.get(reverse("api:referrals"), **WHERE).status_code == 200
    officer = sign_in_verified(client, UserFactory(role=Role.OFFICER))
    assert client.get(reverse("api:referrals"), {"page": 1}, **WHERE).status_code == 200
    page, api, officers = entries(A.REFERRAL_LIST_VIEWED)
    mine = sorted(referral.pk for referral in kent)
    assert (page.actor, page.address, page.detail["how"]) == (liaison, WHERE["REMOTE_ADDR"], "by the force")
    assert sorted(page.detail["referrals"]) == mine and page.summary == "By the force, page 1: 2 referrals"
    assert (api.actor, sorted(api.detail["referrals"])) == (liaison, mine)
    assert api.summary == "Through the API, page 1: 2 referrals"
    assert officers.actor == officer and sorted(officers.detail["referrals"]) == sorted([*mine, elsewhere.pk])


def test_a_refused_referral_list_records_nothing(client):
    referral_to("kent-police")
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))
    assert client.get(reverse("liaison:referrals")).status_code == 403
    assert client.get(reverse("api:referrals")).status_code == 403
    assert not entries(A.REFERRAL_LIST_VIEWED)


def test_recording_the_list_costs_one_write_however_many_referrals(client, django_assert_max_num_queries):
    sign_in_verified(client, liaison_of("kent-police"))
    referral_to("kent-police")
    with django_assert_max_num_queries(100) as one:
        client.get(reverse("liaison:referrals"))
    for _ in range(3):
        referral_to("kent-police")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("liaison:referrals"))
    assert len(entries(A.REFERRAL_LIST_VIEWED)[-1].detail["referrals"]) == 4


def report_with_screenshot(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory()
    report.screenshot.save("shot.png", ContentFile(b"\x89PNG not decoded here"))
    return report


def test_opening_a_screenshot_is_recorded(client, settings, tmp_path):
    report = report_with_screenshot(settings, tmp_path)
    officer = sign_in_verified(client, UserFactory(role=Role.OFFICER))
    assert client.get(reverse("reports:screenshot", args=[report.pk]), **WHERE).status_code == 200
    (seen,) = entries(A.SCREENSHOT_VIEWED)
    assert (seen.actor, seen.address) == (officer, WHERE["REMOTE_ADDR"])
    assert (seen.object_type, seen.object_id, seen.detail["case"]) == ("reports.report", str(report.pk), report.case_id)


def test_a_refused_screenshot_records_nothing(client, settings, tmp_path):
    report = report_with_screenshot(settings, tmp_path)
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))
    assert client.get(reverse("reports:screenshot", args=[report.pk])).status_code == 404
    assert not entries(A.SCREENSHOT_VIEWED)


def test_opening_a_report_case_referral_or_volunteer_in_the_admin_is_recorded(client):
    referral = referral_to("kent-police")
    report = referral.case.reports.get()
    profile = UserFactory(role=Role.VOLUNTEER).volunteer
    admin_user = sign_in_verified(client, UserFactory(role=Role.ADMIN))
    pages = [
        ("reports_report", report),
        ("triage_case", referral.case),
        ("triage_referral", referral),
        ("volunteers_volunteerprofile", profile),
    ]
    for name, obj in pages:
        response = client.get(reverse(f"admin:{name}_change", args=[obj.pk]), **WHERE)
        assert response.status_code == 200, name
    opened = entries(A.ADMIN_VIEWED)
    assert [(entry.object_type, entry.object_id) for entry in opened] == [
        (obj._meta.label_lower, str(obj.pk)) for _, obj in pages
    ]
    assert {(entry.actor, entry.address) for entry in opened} == {(admin_user, WHERE["REMOTE_ADDR"])}
    assert opened[-1].summary == f"Opened volunteer profile “{profile}” in the admin"


def test_other_admin_pages_and_missing_records_are_not_recorded_as_reads(client):
    sign_in_verified(client, UserFactory(role=Role.ADMIN))
    force = Force.objects.get(slug="kent-police")
    assert client.get(reverse("admin:triage_force_change", args=[force.pk])).status_code == 200
    assert client.get(reverse("admin:triage_case_change", args=[999999])).status_code == 302
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    assert not entries(A.ADMIN_VIEWED)

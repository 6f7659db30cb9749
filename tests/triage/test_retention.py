"""The retention schedule: closed cases' personal data goes on time, each redaction recorded; open cases stay."""

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hubsite.models import AuditEvent
from hubsite.roles import Role
from notifications.models import Delivery, Kind, NotificationPreference
from notifications.services import notification_send
from reports.models import Report
from tests.auth import login_wizard
from tests.factories import TEST_PASSWORD, ReportFactory, UserFactory
from triage.models import Case, CaseEvent
from triage.retention import REDACTED_TEXT, retention_apply

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def closed(status: str, days_ago: int, **report_fields) -> Report:
    report = ReportFactory(author_handle="@poster", notes="Seen it shared by @poster's friends", **report_fields)
    Case.objects.filter(pk=report.case_id).update(status=status, status_changed_at=NOW - timedelta(days=days_ago))
    return report


def test_each_kind_of_closed_case_is_redacted_after_its_own_period(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.RETENTION_DISMISSED_DAYS, settings.RETENTION_PLATFORM_DAYS, settings.RETENTION_REFERRED_DAYS = (
        90,
        365,
        2555,
    )
    due = [
        closed("dismissed", 91),
        closed("no_action", 100),
        closed("removed_by_platform", 366),
        closed("referred", 2556),
    ]
    kept = [
        closed("dismissed", 89),
        closed("removed_by_platform", 200),
        closed("referred", 400),
        closed("new", 5000),  # open: never
        closed("reported_to_platform", 5000),  # still open
    ]
    due[0].screenshot.save("shot.png", ContentFile(b"\x89PNG pretend"))
    shot = tmp_path / due[0].screenshot.name
    assert shot.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the redaction is committed
        assert retention_apply(now=NOW) == 4
    for report in due:
        report.refresh_from_db()
        assert (report.captured_text, report.author_handle, report.notes, report.screenshot.name) == (
            REDACTED_TEXT,
            "",
            "",
            "",
        )
        assert report.redacted_at is not None and report.evidence_sha256  # the digest stays
        assert CaseEvent.objects.filter(case_id=report.case_id, kind=CaseEvent.Kind.REDACTED).exists()
    assert not shot.exists(), "the screenshot file is gone too"
    for report in kept:
        report.refresh_from_db()
        assert report.redacted_at is None and report.captured_text != REDACTED_TEXT and report.notes
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REDACTED).count() == 4
    assert retention_apply(now=NOW) == 0, "a second run finds nothing more"


def test_the_command_says_what_is_due_and_a_dry_run_changes_nothing(capsys):
    report = closed("dismissed", 400)
    call_command("apply_retention", "--dry-run")
    assert "1 reports are due for redaction; nothing changed" in capsys.readouterr().out
    report.refresh_from_db()
    assert report.redacted_at is None
    call_command("apply_retention")
    assert "Redacted 1 reports" in capsys.readouterr().out
    report.refresh_from_db()
    assert report.captured_text == REDACTED_TEXT


def test_officers_see_that_a_report_was_redacted_not_that_its_evidence_was_tampered(client, sign_in):
    report = closed("dismissed", 400)
    retention_apply()
    sign_in(Role.OFFICER)
    page = client.get(reverse("triage:case", args=[report.case_id])).content.decode()
    assert "redacted" in page and "does NOT match" not in page
    assert "Redacted under the retention schedule" in page


def test_the_daily_job_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["apply-retention"]["task"] == "triage.tasks.apply_retention"
    from triage.tasks import apply_retention

    report = closed("dismissed", 400)
    apply_retention()
    report.refresh_from_db()
    assert report.redacted_at is not None


def test_a_subject_access_export_holds_everything_about_the_volunteer_and_is_recorded(client, sign_in, tmp_path):
    from volunteers.models import VolunteerProfile

    volunteer = UserFactory(role=Role.VOLUNTEER, email="amira@example.org")
    VolunteerProfile.objects.filter(user=volunteer).update(full_name="Amira Khan", phone="07700 900123")
    mine = ReportFactory(reporter=volunteer, captured_text="the post I saw")
    other = ReportFactory(captured_text="somebody else's report")
    Client(HTTP_USER_AGENT="Mozilla/5.0 (Android 14; Mobile; rv:130.0) Firefox/130.0").post(
        reverse("two_factor:login"), login_wizard(volunteer.username, TEST_PASSWORD)
    )
    notification_send(recipients=[volunteer], kind=Kind.CASE_DECIDED, message="A decision.", link="/reports/mine/")
    NotificationPreference.objects.create(user=volunteer, kind=Kind.CASE_DECIDED, delivery=Delivery.OFF)
    admin_user = sign_in(Role.ADMIN)
    response = client.post(
        reverse("admin:volunteers_volunteerprofile_changelist"),
        {"action": "subject_access", "_selected_action": [volunteer.volunteer.pk]},
    )
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{volunteer.pk}.json"'
    held = json.loads(response.content)
    assert held["account"]["email"] == "amira@example.org" and held["profile"]["full_name"] == "Amira Khan"
    assert [report["id"] for report in held["reports"]] == [mine.pk]
    assert held["reports"][0]["text_as_captured"] == "the post I saw"
    assert "somebody else's report" not in response.content.decode() and other.reporter.username not in str(held)
    assert {record["module"] for record in held["training"]} >= {"Induction"}
    [device] = held["signed_in_devices"]
    assert device["device"] == "Firefox on Android" and device["address"] == "127.0.0.1"
    assert [note["what"] for note in held["notifications"]] == ["A decision."]
    assert held["notification_choices"] == {Kind.CASE_DECIDED.label: Delivery.OFF.label}
    recorded = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED, object_id=str(volunteer.pk))
    assert recorded.actor == admin_user and "Subject access" in recorded.summary
    output = tmp_path / "held.json"
    call_command("export_volunteer_data", volunteer.username, "--output", str(output))
    assert json.loads(output.read_text())["account"]["username"] == volunteer.username

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hubsite.models import User
from hubsite.roles import Role
from reports.models import Report
from tests.auth import login_wizard

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_demo_user_per_role_and_scored_reports(
    monkeypatch, active_model, client, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force")
    for role in Role:
        user = User.objects.get(username=role.value)
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
        response = client.post(reverse("two_factor:login"), login_wizard(role.value, "a-demo-password"))
        assert response.status_code == 302 and "_auth_user_id" in client.session, role
        client.logout()
    assert User.objects.get(username="admin").is_staff
    reports = Report.objects.filter(reporter__username="volunteer")
    assert reports.count() >= 3
    assert all(report.score_status == Report.ScoreStatus.SCORED for report in reports)
    assert User.objects.get(username="liaison").liaison.force.slug == "west-yorkshire-police"
    partner = User.objects.get(username="partner")
    assert partner.partner_organisation.name == "Community Voices (demo)"
    (sent,) = Report.objects.filter(reporter=partner)
    assert sent.partner_organisation == partner.partner_organisation, "sent for the organisation, as the API does"
    assert sent.case.reports.filter(reporter__username="volunteer").exists(), "a case officers see from both"
    from volunteers.accreditation import reporting_refusal

    assert reporting_refusal(User.objects.get(username="volunteer")) is None, "the demo volunteer may report"
    from notifications.models import Kind, Notification

    told = set(Notification.objects.values_list("recipient__username", "kind"))
    assert {("volunteer", Kind.QUESTION_ASKED), ("liaison", Kind.NEW_REFERRAL)} <= told


def test_seed_demo_can_run_twice(monkeypatch, active_model):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password")
    call_command("seed_demo", "--force")
    count = Report.objects.count()
    call_command("seed_demo", "--force")
    assert User.objects.filter(username__in=[role.value for role in Role]).count() == len(Role)
    assert Report.objects.count() == count


def test_seed_demo_names_the_fix_when_no_password_is_set(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="Set DEMO_PASSWORD"):
        call_command("seed_demo", "--force")


def test_seed_demo_refuses_to_run_on_a_deployment_without_force(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password")
    with pytest.raises(CommandError, match="meant for local use"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()

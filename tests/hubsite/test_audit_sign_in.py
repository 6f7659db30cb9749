"""Failed sign-ins in the audit log: wrong codes after the right password, and suspended accounts."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import authenticator, code_now, login_wizard, token_step
from tests.factories import TEST_PASSWORD, UserFactory
from volunteers.models import VolunteerProfile
from volunteers.services import volunteer_set_status

pytestmark = pytest.mark.django_db
LOGIN = reverse("two_factor:login")
WHERE = {"REMOTE_ADDR": "198.51.100.7"}
SUSPENDED = "This account is suspended; ask the Hub&#x27;s administrators."


def failures():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).order_by("pk"))


@pytest.fixture
def officer_past_the_password(client):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    response = client.post(LOGIN, login_wizard(officer.username, TEST_PASSWORD), **WHERE)
    assert "Enter the six-digit code" in response.content.decode()
    return officer


def test_every_wrong_app_code_is_recorded_with_who_where_and_which_step(client, officer_past_the_password, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause between tries here: each is judged on its code
    officer = officer_past_the_password
    client.post(LOGIN, token_step("000000"), **WHERE)
    client.post(LOGIN, token_step("12ab"), **WHERE)  # not even a code: still a wrong one
    client.post(LOGIN, token_step(""), **WHERE)  # nothing typed: nothing tried
    assert "_auth_user_id" not in client.session
    wrong = failures()
    assert len(wrong) == 2
    for entry in wrong:
        assert (entry.actor, entry.object_type, entry.object_id) == (officer, "hubsite.user", str(officer.pk))
        assert entry.address == WHERE["REMOTE_ADDR"]
        assert entry.detail["step"] == "authenticator app code" and entry.detail["reason"] == "wrong code"
        assert entry.summary == f"Wrong authenticator app code for “{officer.username}” (the password was right)"
    response = client.post(LOGIN, token_step(code_now(authenticator(officer))), **WHERE)
    assert response.status_code == 302 and len(failures()) == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN, actor=officer).exists()


def test_codes_tried_while_paused_are_recorded_as_such(client, officer_past_the_password, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 600
    client.post(LOGIN, token_step("000000"), **WHERE)
    paused = client.post(LOGIN, token_step(code_now(authenticator(officer_past_the_password))), **WHERE)
    assert "Codes are paused for a short while" in paused.content.decode()
    assert [entry.detail["reason"] for entry in failures()] == ["wrong code", "codes paused"]


def test_a_wrong_or_used_backup_code_is_recorded(client, officer_past_the_password):
    officer = officer_past_the_password
    StaticDevice.objects.create(user=officer, name="backup").token_set.create(token="abcd2345")  # noqa: S106
    client.post(LOGIN, {"wizard_goto_step": "backup", "login_view-current_step": "token"}, **WHERE)
    response = client.post(LOGIN, {"login_view-current_step": "backup", "backup-otp_token": "wrong234"}, **WHERE)
    assert "That backup code is not right" in response.content.decode()
    (entry,) = failures()
    assert entry.actor == officer and entry.address == WHERE["REMOTE_ADDR"]
    assert entry.detail["step"] == "backup code" and entry.detail["reason"] == "wrong code"


def suspended_volunteer():
    volunteer = UserFactory(role=Role.VOLUNTEER)
    volunteer_set_status(profile=volunteer.volunteer, status=VolunteerProfile.Status.SUSPENDED)
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    return volunteer


def test_a_suspended_volunteer_is_told_so_and_the_log_says_suspended_account(client):
    volunteer = suspended_volunteer()
    response = client.post(LOGIN, login_wizard(volunteer.username, TEST_PASSWORD), **WHERE)
    page = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert SUSPENDED in page and "Please enter a correct username and password" not in page
    assert f'value="{volunteer.username}"' in page, "the username typed is kept"
    (entry,) = failures()
    assert entry.detail["reason"] == "suspended account" and entry.address == WHERE["REMOTE_ADDR"]
    assert entry.summary.startswith(f"Suspended account “{volunteer.username}”")
    assert "Wrong password" not in entry.summary


def test_a_wrong_password_for_a_suspended_account_reveals_nothing(client):
    volunteer = suspended_volunteer()
    response = client.post(LOGIN, login_wizard(volunteer.username, "not-the-password"), **WHERE)
    page = response.content.decode()
    assert "Please enter a correct username and password" in page and SUSPENDED not in page
    (entry,) = failures()
    assert entry.detail["reason"] == "wrong password"
    assert entry.summary == f"Wrong password for “{volunteer.username}”"


def test_a_suspended_account_still_counts_towards_the_pause(client, settings):
    volunteer = suspended_volunteer()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, login_wizard(volunteer.username, "wrong"), **WHERE)
    paused = client.post(LOGIN, login_wizard(volunteer.username, TEST_PASSWORD), **WHERE)
    assert paused.status_code == 429 and SUSPENDED not in paused.content.decode()


def test_a_reinstated_volunteer_signs_in_again(client):
    volunteer = suspended_volunteer()
    volunteer_set_status(profile=volunteer.volunteer, status=VolunteerProfile.Status.ACTIVE)
    response = client.post(LOGIN, login_wizard(volunteer.username, TEST_PASSWORD), **WHERE)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_volunteer_who_left_is_told_their_account_was_closed_not_suspended(client):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    volunteer_set_status(profile=volunteer.volunteer, status=VolunteerProfile.Status.LEFT)
    page = client.post(LOGIN, login_wizard(volunteer.username, TEST_PASSWORD), **WHERE).content.decode()
    assert "closed when its volunteer left the Hub" in page and SUSPENDED not in page
    (entry,) = failures()
    assert entry.detail["reason"] == "account closed: left the Hub"


@pytest.mark.parametrize("kind", ["active", "suspended", "unknown"])
def test_every_refused_password_costs_one_hash_whatever_the_account(client, kind, monkeypatch):
    """A second hash only for closed accounts would let anyone tell them apart by the time an answer takes."""
    from django.contrib.auth import base_user

    hashed = []
    monkeypatch.setattr(base_user, "check_password", _counting(base_user.check_password, hashed))
    monkeypatch.setattr(base_user, "make_password", _counting(base_user.make_password, hashed))
    username = {"active": lambda: UserFactory(role=Role.VOLUNTEER).username,
                "suspended": lambda: suspended_volunteer().username,
                "unknown": lambda: "nobody-here"}[kind]()  # fmt: skip
    hashed.clear()
    client.post(LOGIN, login_wizard(username, "not-the-password"), **WHERE)
    assert len(hashed) == 1


def _counting(function, calls):
    def counted(*args, **kwargs):
        calls.append(function.__name__)
        return function(*args, **kwargs)

    return counted

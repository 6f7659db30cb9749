"""Signing in: password, then a code for staff; brute force locked out; idle staff signed out."""

import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from hubsite.roles import Role
from hubsite.security import LAST_SEEN
from tests.auth import authenticator, code_now, login_wizard, sign_in_verified, token_step
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("two_factor:login")


def test_wrong_password_is_refused_on_the_same_page_keeping_the_username(client):
    user = UserFactory(role=Role.VOLUNTEER)
    response = client.post(LOGIN, login_wizard(user.username, "wrong"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please enter a correct username and password" in page
    assert f'value="{user.username}"' in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("role", "destination"),
    [(Role.VOLUNTEER, "volunteers:dashboard"), (Role.OFFICER, "triage:queue"), (Role.LIAISON, "liaison:referrals")],
)
def test_sign_in_takes_each_person_to_their_work(client, role, destination):
    user = UserFactory(role=role)
    device = authenticator(user) if role != Role.VOLUNTEER else None
    response = client.post(LOGIN, login_wizard(user.username, TEST_PASSWORD), follow=True)
    if device is not None:
        assert "Enter the six-digit code" in response.content.decode()
        assert "_auth_user_id" not in client.session, "the password alone does not sign staff in"
        response = client.post(LOGIN, token_step(code_now(device)), follow=True)
    assert response.redirect_chain[-1][0] == reverse(destination)


def test_a_wrong_code_is_refused_and_nothing_opens(client):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    client.post(LOGIN, login_wizard(officer.username, TEST_PASSWORD))
    response = client.post(LOGIN, token_step("000000"))
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Six-digit code from your authenticator app" in page, "the field is named as people know it"
    assert "That code is not right, or has run out. Enter the code your app shows now." in page
    assert ">Token<" not in page and "Invalid token" not in page
    assert client.get(reverse("triage:queue")).status_code == 302


def test_a_backup_code_signs_staff_in_once(client):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    backup = StaticDevice.objects.create(user=officer, name="backup")
    backup.token_set.create(token="abcd2345")  # noqa: S106 - a test backup code
    client.post(LOGIN, login_wizard(officer.username, TEST_PASSWORD))
    client.post(LOGIN, {"wizard_goto_step": "backup", "login_view-current_step": "token"})
    response = client.post(LOGIN, {"login_view-current_step": "backup", "backup-otp_token": "abcd2345"})
    assert response.status_code == 302 and client.get(reverse("triage:queue")).status_code == 200
    assert not backup.token_set.exists(), "a backup code works once"


def test_a_wrong_backup_code_is_refused_in_plain_words(client):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    StaticDevice.objects.create(user=officer, name="backup").token_set.create(token="abcd2345")  # noqa: S106
    client.post(LOGIN, login_wizard(officer.username, TEST_PASSWORD))
    client.post(LOGIN, {"wizard_goto_step": "backup", "login_view-current_step": "token"})
    response = client.post(LOGIN, {"login_view-current_step": "backup", "backup-otp_token": "wrong234"})
    page = response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "Backup code" in page and "That backup code is not right, or was used before" in page


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.ADMIN])
def test_staff_without_a_second_step_are_taken_to_set_it_up_and_reach_nothing_else(client, role):
    user = UserFactory(role=role)
    response = client.post(LOGIN, login_wizard(user.username, TEST_PASSWORD), follow=True)
    assert response.redirect_chain[-1][0] == reverse("two_factor:setup")
    assert "Your role needs two-step sign-in" in response.content.decode()
    for name in ("triage:queue", "liaison:referrals", "admin:index", "api:queue"):
        assert client.get(reverse(name))["Location"] == reverse("two_factor:setup"), name


def test_staff_set_up_their_app_on_first_sign_in_then_get_backup_codes(client):
    import base64
    import re

    from django_otp.oath import totp

    officer = UserFactory(role=Role.OFFICER)
    client.post(LOGIN, login_wizard(officer.username, TEST_PASSWORD))
    setup = reverse("two_factor:setup")
    page = client.post(setup, {"setup_view-current_step": "welcome"}).content.decode()
    if "scan this code" not in page:  # more than one kind of device: choose the app
        page = client.post(setup, {"setup_view-current_step": "method", "method-method": "generator"}).content.decode()
    assert "scan this code" in page and reverse("two_factor:qr") in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.post(setup, {"setup_view-current_step": "generator", "generator-token": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" in client.session
    code = f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"
    done = client.post(setup, {"setup_view-current_step": "generator", "generator-token": code})
    assert done["Location"] == reverse("two_factor:setup_complete")
    assert client.get(reverse("triage:queue")).status_code == 200, "signed in with the second step"
    codes = client.post(reverse("two_factor:backup_tokens"))
    assert codes.status_code == 302
    assert StaticDevice.objects.get(user=officer).token_set.count() == 10


def test_a_volunteer_may_opt_in_and_staff_may_not_turn_it_off(client):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    client.post(LOGIN, login_wizard(volunteer.username, TEST_PASSWORD))
    assert client.get(reverse("volunteers:dashboard")).status_code == 200, "volunteers are not made to"
    assert "Set up two-step sign-in" in client.get(reverse("two_factor:profile")).content.decode()
    officer = sign_in_verified(client, UserFactory(role=Role.OFFICER))
    assert "Turn two-step sign-in off" not in client.get(reverse("two_factor:profile")).content.decode()
    assert client.get(reverse("two_factor:disable"))["Location"] == reverse("two_factor:profile")
    assert authenticator(officer).confirmed


def test_too_many_wrong_passwords_lock_the_account_from_that_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(role=Role.VOLUNTEER)
    for _ in range(2):
        assert client.post(LOGIN, login_wizard(user.username, "wrong")).status_code == 200
    locked = client.post(LOGIN, login_wizard(user.username, "wrong"))
    assert locked.status_code == 429 and "Signing in is paused" in locked.content.decode()
    # The right password does not get through while the pause lasts.
    again = client.post(LOGIN, login_wizard(user.username, TEST_PASSWORD))
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    other = UserFactory(role=Role.VOLUNTEER)
    assert client.post(LOGIN, login_wizard(other.username, TEST_PASSWORD)).status_code == 302


def test_idle_staff_are_signed_out_and_active_staff_are_not(client, settings):
    settings.STAFF_IDLE_MINUTES = 30
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    assert client.get(reverse("triage:queue")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("triage:queue")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("triage:queue"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_a_volunteer_is_not_signed_out_for_being_idle(client, settings):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    client.force_login(volunteer)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 3 * 60 * 60
    session.save()
    assert client.get(reverse("volunteers:dashboard")).status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client):
    user = UserFactory(role=Role.VOLUNTEER)
    response = client.post(
        f"{LOGIN}?next={reverse('reports:new')}",
        {**login_wizard(user.username, TEST_PASSWORD), "next": reverse("reports:new")},
    )
    assert response["Location"] == reverse("reports:new")


def test_sign_in_refuses_to_send_people_to_another_site(client):
    user = UserFactory(role=Role.VOLUNTEER)
    response = client.post(f"{LOGIN}?next=https://evil.example/", {**login_wizard(user.username, TEST_PASSWORD)})
    assert response["Location"] == reverse("home")


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get(LOGIN)["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_an_admin_resets_a_lost_phone_and_lifts_a_pause_and_both_are_audited(client, settings):
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hubsite.models import AuditEvent

    settings.AXES_FAILURE_LIMIT = 2
    officer = UserFactory(role=Role.OFFICER)
    device = authenticator(officer)
    for _ in range(2):
        client.post(LOGIN, login_wizard(officer.username, "wrong"))
    attempt = AccessAttempt.objects.get(username=officer.username)
    admin_user = sign_in_verified(client, UserFactory(role=Role.ADMIN))
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=officer).exists() and not AccessAttempt.objects.exists()
    audited = list(AuditEvent.objects.filter(action=AuditEvent.Action.SECURITY_CHANGED).order_by("pk"))
    assert [entry.actor for entry in audited] == [admin_user, admin_user]
    assert "authenticator app removed" in audited[0].summary and "pause lifted" in audited[1].summary
    # The officer signs in with the password again and is taken to set up a new app.
    client.logout()
    response = client.post(LOGIN, login_wizard(officer.username, TEST_PASSWORD), follow=True)
    assert response.redirect_chain[-1][0] == reverse("two_factor:setup")


def test_passwords_are_stored_with_argon2_and_older_hashes_are_replaced_at_sign_in(client, settings):
    """The Hub's own hashers (the suite otherwise hashes fast): an older PBKDF2 hash still signs its owner in,
    and is replaced by an Argon2 one as it does."""
    from django.contrib.auth.hashers import make_password

    from hubsite import settings as hub_settings

    settings.PASSWORD_HASHERS = hub_settings.PASSWORD_HASHERS
    assert make_password(TEST_PASSWORD).startswith("argon2$")
    volunteer = UserFactory(role=Role.VOLUNTEER)
    volunteer.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    volunteer.save(update_fields=["password"])

    client.post(LOGIN, login_wizard(volunteer.username, TEST_PASSWORD))

    volunteer.refresh_from_db()
    assert "_auth_user_id" in client.session
    assert volunteer.password.startswith("argon2$")

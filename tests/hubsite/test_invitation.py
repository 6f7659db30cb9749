"""An admin invites a new account by e-mail: a link to set its first password, which lasts longer than a reset's."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from hubsite.account_mail import invitation_tokens, reset_tokens
from hubsite.accounts import InvitationRefused, user_invite
from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import login_wizard, sign_in_verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:hubsite_user_changelist")
NEW_PASSWORD = "a-new-and-long-password-42"  # noqa: S105 - a test password


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.HUB_BASE_URL = "https://hub.example"


def new_account(**fields):
    person = UserFactory(role=Role.VOLUNTEER, **fields)
    person.set_unusable_password()
    person.save()
    return person


def invite_from_the_admin(client, *people, capture):
    with capture(execute=True):
        return client.post(
            CHANGELIST, {"action": "send_invitation", "_selected_action": [person.pk for person in people]}, follow=True
        )


def test_an_admin_invites_and_the_link_sets_the_first_password(client, smtp_server, django_capture_on_commit_callbacks):
    admin_user = sign_in_verified(client, UserFactory(role=Role.ADMIN))
    newcomer = new_account(email="newcomer@example.org")

    response = invite_from_the_admin(client, newcomer, capture=django_capture_on_commit_callbacks)

    assert "Invitation e-mailed to 1 account." in response.content.decode()
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "newcomer@example.org" and message["Subject"] == "[Hub] Your Hub account"
    body = smtp_server.body(message)
    assert newcomer.username in body and "7 days" in body
    [link] = re.findall(r"https?://\S+", body)
    assert link.startswith("https://hub.example/accounts/invitation/")

    browser = Client()
    form_url = browser.get(urlsplit(link).path)["Location"]
    assert "Choose your password" in browser.get(form_url).content.decode()
    response = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    response = browser.post(reverse("two_factor:login"), login_wizard(newcomer.username, NEW_PASSWORD), follow=True)
    assert response.redirect_chain[-1][0] == reverse("volunteers:dashboard")
    assert "This link does not work any more" in Client().get(urlsplit(link).path, follow=True).content.decode()

    entry = AuditEvent.objects.get(action=AuditEvent.Action.INVITED)
    assert entry.actor == admin_user and entry.object_id == str(newcomer.pk)


def test_an_account_without_an_address_is_named_and_the_others_invited(
    client, smtp_server, django_capture_on_commit_callbacks
):
    sign_in_verified(client, UserFactory(role=Role.ADMIN))
    no_address, invited = new_account(email=""), new_account(email="ok@example.org")

    page = invite_from_the_admin(client, no_address, invited, capture=django_capture_on_commit_callbacks)

    content = page.content.decode()
    assert f"No invitation was sent to {no_address.username}: the account has no e-mail address." in content
    assert "Invitation e-mailed to 1 account." in content
    assert [message["To"] for message in smtp_server.wait_for(2, timeout=2)] == ["ok@example.org"]


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER])
def test_only_admins_can_send_invitations(role, client, smtp_server, django_capture_on_commit_callbacks):
    sign_in_verified(client, UserFactory(role=role))
    newcomer = new_account(email="newcomer@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "send_invitation", "_selected_action": [newcomer.pk]})

    assert response.status_code in (302, 403)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.INVITED).exists()
    assert smtp_server.wait_for(1, timeout=1) == []


def test_a_switched_off_account_is_not_invited():
    with pytest.raises(InvitationRefused, match="switched off"):
        user_invite(user=new_account(email="off@example.org", is_active=False), invited_by=None)


def test_an_invitation_outlives_a_reset_link_and_neither_opens_the_other(settings, monkeypatch):
    settings.PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
    settings.INVITATION_LINK_TIMEOUT = 7 * 24 * 60 * 60
    newcomer = new_account(email="newcomer@example.org")
    invitation, reset = invitation_tokens.make_token(newcomer), reset_tokens.make_token(newcomer)
    assert not invitation_tokens.check_token(newcomer, reset)
    assert not reset_tokens.check_token(newcomer, invitation)

    three_days_on = invitation_tokens._now() + timedelta(days=3)
    monkeypatch.setattr(type(reset_tokens), "_now", lambda self: three_days_on)
    assert invitation_tokens.check_token(newcomer, invitation)
    assert not reset_tokens.check_token(newcomer, reset)

    eight_days_on = three_days_on + timedelta(days=5)
    monkeypatch.setattr(type(reset_tokens), "_now", lambda self: eight_days_on)
    assert not invitation_tokens.check_token(newcomer, invitation)


def test_someone_who_has_set_a_password_is_sent_to_the_reset_instead():
    person = UserFactory(role=Role.VOLUNTEER, email="set@example.org")
    with pytest.raises(InvitationRefused, match="set a password already"):
        user_invite(user=person, invited_by=None)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.INVITED).exists()


def test_an_invitation_that_finally_fails_is_put_in_the_audit_log():
    from hubsite.tasks import invitation_mail

    newcomer = new_account(email="newcomer@example.org")
    invitation_mail.on_failure(ConnectionRefusedError(111, "refused"), "task-id", (newcomer.pk,), {}, None)

    entry = AuditEvent.objects.get(action=AuditEvent.Action.INVITED, object_id=str(newcomer.pk))
    assert entry.summary == f"The invitation e-mail to {newcomer.username} could not be sent: invite them again"


def test_an_invitation_to_an_address_refused_for_good_is_not_retried_and_is_put_in_the_audit_log(smtp_server):
    from hubsite.tasks import invitation_mail

    newcomer = new_account(email="typo@example.org")
    smtp_server.refuse("typo@example.org")

    result = invitation_mail.apply(args=[newcomer.pk])

    assert result.successful() and smtp_server.refusals == 1, "one try: a 550 is the same answer next time"
    entry = AuditEvent.objects.get(action=AuditEvent.Action.INVITED, object_id=str(newcomer.pk))
    assert entry.summary == f"The invitation e-mail to {newcomer.username} could not be sent: invite them again"


def test_an_invitation_already_taken_up_is_not_sent_again(smtp_server):
    from hubsite.tasks import invitation_mail

    newcomer = new_account(email="newcomer@example.org")
    newcomer.set_password(NEW_PASSWORD)
    newcomer.save()
    invitation_mail.apply(args=[newcomer.pk])
    assert smtp_server.wait_for(1, timeout=1) == []

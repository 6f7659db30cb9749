"""A forgotten password reset by e-mail: the mail arrives over SMTP with a link that works once; nothing tells an
unknown address from a known one; requests are limited; staff still give their code after a reset."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from hubsite.models import AuditEvent, SignedInSession
from hubsite.roles import Role
from tests.auth import authenticator, code_now, login_wizard, sign_in_verified, token_step
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
RESET = reverse("password_reset")
LOGIN = reverse("two_factor:login")
NEW_PASSWORD = "a-new-and-long-password-42"  # noqa: S105 - a test password


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.HUB_BASE_URL = "https://hub.example"
    # Each test here counts its own mails; the spacing between one account's mails is the subject of one test.
    settings.PASSWORD_RESET_MAIL_SPACING = timedelta(0)


def ask_for_reset(client, email, capture, **extra):
    with capture(execute=True):
        return client.post(RESET, {"email": email}, **extra)


def link_in(smtp_server, message) -> str:
    body = smtp_server.body(message)
    [link] = re.findall(r"https?://\S+", body)
    return link


def set_password_through(client, link: str, password: str = NEW_PASSWORD):
    """Open the e-mailed link, as a browser does, and choose a password on the page it leads to."""
    assert link.startswith("https://hub.example/accounts/")
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302, "the token moves out of the address before the form is shown"
    form_url = response["Location"]
    assert "set-password" in form_url
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_reset_mail_arrives_and_its_link_sets_a_password_to_sign_in_with(
    client, smtp_server, django_capture_on_commit_callbacks
):
    volunteer = UserFactory(role=Role.VOLUNTEER, email="Sam@Example.org")

    response = ask_for_reset(client, "sam@example.org", django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "Sam@Example.org"
    assert message["Subject"] == "[Hub] Reset your password"
    link = link_in(smtp_server, message)
    assert "/accounts/password-reset/" in link
    body = smtp_server.body(message)
    assert "2 hours" in body and volunteer.username not in body, "a link and what to do, nothing more"

    response = set_password_through(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    assert "_auth_user_id" not in client.session, "a reset never signs anyone in"
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW_PASSWORD)

    response = client.post(LOGIN, login_wizard(volunteer.username, NEW_PASSWORD), follow=True)
    assert response.redirect_chain[-1][0] == reverse("volunteers:dashboard")

    again = Client().get(urlsplit(link).path, follow=True).content.decode()
    assert "This link does not work any more" in again, "a link works once"
    actions = set(AuditEvent.objects.filter(object_id=str(volunteer.pk)).values_list("action", flat=True))
    assert {AuditEvent.Action.PASSWORD_RESET_REQUESTED, AuditEvent.Action.PASSWORD_SET} <= actions


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, smtp_server, django_capture_on_commit_callbacks):
    UserFactory(role=Role.VOLUNTEER, email="known@example.org")

    known = ask_for_reset(client, "known@example.org", django_capture_on_commit_callbacks)
    unknown = ask_for_reset(Client(), "nobody@example.org", django_capture_on_commit_callbacks)

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    known_page = Client().get(known["Location"]).content.decode()
    assert "If an account uses that address, we have sent it a link" in known_page
    smtp_server.wait_for(2, timeout=2)
    assert [message["To"] for message in smtp_server.messages] == ["known@example.org"]
    entry = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_RESET_REQUESTED, object_id="")
    assert "nobody" not in f"{entry.summary} {entry.detail}", "an address someone typed is not kept for years"
    known_entry = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_RESET_REQUESTED, object_id__gt="")
    assert "email" not in known_entry.detail, "the account is the target; the address typed is not needed"


def test_no_reset_for_an_account_switched_off_or_still_waiting_for_its_invitation(
    client, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.VOLUNTEER, email="off@example.org", is_active=False)
    invited = UserFactory(role=Role.VOLUNTEER, email="new@example.org")
    invited.set_unusable_password()
    invited.save()

    ask_for_reset(client, "off@example.org", django_capture_on_commit_callbacks)
    ask_for_reset(client, "new@example.org", django_capture_on_commit_callbacks)

    assert smtp_server.wait_for(1, timeout=1) == []


def test_past_the_limit_for_one_address_the_page_says_sent_and_no_mail_goes(
    client, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 2
    UserFactory(role=Role.VOLUNTEER, email="sam@example.org")
    for _ in range(2):
        assert ask_for_reset(client, "sam@example.org", django_capture_on_commit_callbacks).status_code == 302

    # In other capitals: still the same e-mail address. No refusal to tell the address apart from an unknown one.
    third = ask_for_reset(client, "SAM@example.org", django_capture_on_commit_callbacks)
    unknown = ask_for_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert (third.status_code, third["Location"]) == (unknown.status_code, unknown["Location"])
    assert third["Location"] == reverse("password_reset_done")
    assert len(smtp_server.wait_for(3, timeout=2)) == 2


def test_strangers_asking_from_many_addresses_neither_flood_the_inbox_nor_keep_the_owner_from_a_link(
    client, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_MAIL_SPACING = timedelta(minutes=15)
    settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 3
    owner = UserFactory(role=Role.VOLUNTEER, email="sam@example.org")
    for stranger in range(8):
        for _ in range(3):
            ask_for_reset(
                Client(REMOTE_ADDR=f"198.51.100.{stranger + 1}"), "sam@example.org", django_capture_on_commit_callbacks
            )
    assert len(smtp_server.wait_for(2, timeout=2)) == 1, "one e-mail in the spacing, however many asked"

    asked = ask_for_reset(client, "sam@example.org", django_capture_on_commit_callbacks)
    assert asked["Location"] == reverse("password_reset_done")
    [message] = smtp_server.wait_for(2, timeout=2)
    form = Client().get(urlsplit(link_in(smtp_server, message)).path, follow=True)
    assert "Choose a new password" in form.content.decode(), "the owner's inbox holds a link that works"

    cache.delete(f"password-reset:mail-sent:{owner.pk}")  # the spacing has passed
    ask_for_reset(client, "sam@example.org", django_capture_on_commit_callbacks)
    assert len(smtp_server.wait_for(2)) == 2


def test_requests_from_one_client_address_are_limited(client, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = 3
    answers = [
        ask_for_reset(client, f"someone{n}@example.org", django_capture_on_commit_callbacks).status_code
        for n in range(4)
    ]
    assert answers == [302, 302, 302, 429]
    refused = ask_for_reset(client, "someone9@example.org", django_capture_on_commit_callbacks)
    page = refused.content.decode()
    assert "too many requests to reset a password from here" in page and 'value="someone9@example.org"' in page
    assert ask_for_reset(Client(REMOTE_ADDR="192.0.2.9"), "other@example.org", django_capture_on_commit_callbacks)[
        "Location"
    ] == reverse("password_reset_done")


def test_a_mistyped_address_is_refused_in_plain_words(client):
    response = client.post(RESET, {"email": "not an address"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter an e-mail address like name@example.org." in page and 'value="not an address"' in page


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.ADMIN])
def test_staff_still_give_their_code_after_a_reset(role, client, smtp_server, django_capture_on_commit_callbacks):
    staff = UserFactory(role=role)
    device = authenticator(staff)
    ask_for_reset(client, staff.email, django_capture_on_commit_callbacks)
    [message] = smtp_server.wait_for(1)

    set_password_through(client, link_in(smtp_server, message))

    assert "_auth_user_id" not in client.session
    response = client.post(LOGIN, login_wizard(staff.username, NEW_PASSWORD), follow=True)
    assert "Enter the six-digit code" in response.content.decode()
    assert "_auth_user_id" not in client.session, "the new password alone does not sign staff in"
    response = client.post(LOGIN, token_step(code_now(device)))
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_reset_signs_the_account_out_everywhere(client, smtp_server, django_capture_on_commit_callbacks):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    elsewhere = Client()
    sign_in_verified(elsewhere, volunteer)
    assert elsewhere.get(reverse("volunteers:dashboard")).status_code == 200

    ask_for_reset(client, volunteer.email, django_capture_on_commit_callbacks)
    [message] = smtp_server.wait_for(1)
    set_password_through(client, link_in(smtp_server, message))

    assert not SignedInSession.objects.filter(user=volunteer).exists()
    assert elsewhere.get(reverse("volunteers:dashboard"))["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SESSIONS_ENDED, object_id=str(volunteer.pk)).exists()


def test_a_weak_password_is_refused_on_the_same_page(client, smtp_server, django_capture_on_commit_callbacks):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    ask_for_reset(client, volunteer.email, django_capture_on_commit_callbacks)
    [message] = smtp_server.wait_for(1)

    response = set_password_through(client, link_in(smtp_server, message), password="short")  # noqa: S106

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.check_password(TEST_PASSWORD)


def test_the_sign_in_page_offers_a_reset(client):
    page = client.get(LOGIN).content.decode()
    assert f'href="{RESET}"' in page and "Forgotten your password?" in page


def test_the_mail_task_does_nothing_for_an_account_gone_since(smtp_server):
    from hubsite.tasks import password_reset_mail

    person = UserFactory()
    pk = person.pk
    person.delete()
    password_reset_mail.delay(pk)
    assert smtp_server.wait_for(1, timeout=1) == []


def test_the_mail_tasks_retry_only_what_may_pass_with_a_cap():
    from django.db import InterfaceError, OperationalError

    from hubsite.mail import MailNotSentYet
    from hubsite.tasks import invitation_mail, password_reset_mail

    for task in (password_reset_mail, invitation_mail):
        assert set(task.autoretry_for) == {MailNotSentYet, OperationalError, InterfaceError}
        assert task.max_retries == 6 and task.retry_backoff


def test_an_address_the_mail_server_refuses_for_good_is_not_tried_again(smtp_server):
    from hubsite.tasks import password_reset_mail

    volunteer = UserFactory(role=Role.VOLUNTEER, email="gone@example.org")
    smtp_server.refuse("gone@example.org")

    result = password_reset_mail.apply(args=[volunteer.pk])

    assert result.successful(), "finished, not retrying: a 550 would be the same answer six times"
    assert smtp_server.refusals == 1 and smtp_server.messages == []


def test_the_reset_and_invitation_mails_go_to_the_mail_queue():
    from django.conf import settings

    from hubsite.celery import app

    for name in ("password_reset_mails", "password_reset_mail", "invitation_mail"):
        route = app.amqp.router.route({}, f"hubsite.tasks.{name}")
        assert route["queue"].name == settings.MAIL_QUEUE, name


def test_the_request_does_the_same_work_whether_or_not_the_address_has_an_account(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.VOLUNTEER, email="known@example.org")
    costs = {}
    for email in ("known@example.org", "nobody@example.org"):
        with django_assert_max_num_queries(100) as queries, django_capture_on_commit_callbacks() as queued:
            Client().post(RESET, {"email": email})
        costs[email] = (len(queries.captured_queries), len(queued))
    assert costs["known@example.org"] == costs["nobody@example.org"]
    assert costs["known@example.org"][1] == 1, "one task queued either way; the worker sends, or not"


def test_a_mail_server_that_is_away_is_tried_again_and_nothing_else_is(monkeypatch):
    from celery.exceptions import Retry

    from hubsite import tasks
    from hubsite.mail import MailNotSentYet

    volunteer = UserFactory(role=Role.VOLUNTEER)

    def away(**kwargs):
        raise MailNotSentYet("SMTPServerDisconnected: Connection unexpectedly closed")

    monkeypatch.setattr(tasks, "password_reset_mail_send", away)
    with pytest.raises(Retry):
        tasks.password_reset_mail.delay(volunteer.pk)

    def broken(**kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(tasks, "password_reset_mail_send", broken)
    with pytest.raises(ValueError, match="a bug"):
        tasks.password_reset_mail.delay(volunteer.pk)


def test_a_reset_lifts_a_pause_after_wrong_passwords(client, settings, smtp_server, django_capture_on_commit_callbacks):
    settings.AXES_FAILURE_LIMIT = 2
    volunteer = UserFactory(role=Role.VOLUNTEER)
    for _ in range(2):
        client.post(LOGIN, login_wizard(volunteer.username, "wrong"))
    assert client.post(LOGIN, login_wizard(volunteer.username, TEST_PASSWORD)).status_code == 429

    ask_for_reset(client, volunteer.email, django_capture_on_commit_callbacks)
    [message] = smtp_server.wait_for(1)
    set_password_through(client, link_in(smtp_server, message))

    response = client.post(LOGIN, login_wizard(volunteer.username, NEW_PASSWORD))
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.parametrize("kind", ["reset", "invitation"])
def test_a_link_stops_working_when_the_account_is_switched_off(kind, client):
    from hubsite.account_mail import _link, invitation_tokens, reset_tokens

    person = UserFactory(role=Role.VOLUNTEER)
    if kind == "invitation":
        person.set_unusable_password()
        person.save()
        link = _link("invitation_confirm", person, invitation_tokens)
    else:
        link = _link("password_reset_confirm", person, reset_tokens)
    person.is_active = False
    person.save()

    page = client.get(urlsplit(link).path, follow=True).content.decode()

    assert "This link does not work any more" in page
    person.refresh_from_db()
    assert person.has_usable_password() is (kind == "reset")

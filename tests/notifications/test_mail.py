"""Notification e-mails arrive at a real SMTP server (aiosmtpd, in this process): what changed and the link,
never the post, its author or who reported it; sent once; retried while the server is away; as each person
chose."""

import socket

import pytest
from django.urls import reverse

from hubsite.mail import RETRY, RETRY_ERRORS, MailNotSentYet
from hubsite.roles import Role
from notifications import mail, tasks
from notifications.models import Delivery, Kind, Notification, NotificationPreference
from notifications.services import notification_send
from tests.factories import UserFactory
from tests.notifications.conftest import HANDLE, POST_TEXT
from triage import casework
from volunteers.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hub_address(settings):
    settings.HUB_BASE_URL = "https://hub.example"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def test_a_question_e_mails_each_reporting_volunteer_with_the_link_and_nothing_of_the_post(
    reported, officer, smtp_server, django_capture_on_commit_callbacks
):
    case, reports, partner = reported

    with django_capture_on_commit_callbacks(execute=True):
        question = casework.case_request_info(case=case, officer=officer, question="Is the account still up?")

    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == sorted(r.reporter.email for r in reports)
    for message in messages:
        body = smtp_server.body(message)
        assert message["Subject"] == "[Hub] An officer asks about a post you reported"
        assert "An officer has a question about a post you reported." in body
        assert f"https://hub.example/reports/mine/#question-{question.pk}" in body
        assert f"https://hub.example{reverse('notifications:settings')}" in body
        everything = message.as_string()
        for secret in (POST_TEXT, HANDLE, "Is the account still up", officer.username):
            assert secret not in everything
        for report in reports:
            # Only the person's own address, in the envelope: no reporter's name or pseudonym in what it says.
            assert report.reporter.username not in body + message["Subject"]
            assert pseudonym(report.reporter) not in everything
            if report.reporter.email != message["To"]:
                assert report.reporter.username not in everything
    assert set(Notification.objects.values_list("email", flat=True)) == {Notification.Email.SENT}


def test_an_answer_e_mails_the_officer_without_the_volunteers_identity_or_words(
    reported, officer, smtp_server, django_capture_on_commit_callbacks
):
    case, reports, _ = reported
    question = casework.case_request_info(case=case, officer=officer, question="When?")
    volunteer = reports[0].reporter

    with django_capture_on_commit_callbacks(execute=True):
        casework.info_answer(info_request=question, volunteer=volunteer, answer="Saw it at 9, posted by @poster")

    [message] = smtp_server.wait_for(1)
    assert message["To"] == officer.email
    body = smtp_server.body(message)
    assert f"https://hub.example/triage/cases/{case.pk}/" in body
    for secret in (volunteer.username, pseudonym(volunteer), volunteer.email, "Saw it at 9", "@poster", POST_TEXT):
        assert secret not in message.as_string()


def test_sent_once_however_often_the_task_runs(officer, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notification_send(recipients=[officer], kind=Kind.CASE_ASSIGNED, message="Case 1.", link="/x/")
    smtp_server.wait_for(1)

    tasks.send_notification_email.delay(notification_pk=note.pk)
    tasks.send_notification_email.delay(notification_pk=note.pk)

    assert len(smtp_server.wait_for(2, timeout=1)) == 1
    note.refresh_from_db()
    assert note.email == Notification.Email.SENT and note.emailed_at is not None


def test_a_kind_turned_off_stays_on_the_hub_without_an_e_mail(
    reported, officer, smtp_server, django_capture_on_commit_callbacks
):
    case, reports, _ = reported
    quiet = reports[0].reporter
    NotificationPreference.objects.create(user=quiet, kind=Kind.CASE_DECIDED, delivery=Delivery.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        casework.case_dismiss(case=case, officer=officer, reason="Not hateful")

    [message] = smtp_server.wait_for(2, timeout=1)
    assert message["To"] == reports[1].reporter.email
    kept = Notification.objects.get(recipient=quiet)
    assert kept.email == Notification.Email.NONE and kept.read_at is None


def test_nobody_without_an_address_is_e_mailed(smtp_server, django_capture_on_commit_callbacks):
    person = UserFactory(role=Role.OFFICER, email="")
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notification_send(recipients=[person], kind=Kind.CASE_ASSIGNED, message="Case 1.", link="/x/")
    assert note.email == Notification.Email.NONE
    assert smtp_server.wait_for(1, timeout=0.5) == []


def test_the_daily_digest_sends_one_e_mail_with_each_change_and_then_nothing(
    reported, officer, kent_liaison, smtp_server, django_capture_on_commit_callbacks
):
    case, reports, _ = reported
    NotificationPreference.objects.create(user=officer, kind=Kind.FORCE_ANSWERED, delivery=Delivery.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        referral = casework.case_refer(
            case=case,
            officer=officer,
            force=kent_liaison.liaison.force,
            offences=casework.Offence.objects.all()[:1],
            summary="Threat.",
        )
    arrived = len(smtp_server.wait_for(3))  # the liaison, and the two volunteers
    with django_capture_on_commit_callbacks(execute=True):
        casework.referral_acknowledge(referral=referral, liaison=kent_liaison)
        casework.referral_accept(referral=referral, liaison=kent_liaison, crime_reference="46/1234/26")
    assert len(smtp_server.wait_for(arrived + 1, timeout=0.5)) == arrived, "nothing straight away"

    tasks.send_daily_digests.delay()

    [digest] = smtp_server.wait_for(arrived + 1)[arrived:]
    assert digest["To"] == officer.email
    assert digest["Subject"] == "[Hub] Your daily digest: 2 changes"
    body = smtp_server.body(digest)
    assert "Kent Police acknowledged the referral" in body and "Kent Police accepted the referral" in body
    assert body.count(f"https://hub.example/triage/cases/{case.pk}/") == 2
    assert "46/1234/26" not in body and POST_TEXT not in body
    tasks.send_daily_digests.delay()
    assert len(smtp_server.wait_for(arrived + 2, timeout=0.5)) == arrived + 1


def test_a_mail_server_that_is_away_is_tried_again_and_the_message_then_arrives_once(
    officer, smtp_server, settings, django_capture_on_commit_callbacks
):
    [note] = notification_send(recipients=[officer], kind=Kind.CASE_ASSIGNED, message="Case 7.", link="/x/")
    settings.EMAIL_PORT = closed_port()

    with pytest.raises(MailNotSentYet):
        mail.notification_email_send(notification_pk=note.pk)
    note.refresh_from_db()
    assert note.email == Notification.Email.PENDING, "still waiting, for the retry"
    assert tasks.send_notification_email.autoretry_for == RETRY_ERRORS
    assert MailNotSentYet in RETRY_ERRORS and tasks.send_notification_email.max_retries == 6

    settings.EMAIL_PORT = smtp_server.port
    tasks.send_notification_email.delay(notification_pk=note.pk)

    [message] = smtp_server.wait_for(1)
    assert "Case 7." in smtp_server.body(message)
    note.refresh_from_db()
    assert note.email == Notification.Email.SENT


def test_when_the_retries_are_spent_the_row_says_it_failed_and_why(officer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    [note] = notification_send(recipients=[officer], kind=Kind.CASE_ASSIGNED, message="Case 7.", link="/x/")

    # The last of its retries, as the worker runs it after the earlier ones failed.
    result = tasks.send_notification_email.apply(
        kwargs={"notification_pk": note.pk}, retries=RETRY["max_retries"], throw=False
    )

    assert result.failed()
    note.refresh_from_db()
    assert note.email == Notification.Email.FAILED and "ConnectionRefusedError" in note.email_error


def test_a_message_e_mailed_when_the_broker_was_down_is_queued_again_later(
    officer, smtp_server, settings, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_notification_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notification_send(recipients=[officer], kind=Kind.CASE_ASSIGNED, message="Case 9.", link="/x/")
    monkeypatch.undo()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    Notification.objects.filter(pk=note.pk).update(created_at=note.created_at - tasks.LEFT_BEHIND_AFTER)

    tasks.send_left_behind_email.delay()

    [message] = smtp_server.wait_for(1)
    assert "Case 9." in smtp_server.body(message)

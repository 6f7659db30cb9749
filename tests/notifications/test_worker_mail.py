"""Through Redis to a real Celery worker process on the mail queue: a notification's e-mail is sent there, never
in the request, and a mail server that is away when the worker first tries is tried again until it answers."""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings

from hubsite.roles import Role
from notifications.models import Kind, Notification
from notifications.services import notification_send
from tests.factories import UserFactory
from tests.mail import SmtpServer
from tests.triage.test_worker_integration import empty_broker, start_worker, stop, worker_environment

# The first retry comes within 30 s (the backoff's first step, jittered), the second within 60 s more.
WAIT_SECONDS = 120


@pytest.fixture
def mail_server():
    """An SMTP server on a port chosen now and started only when the test says: away until then."""
    server = SmtpServer()
    yield server
    try:
        server.controller.stop()
    except (AssertionError, RuntimeError):
        pass  # never started


@pytest.fixture
def celery_worker_process(postgresql, redis_broker, model_dir, mail_server):
    """A worker in its own process taking the mail queue, its mail going to ``mail_server``'s port."""
    empty_broker(redis_broker)
    environment = worker_environment(
        postgresql,
        redis_broker,
        model_dir,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
        HUB_BASE_URL="https://hub.example",
    )
    worker, log = start_worker(environment, queue=django_settings.MAIL_QUEUE)
    yield log
    stop(worker)


def _wait_for(condition, what: str, log: list[str]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen in time:\n" + "".join(log[-40:]))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_until_the_mail_server_answers_then_sends_once(
    reference_data, celery_worker_process, mail_server
):
    log = celery_worker_process
    officer = UserFactory(role=Role.OFFICER)

    [note] = notification_send(
        recipients=[officer], kind=Kind.CASE_ASSIGNED, message="Case 12 has been assigned to you.", link="/x/"
    )

    _wait_for(lambda: any("retry" in line.lower() for line in log), "A retry of the send", log)
    note.refresh_from_db()
    assert note.email == Notification.Email.PENDING, "waiting for the mail server, not given up"
    mail_server.controller.start()

    [message] = mail_server.wait_for(1, timeout=WAIT_SECONDS)
    assert message["To"] == officer.email
    assert "https://hub.example/x/" in SmtpServer.body(message)
    _wait_for(lambda: Notification.objects.get(pk=note.pk).email == Notification.Email.SENT, "Marked sent", log)
    assert len(mail_server.wait_for(2, timeout=2)) == 1

"""The one way the Hub sends an e-mail (notifications, password resets, invitations), and the one rule for
whether a failed send is worth trying again. Settings' EMAIL_* say where the mail goes.

A mail server that is away, or answers 4xx ("try later"), may take the message later: the caller's task retries.
A 5xx answer, a refused recipient or a failed sign-in to the server will be the same next time: retrying would
only send the same refusal six times, so the send reports it instead and the caller records it where people look.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)


class MailNotSentYet(Exception):
    """The mail server could not take the message now (down, unreachable, or a 4xx answer): worth retrying."""


# What every e-mail task retries: the mail server could not take it now, or the database connection dropped.
# A refusal for good is not among them: the same answer would come six times.
RETRY_ERRORS = (MailNotSentYet, OperationalError, InterfaceError)
# Six retries, each after a random wait of up to 30 s doubling, at most 10 minutes: about 25 minutes at most.
RETRY = {"max_retries": 6, "retry_backoff": 30, "retry_backoff_max": 600, "retry_jitter": True}


def temporary(error: Exception) -> bool:
    """Whether trying again later may succeed. 5xx answers and refused recipients are final; so is a message
    the server rejected for what it is. Connection failures and 4xx answers are not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    return isinstance(error, OSError)  # refused, reset, timed out, no route to the host


def deliver(*, to: str, subject: str, body: str) -> str:
    """Send one message (the subject gets EMAIL_SUBJECT_PREFIX); an empty string when it went, or why it never
    will. Raises MailNotSentYet when it is worth retrying."""
    message = EmailMessage(subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", body=body, to=[to])
    try:
        message.send(fail_silently=False)
    except Exception as error:
        if temporary(error):
            raise MailNotSentYet(f"{type(error).__name__}: {error}") from error
        logger.warning("The mail server refused an e-mail for good: %r", error)
        return f"{type(error).__name__}: {error}"
    return ""

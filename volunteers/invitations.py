"""Invitations: an e-mail to a person an admin added, with a link to set their password.

The link is Django's password reset confirmation (``password_reset_confirm``) with a token from
``default_token_generator``: it works once, only until the person sets a password or signs in, and for
``PASSWORD_RESET_TIMEOUT`` seconds at most. Nothing about the token is stored. The e-mail goes from a worker, so
a slow mail server never holds up the admin's page; ``volunteers.services.invite`` queues it once the account is
committed.
"""

from __future__ import annotations

import logging
import smtplib

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from hubsite.audit import audit_record
from hubsite.models import AuditEvent, User

logger = logging.getLogger(__name__)

# Worth another try later: the database, the broker or the mail server could not be reached or hung up. A mail
# server refusing the address or the message is not (smtplib's other errors).
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
)

SUBJECT = "You are invited to the Hub: set your password"


def invitation_link(user: User) -> str:
    """The absolute address where ``user`` sets their password."""
    uidb64, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    return settings.HUB_BASE_URL + path


def invitation_body(user: User, link: str) -> str:
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    return (
        f"Hello,\n\n"
        f"An administrator of the Hub has made you an account with the username {user.get_username()}.\n\n"
        f"Open this link to choose your password:\n\n{link}\n\n"
        f"The link works once, for {days} day{'s' if days != 1 else ''}. If it has run out, ask your volunteer "
        "coordinator for a new invitation.\n\n"
        "If you did not expect this e-mail, you can ignore it: nothing happens until the link is opened.\n"
    )


def invitation_send(*, user_pk: int) -> bool:
    """Send the invitation now. Returns False, sending nothing, when there is no one left to invite: the account
    is gone, switched off, has no e-mail address, or its password is already set (a repeated task after the
    person used the first link)."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not user.email or user.has_usable_password():
        return False
    send_mail(SUBJECT, invitation_body(user, invitation_link(user)), None, [user.email])
    return True


class InvitationTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # No row holds the invitation's state, so a final failure goes where admins look: the audit log.
        user_pk = kwargs.get("user_pk", args[0] if args else None)
        logger.error("The invitation e-mail to user %s could not be sent: %r", user_pk, exc)
        try:
            user = User.objects.filter(pk=user_pk).first()
            audit_record(
                AuditEvent.Action.SECURITY_CHANGED,
                target=user,
                summary=f"The invitation e-mail to {user.get_username() if user else user_pk} could not be sent: "
                "invite them again",
                error=repr(exc)[:300],
            )
        except Exception:  # the database may be what failed; the log above still says so
            logger.exception("Could not record the failed invitation of user %s", user_pk)


@shared_task(
    base=InvitationTask,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
)
def send_invitation(user_pk: int) -> None:
    invitation_send(user_pk=user_pk)


def invitation_enqueue(*, user_pk: int) -> bool:
    """Queue the invitation e-mail. Never raises: with the broker down the admin sends the invitation again
    from the volunteer list (the failure is logged)."""
    try:
        send_invitation.delay(user_pk=user_pk)
    except Exception:  # the broker may be down in any of several ways
        logger.error("Could not queue the invitation e-mail to user %s", user_pk, exc_info=True)
        return False
    return True

"""Periodic housekeeping of the Hub itself."""

import logging
from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from hubsite.account_mail import invitation_mail_send, password_reset_mail_send
from hubsite.audit import audit_purge, audit_record
from hubsite.mail import RETRY, RETRY_ERRORS
from hubsite.models import AuditEvent
from hubsite.periodic import periodic_job
from hubsite.signed_in import sessions_clear_expired

logger = logging.getLogger(__name__)


@periodic_job(
    lock="purge-audit-log",
    queue=settings.HOUSEKEEPING_QUEUE,
    soft_time_limit=timedelta(minutes=55),
    time_limit=timedelta(hours=1),
)
def purge_audit_log() -> None:
    """Remove audit entries past their retention."""
    removed = audit_purge()
    logger.info("Removed %s audit entries past their retention", removed)


@periodic_job(
    lock="clear-expired-sessions",
    queue=settings.HOUSEKEEPING_QUEUE,
    soft_time_limit=timedelta(minutes=25),
    time_limit=timedelta(minutes=30),
)
def clear_expired_sessions() -> None:
    """Expired sessions go, and the signed-in devices they stood for with them."""
    removed = sessions_clear_expired()
    logger.info("Removed %s expired sessions", removed)


def _active_user(user_pk: int):
    return get_user_model().objects.filter(pk=user_pk, is_active=True).exclude(email="").first()


def _invitation_not_sent(user_pk, error) -> None:
    # No row holds an invitation's state, so its failure goes where admins look: the audit log.
    logger.error("The invitation e-mail to user %s could not be sent: %s", user_pk, error)
    user = get_user_model().objects.filter(pk=user_pk).first()
    if user is not None:
        audit_record(
            AuditEvent.Action.INVITED,
            target=user,
            summary=f"The invitation e-mail to {user.get_username()} could not be sent: invite them again",
            failed=True,
        )


@shared_task
def password_reset_mails(user_pks: list[int]) -> None:
    """A reset was asked for: one mail per account the address reached (none, most often, for a mistyped one)."""
    for user_pk in user_pks:
        password_reset_mail.delay(user_pk)


@shared_task(autoretry_for=RETRY_ERRORS, **RETRY)
def password_reset_mail(user_pk: int) -> None:
    """Sends the reset link. Gone, switched off or without a password by now: nothing to send. Run twice, the
    person gets two links, each of which works until the password is set."""
    user = _active_user(user_pk)
    if user is None or not user.has_usable_password():
        return
    refused = password_reset_mail_send(user=user)
    if refused:
        # The person asked and waits; asking again reaches the same refusal, so the log is where this shows.
        logger.warning("The reset e-mail to user %s was refused for good: %s", user_pk, refused)


class InvitationMailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        _invitation_not_sent(kwargs.get("user_pk", args[0] if args else None), repr(exc))


@shared_task(base=InvitationMailTask, autoretry_for=RETRY_ERRORS, **RETRY)
def invitation_mail(user_pk: int) -> None:
    """Sends an invitation's link to set a password. Run again after the person chose one: nothing to send."""
    user = _active_user(user_pk)
    if user is None or user.has_usable_password():
        return
    refused = invitation_mail_send(user=user)
    if refused:
        _invitation_not_sent(user_pk, refused)

"""Celery tasks that e-mail notifications, the functions that queue them (services import these, never the
other way round), and the periodic jobs. Sending never happens in a request: only here, on the mail queue."""

from __future__ import annotations

import inspect
import logging
from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings

from hubsite.mail import RETRY, RETRY_ERRORS
from hubsite.periodic import periodic_job
from notifications import mail, retention

logger = logging.getLogger(__name__)

# A notification still waiting this long was lost on the way to the broker (longer than every retry above).
LEFT_BEHIND_AFTER = timedelta(hours=1)


class NotificationEmailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        try:
            pk = inspect.signature(self.run).bind(*args, **kwargs).arguments.get("notification_pk")
        except TypeError:
            pk = None
        logger.error("E-mailing notification %s failed for good: %r", pk, exc)
        if pk is not None:
            try:
                mail.notification_email_mark_failed(notification_pk=pk, error=repr(exc))
            except Exception:  # the database may be what failed; the row stays pending and is queued again
                logger.exception("Could not record the failed e-mail of notification %s", pk)


@shared_task(base=NotificationEmailTask, autoretry_for=RETRY_ERRORS, **RETRY)
def send_notification_email(notification_pk: int) -> None:
    mail.notification_email_send(notification_pk=notification_pk)


# A digest that could not go stays waiting, and goes with the next day's.
@shared_task(autoretry_for=RETRY_ERRORS, **RETRY)
def send_digest(user_pk: int) -> None:
    mail.digest_send(user_pk=user_pk)


def email_enqueue(*, notification_pks: list[int]) -> None:
    """Queue the e-mail of each notification. Never raises: what the broker did not take stays pending, and
    the periodic ``send_left_behind_email`` queues it again."""
    for pk in notification_pks:
        try:
            send_notification_email.delay(notification_pk=pk)
        except Exception:  # the broker may be down in any of several ways; the row is safe
            logger.warning("Could not queue the e-mail of notification %s; it is queued again later", pk)


@periodic_job(lock="send-daily-digests", queue=settings.HOUSEKEEPING_QUEUE)
def send_daily_digests() -> None:
    people = mail.digest_recipients()
    for user_pk in people:
        send_digest.delay(user_pk=user_pk)
    logger.info("Queued the daily digest of %s people", len(people))


@periodic_job(lock="send-left-behind-email", queue=settings.HOUSEKEEPING_QUEUE)
def send_left_behind_email() -> None:
    left = mail.pending_email_left_behind(older_than=LEFT_BEHIND_AFTER)
    email_enqueue(notification_pks=left)
    if left:
        logger.info("Queued again the e-mail of %s notifications", len(left))


@periodic_job(lock="purge-old-notifications", queue=settings.HOUSEKEEPING_QUEUE)
def purge_old_notifications() -> None:
    removed = retention.notifications_purge(older_than=settings.NOTIFICATION_RETENTION)
    logger.info("Removed %s notifications past their retention", removed)

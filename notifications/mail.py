"""Sending notifications by e-mail, through the Hub's one sending function (hubsite/mail.py).

An e-mail says what changed and links to the page: the message was written without a post's text, a handle or
a volunteer's identity, and nothing else from the Hub goes into it.

Each send locks its rows for the time of the send: a second run of the same task (the broker handing a message
to a second worker) skips rows another run holds and finds them sent once it commits, so nobody gets the same
e-mail twice from the Hub. A worker that dies mid-send leaves the rows waiting, and the redelivered task sends
them; that is the one case where a message may arrive twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hubsite.mail import deliver
from notifications.models import Notification


def absolute(path: str) -> str:
    return f"{settings.HUB_BASE_URL}{path}"


def _footer() -> str:
    return (
        "\n\nYou receive this because of your notification settings on the Hub. To choose which e-mails you get, "
        f"or to stop them: {absolute(reverse('notifications:settings'))}\n"
    )


def _locked(queryset):
    # Only the notification rows are locked (not their recipients), and rows another run holds are skipped.
    return queryset.select_for_update(skip_locked=True, of=("self",)).select_related("recipient")


def notification_email_send(*, notification_pk: int) -> bool:
    """E-mail one notification whose person wants it straight away. Returns whether a message went."""
    with transaction.atomic():
        notification = _locked(Notification.objects.filter(pk=notification_pk, email=Notification.Email.PENDING))
        notification = notification.first()
        if notification is None:
            return False  # gone, already sent, or another run is sending it
        person = notification.recipient
        if not person.is_active or not person.email:
            Notification.objects.filter(pk=notification.pk).update(email=Notification.Email.NONE)
            return False
        body = f"{notification.message}\n\nSee it on the Hub: {absolute(notification.link)}" + _footer()
        refused = deliver(to=person.email, subject=notification.get_kind_display(), body=body)
        Notification.objects.filter(pk=notification.pk).update(
            email=Notification.Email.FAILED if refused else Notification.Email.SENT,
            emailed_at=timezone.now(),
            email_error=refused,
        )
        return not refused


def notification_email_mark_failed(*, notification_pk: int, error: str) -> None:
    """The retries are spent: the row says so, and why, rather than waiting for ever."""
    Notification.objects.filter(pk=notification_pk, email=Notification.Email.PENDING).update(
        email=Notification.Email.FAILED, email_error=error[:2000]
    )


def digest_send(*, user_pk: int) -> int:
    """One e-mail with every notification waiting for this person's daily digest. Returns how many it held."""
    with transaction.atomic():
        waiting = list(
            _locked(Notification.objects.filter(recipient_id=user_pk, email=Notification.Email.DIGEST)).order_by(
                "created_at", "pk"
            )
        )
        if not waiting:
            return 0
        person = waiting[0].recipient
        pks = [notification.pk for notification in waiting]
        if not person.is_active or not person.email:
            Notification.objects.filter(pk__in=pks).update(email=Notification.Email.NONE)
            return 0
        lines = [f"- {notification.message}\n  {absolute(notification.link)}" for notification in waiting]
        count = len(waiting)
        body = (
            f"{count} thing{'s' if count != 1 else ''} changed on the Hub for you since your last digest:\n\n"
            + "\n\n".join(lines)
            + _footer()
        )
        subject = f"Your daily digest: {count} change{'s' if count != 1 else ''}"
        refused = deliver(to=person.email, subject=subject, body=body)
        Notification.objects.filter(pk__in=pks).update(
            email=Notification.Email.FAILED if refused else Notification.Email.SENT,
            emailed_at=timezone.now(),
            email_error=refused,
        )
        return count


def digest_recipients() -> list[int]:
    """The people with notifications waiting for their digest."""
    return list(
        Notification.objects.filter(email=Notification.Email.DIGEST)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def pending_email_left_behind(*, older_than, limit: int = 500) -> list[int]:
    """Notifications to e-mail straight away that are still waiting long after they were made: their task never
    reached the broker (it was down when the change was committed)."""
    return list(
        Notification.objects.filter(email=Notification.Email.PENDING, created_at__lt=timezone.now() - older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )

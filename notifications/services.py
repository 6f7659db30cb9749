"""Writes for notifications: telling people what changed, marking what they read, and their choices.

``notification_send`` runs inside the caller's transaction, so a notification exists exactly when the change it
tells of was committed; its e-mail is queued only once that transaction commits, and never sent in the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from hubsite.models import User
from notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
    NotifiedOnce,
    kinds_for,
)
from notifications.tasks import email_enqueue


def _email_state(user: User, delivery: str) -> str:
    if not user.email or delivery == Delivery.OFF:
        return Notification.Email.NONE
    if delivery == Delivery.DAILY:
        return Notification.Email.DIGEST
    return Notification.Email.PENDING


def _first_time(key: str) -> bool:
    """Whether this is the first time ``key`` is told about. The unique key decides, so two sweeps running at
    once cannot both tell it: the second waits for the first's transaction and then finds the key taken."""
    try:
        with transaction.atomic():
            NotifiedOnce.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def notification_send(
    *,
    recipients: Iterable[User],
    kind: Kind,
    message: str,
    link: str,
    links: Mapping[int, str] | None = None,
    once: str = "",
) -> list[Notification]:
    """Tell each of ``recipients`` (once each, active accounts only) that something changed.

    ``message`` is one plain sentence saying what changed, without a post's text, a handle or a volunteer's
    identity: it goes out by e-mail. ``link`` is the path of the page that shows it; ``links`` gives some
    recipients a page of their own (a volunteer's own report). With ``once``, an event found again by a later
    sweep is not told twice.

    Each person's preference for ``kind`` decides the e-mail: straight away (queued when the caller's
    transaction commits), in the daily digest, or none; the notification on the Hub is made whatever they chose.
    """
    if len(message) > Notification._meta.get_field("message").max_length:
        raise ValueError("A notification's message is one short sentence.")
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return []
    with transaction.atomic():
        if once and not _first_time(once):
            return []
        chosen = dict(
            NotificationPreference.objects.filter(user_id__in=people, kind=kind).values_list("user_id", "delivery")
        )
        now = timezone.now()
        made = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    kind=kind,
                    message=message,
                    link=(links or {}).get(pk, link),
                    created_at=now,
                    email=_email_state(user, chosen.get(pk, DEFAULT_DELIVERY[kind])),
                )
                for pk, user in people.items()
            ]
        )
        to_email = [notification.pk for notification in made if notification.email == Notification.Email.PENDING]
        if to_email:
            transaction.on_commit(partial(email_enqueue, notification_pks=to_email))
    return made


def notifications_mark_read(*, user: User, notification_pks: Iterable[int] | None = None) -> int:
    """Mark the person's own unread notifications read: those given, or all of them. Returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_pks is not None:
        unread = unread.filter(pk__in=list(notification_pks))
    return unread.update(read_at=timezone.now())


def notification_preferences_save(*, user: User, choices: Mapping[str, str]) -> None:
    """Store how the person wants each kind delivered. Only kinds their role can receive are kept."""
    allowed = set(kinds_for(user))
    with transaction.atomic():
        for kind, delivery in choices.items():
            if kind not in allowed:
                continue
            if delivery not in Delivery.values:
                raise ValueError(f"Unknown delivery {delivery!r}")
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})

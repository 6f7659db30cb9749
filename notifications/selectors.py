"""Reads of a person's own notifications and choices."""

from __future__ import annotations

from hubsite.models import User
from notifications.models import DEFAULT_DELIVERY, Kind, Notification, NotificationPreference, kinds_for


def notification_list(*, viewer: User):
    """The viewer's notifications, newest first: nobody reads another's."""
    return Notification.objects.for_user(viewer).order_by("-created_at", "-pk")


def unread_count(*, viewer: User) -> int:
    """What the navigation bar shows: one count on a partial index."""
    return Notification.objects.for_user(viewer).unread().count()


def notification_preferences(*, viewer: User) -> dict[Kind, str]:
    """How the viewer receives each kind their role can receive: their choice, or the default."""
    chosen = dict(NotificationPreference.objects.filter(user=viewer).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in kinds_for(viewer)}

"""How long notifications are kept."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from notifications.models import Notification


def notifications_purge(*, older_than: timedelta) -> int:
    """Remove notifications made longer than ``older_than`` ago, read or not: each said what changed, and the
    pages keep what did. Returns how many went."""
    removed, _ = Notification.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return removed

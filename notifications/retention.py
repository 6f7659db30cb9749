"""How long notifications are kept."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from notifications.models import Notification, NotifiedOnce


def notifications_purge(*, older_than: timedelta) -> int:
    """Remove notifications made longer than ``older_than`` ago, read or not: each said what changed, and the
    pages keep what did. Returns how many went."""
    cutoff = timezone.now() - older_than
    removed, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    # The marks of events told once go with them: a referral still unacknowledged after all that time is told
    # of again, which is no harm.
    NotifiedOnce.objects.filter(created_at__lt=cutoff).delete()
    return removed

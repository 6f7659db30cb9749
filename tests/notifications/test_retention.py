"""Notifications are kept for NOTIFICATION_RETENTION, then removed by a daily job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import tasks
from notifications.models import Kind, Notification, NotifiedOnce
from notifications.services import notification_send

pytestmark = pytest.mark.django_db


def test_notifications_past_their_retention_are_removed_read_or_not(officer, settings):
    settings.NOTIFICATION_RETENTION = timedelta(days=30)
    old, new = (
        notification_send(recipients=[officer], kind=Kind.CASE_ASSIGNED, message=f"Case {n}.", link="/x/")[0]
        for n in (1, 2)
    )
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))

    tasks.purge_old_notifications.delay()

    assert list(Notification.objects.values_list("pk", flat=True)) == [new.pk]


def test_the_marks_of_events_told_once_go_with_them(officer, settings):
    settings.NOTIFICATION_RETENTION = timedelta(days=30)
    for key in ("referral-overdue:1", "referral-overdue:2"):
        notification_send(recipients=[officer], kind=Kind.REFERRAL_OVERDUE, message="Late.", link="/x/", once=key)
    NotifiedOnce.objects.filter(key="referral-overdue:1").update(created_at=timezone.now() - timedelta(days=31))

    tasks.purge_old_notifications.delay()

    assert list(NotifiedOnce.objects.values_list("key", flat=True)) == ["referral-overdue:2"]

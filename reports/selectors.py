"""Reads about reports that more than one caller needs."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hubsite.models import User
from reports.models import Report


def reports_sent_in_last_hour(reporter: User) -> int:
    return Report.objects.filter(reporter=reporter, created_at__gte=timezone.now() - timedelta(hours=1)).count()

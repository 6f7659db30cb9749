"""A volunteer's exposure to hateful content: how many posts they reported, per day and per week.

Reading hate takes a toll. The counts are shown to the volunteer and to admins;
on reaching the soft limits (``WELLBEING_DAILY_SOFT_LIMIT`` and
``WELLBEING_WEEKLY_SOFT_LIMIT``) the Hub suggests a break. Nothing is refused:
the hourly quota is the only hard limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from reports.models import Report

# "This week" is the last seven days, today included.
WEEK_DAYS = 7


@dataclass(frozen=True)
class Exposure:
    today: int = 0
    this_week: int = 0

    @property
    def daily_limit(self) -> int:
        return settings.WELLBEING_DAILY_SOFT_LIMIT

    @property
    def weekly_limit(self) -> int:
        return settings.WELLBEING_WEEKLY_SOFT_LIMIT

    @property
    def over_daily(self) -> bool:
        return self.today >= self.daily_limit

    @property
    def over_weekly(self) -> bool:
        return self.this_week >= self.weekly_limit

    @property
    def break_suggested(self) -> bool:
        return self.over_daily or self.over_weekly

    @property
    def advice(self) -> str:
        """Words suggesting a break, or nothing when none is due."""
        if self.over_daily:
            amount = f"{self.today} posts today"
        elif self.over_weekly:
            amount = f"{self.this_week} posts in the last {WEEK_DAYS} days"
        else:
            return ""
        return (
            f"You have reported {amount}. Reading hate takes a toll, even when it does not feel like it: "
            "this is a good moment to take a break. Everything you have sent is safe, and the posts will wait."
        )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def week_start(now: datetime | None = None) -> datetime:
    """The start of "this week": local midnight six days before today."""
    return _start_of(timezone.localdate(now) - timedelta(days=WEEK_DAYS - 1))


def exposure_by_volunteer(volunteer_ids: Iterable[int], *, now: datetime | None = None) -> dict[int, Exposure]:
    """Each volunteer's reports today and in the last seven days (the Hub's local days); one query."""

    ids = set(volunteer_ids)
    if not ids:
        return {}
    today = timezone.localdate(now)
    rows = (
        Report.objects.filter(reporter_id__in=ids, created_at__gte=week_start(now))
        .values("reporter_id")
        .annotate(week=Count("pk"), today=Count("pk", filter=Q(created_at__gte=_start_of(today))))
    )
    found = dict.fromkeys(ids, Exposure())
    for row in rows:
        found[row["reporter_id"]] = Exposure(today=row["today"], this_week=row["week"])
    return found


def exposure(volunteer, *, now: datetime | None = None) -> Exposure:
    return exposure_by_volunteer([volunteer.pk], now=now)[volunteer.pk]


def daily_counts(volunteer, *, now: datetime | None = None) -> list[tuple[date, int]]:
    """The volunteer's reports on each of the last seven days, oldest first, days without any included."""

    today = timezone.localdate(now)
    first = today - timedelta(days=WEEK_DAYS - 1)
    counted = dict(
        Report.objects.filter(reporter=volunteer, created_at__gte=_start_of(first))
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return [
        (first + timedelta(days=offset), counted.get(first + timedelta(days=offset), 0)) for offset in range(WEEK_DAYS)
    ]

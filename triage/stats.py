"""Statistics for officers: what came in, how fast it was decided, what platforms and forces did.

The reads behind the statistics page and its CSV downloads (``triage/stats_views.py``). Each figure is a
``Table`` (a title, column names, rows, and how its chart draws them) built by one function of the period
chosen, in a fixed number of aggregate queries whatever the number of rows: one for most, two for the reports
and cases per day. A period is one of the presets (the last 7, 30 or 90 days) or days the reader chose, both
ends included; ``period_preset`` and ``period_between`` make one, the latter refusing a range it cannot show
with a sentence that says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from reports.models import Report
from reports.platforms import Platform
from triage.models import Case, Referral

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
# A year, leap day included: a day-by-day chart of more is a smear, and each figure reads every row in range.
MAX_PERIOD_DAYS = 366
DECISION_BANDS = ((1, "under 1 h"), (4, "1–4 h"), (12, "4–12 h"), (24, "12–24 h"), (48, "24–48 h"), (None, "over 48 h"))


@dataclass(frozen=True)
class Period:
    """Days from ``since`` to ``until``, both included; ``preset`` is the number of days when the reader chose
    one of ``PERIODS``, else None."""

    since: date
    until: date
    preset: int | None = None

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1


class PeriodError(ValueError):
    """A range of days the statistics cannot show; ``field`` is the end at fault (``since`` or ``until``)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def period_preset(days: int, *, today: date | None = None) -> Period:
    """The last ``days`` days up to today (one of ``PERIODS``; anything else gives the default)."""
    days = days if days in PERIODS else DEFAULT_PERIOD
    until = today or timezone.localdate()
    return Period(since=until - timedelta(days=days - 1), until=until, preset=days)


def period_between(since: date, until: date, *, today: date | None = None) -> Period:
    """The days from ``since`` to ``until``, both included; raises ``PeriodError`` for a range that ends
    before it starts, reaches past today, or spans more than ``MAX_PERIOD_DAYS`` days."""
    today = today or timezone.localdate()
    if since > today:
        raise PeriodError("since", f"The first day cannot be after today ({_long_date(today)}).")
    if until > today:
        raise PeriodError("until", f"The last day cannot be after today ({_long_date(today)}): nothing is counted yet.")
    if until < since:
        raise PeriodError("until", "The last day must be the same as the first day or after it.")
    period = Period(since=since, until=until)
    if period.days > MAX_PERIOD_DAYS:
        raise PeriodError(
            "until",
            f"Choose at most {MAX_PERIOD_DAYS} days: from {_long_date(since)} to {_long_date(until)} is "
            f"{period.days} days.",
        )
    return period


def _long_date(day: date) -> str:
    return date_format(day, "j F Y")


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # How the chart draws the rows: the columns it plots against the first (one series each), as bars (across
    # the page when ``horizontal``, so long names stay readable on a phone; stacked, one bar a row, when
    # ``stacked``) or as lines.
    chart_columns: list[int] = field(default_factory=lambda: [1])
    chart_kind: str = "bar"
    horizontal: bool = True
    stacked: bool = False
    # What the chart's value axis counts, when its series are not one column's.
    value_name: str = ""
    # Shorter names on the chart's axis, where the first column's would run into each other.
    chart_labels: list[str] | None = None


def _days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=offset) for offset in range((until - since).days + 1)]


def per_day(since, until) -> Table:
    reports = dict(
        Report.objects.filter(created_at__date__range=(since, until))
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    cases = dict(
        Case.objects.filter(created_at__date__range=(since, until))
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    table = Table(
        "per-day",
        "Reports and new cases per day",
        ["day", "reports", "new cases"],
        chart_columns=[1, 2],
        chart_kind="line",
        horizontal=False,
        value_name="number",
    )
    days = _days(since, until)
    table.rows = [[day.isoformat(), reports.get(day, 0), cases.get(day, 0)] for day in days]
    day_format = "j M" if since.year == until.year else "j M Y"
    table.chart_labels = [date_format(day, day_format) for day in days]
    return table


def by_category(since, until) -> Table:
    rows = (
        Report.objects.filter(created_at__date__range=(since, until))
        .values_list("categories__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "categories__name")
    )
    return Table(
        "by-category", "Reports by category", ["category", "reports"], [[name or "none", n] for name, n in rows]
    )


def by_platform(since, until) -> Table:
    counts = dict(
        Report.objects.filter(created_at__date__range=(since, until)).values_list("platform").annotate(n=Count("pk"))
    )
    rows = [[label, counts[value]] for value, label in Platform.choices if counts.get(value)]
    return Table("by-platform", "Reports by platform", ["platform", "reports"], sorted(rows, key=lambda r: -r[1]))


def time_to_first_decision(since, until) -> Table:
    waits = (
        Case.objects.filter(created_at__date__range=(since, until), first_decision_at__isnull=False)
        .annotate(wait=ExpressionWrapper(F("first_decision_at") - F("created_at"), output_field=DurationField()))
        .values_list("wait", flat=True)
    )
    counts = [0] * len(DECISION_BANDS)
    for wait in waits.iterator():
        hours = wait.total_seconds() / 3600
        counts[next(i for i, (limit, _) in enumerate(DECISION_BANDS) if limit is None or hours < limit)] += 1
    table = Table(
        "first-decision", "Time from a case opening to its first decision", ["time taken", "cases"], horizontal=False
    )
    table.rows = [[label, count] for (_, label), count in zip(DECISION_BANDS, counts, strict=True)]
    return table


def platform_takedowns(since, until) -> Table:
    clock = timedelta(hours=24)
    removed = Q(platform_outcome=Case.PlatformOutcome.REMOVED)
    waiting = Q(platform_outcome="")
    counts = Case.objects.filter(platform_reported_at__date__range=(since, until)).aggregate(
        within=Count("pk", filter=removed & Q(platform_outcome_at__lte=F("platform_reported_at") + clock)),
        removed=Count("pk", filter=removed),
        still_up=Count("pk", filter=Q(platform_outcome=Case.PlatformOutcome.STILL_UP)),
        refused=Count("pk", filter=Q(platform_outcome=Case.PlatformOutcome.REFUSED)),
        breached=Count("pk", filter=waiting & Q(platform_reported_at__lt=timezone.now() - clock)),
        waiting=Count("pk", filter=waiting),
    )
    table = Table("takedowns", "Posts reported to platforms, and what the platforms did", ["outcome", "posts"])
    table.rows = [
        ["removed within 24 h", counts["within"]],
        ["removed after 24 h", counts["removed"] - counts["within"]],
        ["still up", counts["still_up"]],
        ["refused", counts["refused"]],
        ["no answer, past 24 h", counts["breached"]],
        ["no answer yet, within 24 h", counts["waiting"] - counts["breached"]],
    ]
    return table


def referrals_by_force(since, until) -> Table:
    statuses = list(Referral.Status)
    counts = (
        Referral.objects.filter(sent_at__date__range=(since, until))
        .values_list("force__name", "status")
        .annotate(n=Count("pk"))
        .order_by("force__name")
    )
    by_force: dict[str, dict[str, int]] = {}
    for force, status, n in counts:
        by_force.setdefault(force, {})[status] = n
    table = Table(
        "referrals",
        "Referrals by force and where they stand",
        ["force", "referrals", *(status.label.lower() for status in statuses)],
        # One bar a force, in parts by where its referrals stand; the total is the bar's length.
        chart_columns=list(range(2, 2 + len(statuses))),
        stacked=True,
        value_name="referrals",
    )
    table.rows = [
        [force, sum(found.values()), *(found.get(status, 0) for status in statuses)]
        for force, found in sorted(by_force.items(), key=lambda item: -sum(item[1].values()))
    ]
    return table


def referral_outcomes(since, until) -> Table:
    """Referrals whose outcome a force recorded in the period, by Home Office outcome group (each referral
    counted once, by the group it stands at now)."""
    counts = dict(
        Referral.objects.filter(outcome_at__date__range=(since, until))
        .values_list("outcome_group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = Table("referral-outcomes", "What forces did with referrals (outcome groups)", ["outcome", "referrals"])
    table.rows = [[group.label.lower(), counts.get(group.value, 0)] for group in Referral.OutcomeGroup]
    table.chart_labels = [OUTCOME_CHART_LABELS[group] for group in Referral.OutcomeGroup]
    if counts.get(""):
        # Answered before the outcome groups were asked for: the force's words only.
        table.rows.append(["recorded in words only (before the outcome groups)", counts[""]])
        table.chart_labels.append("words only")
    return table


OUTCOME_CHART_LABELS = {
    Referral.OutcomeGroup.CHARGED: "charged",
    Referral.OutcomeGroup.CAUTION: "caution",
    Referral.OutcomeGroup.COMMUNITY_RESOLUTION: "community",
    Referral.OutcomeGroup.PENALTY_NOTICE: "penalty",
    Referral.OutcomeGroup.TAKEN_INTO_CONSIDERATION: "TIC",
    Referral.OutcomeGroup.NOT_IN_PUBLIC_INTEREST: "not in PI",
    Referral.OutcomeGroup.EVIDENTIAL_DIFFICULTIES: "evidence",
    Referral.OutcomeGroup.SUSPECT_NOT_IDENTIFIED: "no suspect",
    Referral.OutcomeGroup.TRANSFERRED: "transferred",
    Referral.OutcomeGroup.ONGOING: "ongoing",
}


TABLES = {
    "per-day": per_day,
    "by-category": by_category,
    "by-platform": by_platform,
    "first-decision": time_to_first_decision,
    "takedowns": platform_takedowns,
    "referrals": referrals_by_force,
    "referral-outcomes": referral_outcomes,
}

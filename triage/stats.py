"""Statistics for officers: what came in, how fast it was decided, what platforms and forces did.

The reads behind the statistics page and its CSV downloads (``triage/stats_views.py``). Each figure is a
``Table`` (a title, column names, rows) built by one function of the period chosen, in a fixed number of
aggregate queries whatever the number of rows: one for most, two for the reports and cases per day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from reports.models import Report
from reports.platforms import Platform
from triage.models import Case, Referral

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
DECISION_BANDS = ((1, "under 1 h"), (4, "1–4 h"), (12, "4–12 h"), (24, "12–24 h"), (48, "24–48 h"), (None, "over 48 h"))


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Which column the chart draws, against the first.
    chart_column: int = 1
    # Shorter names under the chart's bars, where the first column's would run into each other.
    chart_labels: list[str] | None = None


def _days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=offset) for offset in range((until - since).days + 1)]


def per_day(since, until) -> Table:
    reports = dict(
        Report.objects.filter(created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    cases = dict(
        Case.objects.filter(created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    table = Table("per-day", "Reports and new cases per day", ["day", "reports", "new cases"])
    table.rows = [[day.isoformat(), reports.get(day, 0), cases.get(day, 0)] for day in _days(since, until)]
    return table


def by_category(since, until) -> Table:
    rows = (
        Report.objects.filter(created_at__date__gte=since)
        .values_list("categories__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "categories__name")
    )
    return Table(
        "by-category", "Reports by category", ["category", "reports"], [[name or "none", n] for name, n in rows]
    )


def by_platform(since, until) -> Table:
    counts = dict(Report.objects.filter(created_at__date__gte=since).values_list("platform").annotate(n=Count("pk")))
    rows = [[label, counts[value]] for value, label in Platform.choices if counts.get(value)]
    return Table("by-platform", "Reports by platform", ["platform", "reports"], sorted(rows, key=lambda r: -r[1]))


def time_to_first_decision(since, until) -> Table:
    waits = (
        Case.objects.filter(created_at__date__gte=since, first_decision_at__isnull=False)
        .annotate(wait=ExpressionWrapper(F("first_decision_at") - F("created_at"), output_field=DurationField()))
        .values_list("wait", flat=True)
    )
    counts = [0] * len(DECISION_BANDS)
    for wait in waits.iterator():
        hours = wait.total_seconds() / 3600
        counts[next(i for i, (limit, _) in enumerate(DECISION_BANDS) if limit is None or hours < limit)] += 1
    table = Table("first-decision", "Time from a case opening to its first decision", ["time taken", "cases"])
    table.rows = [[label, count] for (_, label), count in zip(DECISION_BANDS, counts, strict=True)]
    return table


def platform_takedowns(since, until) -> Table:
    clock = timedelta(hours=24)
    removed = Q(platform_outcome=Case.PlatformOutcome.REMOVED)
    waiting = Q(platform_outcome="")
    counts = Case.objects.filter(platform_reported_at__date__gte=since).aggregate(
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
        Referral.objects.filter(sent_at__date__gte=since)
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
        Referral.objects.filter(outcome_at__date__gte=since)
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

"""How far a reporter's past reports agreed with what officers finally decided.

Two measures over the last ``TRACK_RECORD_WINDOW_DAYS`` of reports:

- outcomes: of their reports whose case officers have decided, the share judged
  hateful (reported to the platform, removed, referred) rather than dismissed;
- categories: of those decided reports where officers recorded the groups the
  post targets, how far the reporter's tags overlapped the officers' (shared
  categories over all categories either named, averaged over the reports).

Triage's priority uses the outcome measure to weigh reports; admins see both on
the volunteer's record. Fewer than ``MIN_DECIDED_REPORTS`` reports behind a
measure and it is None: a newcomer is neutral.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from reports.models import Report
from triage.models import DECISION_LABELS, Case

# Fewer decided reports than this behind a measure and the reporter counts as a newcomer for it.
MIN_DECIDED_REPORTS = 3


@dataclass(frozen=True)
class TrackRecord:
    decided: int = 0  # reports in the window whose case officers have decided
    agreed: int = 0  # of those, judged hateful
    categorised: int = 0  # of those, where officers recorded the groups targeted
    category_overlap: float = 0.0  # summed over the categorised reports, each from 0 to 1

    @property
    def outcome_agreement(self) -> float | None:
        return self.agreed / self.decided if self.decided >= MIN_DECIDED_REPORTS else None

    @property
    def category_agreement(self) -> float | None:
        return self.category_overlap / self.categorised if self.categorised >= MIN_DECIDED_REPORTS else None


NEWCOMER = TrackRecord()


def _decided_reports(reporter_ids: set[int], now):

    since = (now or timezone.now()) - timedelta(days=settings.TRACK_RECORD_WINDOW_DAYS)
    return Report.objects.filter(
        reporter_id__in=reporter_ids, created_at__gte=since, case__status__in=list(DECISION_LABELS)
    )


def _outcomes(reporter_ids: set[int], now) -> dict[int, tuple[int, int]]:
    """Each reporter's decided reports and how many were judged hateful: one aggregate query."""

    hateful = [status for status, label in DECISION_LABELS.items() if label == 1]
    rows = (
        _decided_reports(reporter_ids, now)
        .values("reporter_id")
        .annotate(decided=Count("pk"), agreed=Count("pk", filter=Q(case__status__in=hateful)))
    )
    return {row["reporter_id"]: (row["decided"], row["agreed"]) for row in rows}


def agreement_by_reporter(reporter_ids: Iterable[int], *, now=None) -> dict[int, float | None]:
    """For each reporter, the share of their decided reports officers judged hateful; None for a newcomer.
    What triage's priority weighs reports by; one query for any number of reporters."""
    ids = set(reporter_ids)
    if not ids:
        return {}
    outcomes = _outcomes(ids, now)
    return {reporter: TrackRecord(*outcomes.get(reporter, (0, 0))).outcome_agreement for reporter in ids}


def track_records(reporter_ids: Iterable[int], *, now=None) -> dict[int, TrackRecord]:
    """Each reporter's whole track record, outcomes and categories; four queries for any number of reporters."""

    ids = set(reporter_ids)
    if not ids:
        return {}
    outcomes = _outcomes(ids, now)
    # Categories: only decided reports whose case has officers' categories count.
    rows = list(
        _decided_reports(ids, now)
        .filter(case__categories__isnull=False)
        .distinct()
        .values_list("pk", "reporter_id", "case_id")
    )
    officers: dict[int, set[int]] = defaultdict(set)
    for case_id, category_id in Case.categories.through.objects.filter(
        case_id__in={case_id for _, _, case_id in rows}
    ).values_list("case_id", "category_id"):
        officers[case_id].add(category_id)
    tagged: dict[int, set[int]] = defaultdict(set)
    for report_id, category_id in Report.categories.through.objects.filter(
        report_id__in=[pk for pk, _, _ in rows]
    ).values_list("report_id", "category_id"):
        tagged[report_id].add(category_id)
    categorised: dict[int, int] = defaultdict(int)
    overlap: dict[int, float] = defaultdict(float)
    for report_id, reporter_id, case_id in rows:
        categorised[reporter_id] += 1
        overlap[reporter_id] += len(officers[case_id] & tagged[report_id]) / len(officers[case_id] | tagged[report_id])
    return {
        reporter: TrackRecord(*outcomes.get(reporter, (0, 0)), categorised[reporter], overlap[reporter])
        for reporter in ids
    }

"""How far a reporter's past reports agreed with what officers finally decided.

Triage's priority uses it to weigh reports; admins see it on the volunteer's
record. A newcomer, or anyone with too few decided reports, is neutral (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

# Fewer decided reports than this and the reporter counts as a newcomer.
MIN_DECIDED_REPORTS = 3


def agreement_by_reporter(reporter_ids: Iterable[int], *, now=None) -> dict[int, float | None]:
    """For each reporter, the share of their decided reports (within the window) that officers
    judged hateful; None for a newcomer. One query for any number of reporters."""
    from reports.models import Report
    from triage.models import DECISION_LABELS

    ids = set(reporter_ids)
    if not ids:
        return {}
    hateful = [status for status, label in DECISION_LABELS.items() if label == 1]
    since = (now or timezone.now()) - timedelta(days=settings.TRACK_RECORD_WINDOW_DAYS)
    rows = (
        Report.objects.filter(reporter_id__in=ids, created_at__gte=since, case__status__in=list(DECISION_LABELS))
        .values("reporter_id")
        .annotate(decided=Count("pk"), agreed=Count("pk", filter=Q(case__status__in=hateful)))
    )
    found: dict[int, float | None] = dict.fromkeys(ids)
    for row in rows:
        if row["decided"] >= MIN_DECIDED_REPORTS:
            found[row["reporter_id"]] = row["agreed"] / row["decided"]
    return found

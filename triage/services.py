"""Writes for cases and scoring."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from reports.models import Report
from triage.models import Case

logger = logging.getLogger(__name__)


def case_record_outcome(*, case: Case, status: str, note_for_volunteers: str = "") -> Case:
    """Set what became of a case; every volunteer who reported it sees the change."""
    if status not in Case.Status.values:
        raise ValueError(f"Unknown case status {status!r}")
    Case.objects.filter(pk=case.pk).update(
        status=status, note_for_volunteers=note_for_volunteers, status_changed_at=timezone.now()
    )
    case.refresh_from_db()
    return case


def scoring_enqueue(*, report_id: int) -> bool:
    """Queue a report for scoring. Never raises: a report the broker did not take
    stays pending and the periodic sweep queues it again."""
    from triage.tasks import score_report

    try:
        score_report.delay(report_id)
    except Exception:  # the broker may be down in any of several ways; the row is safe
        logger.warning("Could not queue report %s for scoring; the sweep will retry", report_id, exc_info=True)
        return False
    return True


def report_score(*, report_id: int) -> bool:
    """Score a report with the active model and raise its case's score.

    Idempotent: a report already scored is left alone, and the update is
    conditional on the report still waiting, so two workers racing on one
    report store one score. Returns whether this call stored the score.
    """
    from triage.classifier.registry import ArtifactError, active_scorer

    report = Report.objects.filter(pk=report_id).only("pk", "case_id", "captured_text", "score_status").first()
    if report is None or report.score_status == Report.ScoreStatus.SCORED:
        return False
    try:
        scorer = active_scorer()
    except ArtifactError:
        # A broken model must not fail the reports: they wait until it is replaced.
        logger.exception("Report %s waits: the active classifier cannot be loaded", report_id)
        return False
    if scorer is None:
        logger.warning(
            "No active classifier: report %s waits for one (train with manage.py train_classifier)", report_id
        )
        return False
    score = scorer.score(report.captured_text)
    with transaction.atomic():
        stored = Report.objects.filter(pk=report_id, score_status=Report.ScoreStatus.PENDING).update(
            score=score,
            model_version=scorer.version,
            score_status=Report.ScoreStatus.SCORED,
            scored_at=timezone.now(),
            scoring_error="",
        )
        if stored:
            Case.objects.filter(pk=report.case_id).update(
                score=Greatest(Coalesce(F("score"), Value(score)), Value(score)), updated_at=timezone.now()
            )
    if stored:
        logger.info("Scored report %s: %.3f with model %s", report_id, score, scorer.version)
    return bool(stored)


def report_mark_scoring_failed(*, report_id: int, error: str) -> None:
    """Record that scoring gave up on a report, so it is seen rather than lost."""
    Report.objects.filter(pk=report_id, score_status=Report.ScoreStatus.PENDING).update(
        score_status=Report.ScoreStatus.FAILED, scoring_error=error[:2000]
    )


def reports_requeue_unscored(*, older_than, limit: int = 500) -> int:
    """Queue again the reports still waiting for a score ``older_than`` after scoring was last asked for.

    A report still sitting in a busy queue is not queued twice within
    ``older_than``, and two sweeps running at once claim different reports.
    """
    now = timezone.now()
    cutoff = now - older_than
    waiting = list(
        Report.objects.filter(score_status=Report.ScoreStatus.PENDING, queued_at__lte=cutoff)
        .order_by("queued_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for report_id in waiting:
        claimed = Report.objects.filter(
            pk=report_id, score_status=Report.ScoreStatus.PENDING, queued_at__lte=cutoff
        ).update(queued_at=now)
        if claimed:
            queued += scoring_enqueue(report_id=report_id)
    return queued

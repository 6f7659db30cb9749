"""Writes for scoring: a report scored with the active model (others waiting taken along), or marked failed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from reports.models import Report
from triage.casework import case_priority_refresh
from triage.models import Case, CaseEvent
from triage.priority import score_words

logger = logging.getLogger(__name__)


def report_score(*, report_pk: int) -> bool:
    """Score a report with the active model, taking other waiting reports along in the same pass.

    Up to ``SCORING_BATCH_SIZE`` waiting reports are scored together: one call
    of the model, then one conditional update per report. Their own tasks then
    find them scored and stop. Idempotent: a report already scored is left
    alone, and each update is conditional on the report still waiting, so two
    workers racing on one report store one score. Returns whether this call
    stored the score of ``report_pk``.
    """
    from triage.classifier.registry import ArtifactError, active_scorer

    fields = ("pk", "case_id", "captured_text", "score_status")
    report = Report.objects.filter(pk=report_pk).only(*fields).first()
    if report is None or report.score_status != Report.ScoreStatus.PENDING:
        return False
    try:
        scorer = active_scorer()
    except ArtifactError:
        # A broken model must not fail the reports: they wait until it is replaced.
        logger.exception("Report %s waits: the active classifier cannot be loaded", report_pk)
        return False
    if scorer is None:
        logger.warning(
            "No active classifier: report %s waits for one (train with manage.py train_classifier)", report_pk
        )
        return False
    others = (
        Report.objects.filter(score_status=Report.ScoreStatus.PENDING)
        .exclude(pk=report_pk)
        .order_by("queued_at", "pk")
        .only(*fields)[: max(settings.SCORING_BATCH_SIZE - 1, 0)]
    )
    batch = [report, *others]
    scorings = scorer.score_many([item.captured_text for item in batch])
    stored_own = False
    for item, scoring in zip(batch, scorings, strict=True):
        if _store_score(item, scoring, version=scorer.version, explanation=scorer.explain(item.captured_text)):
            logger.info("Scored report %s: %.3f with model %s", item.pk, scoring.score, scorer.version)
            stored_own = stored_own or item.pk == report.pk
    return stored_own


def _store_score(report: Report, scoring, *, version: str, explanation: list[dict]) -> bool:
    """Store one report's score if it is still waiting, and raise its case's score to match."""
    score = scoring.score
    with transaction.atomic():
        stored = Report.objects.filter(pk=report.pk, score_status=Report.ScoreStatus.PENDING).update(
            score=score,
            category_scores=scoring.categories,
            explanation=explanation,
            model_version=version,
            score_status=Report.ScoreStatus.SCORED,
            scored_at=timezone.now(),
            scoring_error="",
        )
        if stored:
            Case.objects.filter(pk=report.case_id).update(
                score=Greatest(Coalesce(F("score"), Value(score)), Value(score)), updated_at=timezone.now()
            )
            CaseEvent.objects.create(
                case_id=report.case_id, kind=CaseEvent.Kind.SCORED, note=f"Report {report.pk}: {score_words(score)}"
            )
            case_priority_refresh(case_ids=[report.case_id])
    return bool(stored)


def report_mark_scoring_failed(*, report_pk: int, error: str) -> None:
    """Record that scoring gave up on a report, so it is seen rather than lost."""
    Report.objects.filter(pk=report_pk, score_status=Report.ScoreStatus.PENDING).update(
        score_status=Report.ScoreStatus.FAILED, scoring_error=error[:2000]
    )

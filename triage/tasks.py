"""Celery tasks: thin wrappers that take primary keys and call services."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from hubsite.periodic import periodic_job
from triage import classifier_services, decisions, services

logger = logging.getLogger(__name__)

# Only these are worth retrying: the database or broker connection dropped.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError)


class ScoringTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        report_id = args[0] if args else kwargs.get("report_pk")
        logger.error("Scoring report %s failed for good: %r", report_id, exc)
        try:
            services.report_mark_scoring_failed(report_id=report_id, error=repr(exc))
        except Exception:  # the database may be what failed; the sweep still sees a pending row
            logger.exception("Could not record the scoring failure of report %s", report_id)


@shared_task(
    base=ScoringTask,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
)
def score_report(report_pk: int) -> None:
    services.report_score(report_id=report_pk)


# On the scoring queue, under scoring's limits: it only queues reports again, and behind a backlog of scoring it
# waits its turn instead of queueing again reports that are still in that backlog.
@periodic_job(lock="requeue-unscored-reports", queue=settings.SCORING_QUEUE)
def requeue_unscored_reports() -> None:
    queued = services.reports_requeue_unscored(older_than=settings.SCORING_REQUEUE_AFTER)
    if queued:
        logger.info("Queued %s unscored reports again", queued)


@periodic_job(
    lock="refresh-priorities",
    queue=settings.HOUSEKEEPING_QUEUE,
    soft_time_limit=timedelta(minutes=9),
    time_limit=timedelta(minutes=10),
)
def refresh_priorities() -> None:
    """Work out open cases' priorities again as they age."""
    updated = decisions.case_priority_refresh()
    logger.info("Refreshed the priority of %s open cases", updated)


@periodic_job(
    lock="apply-retention",
    queue=settings.HOUSEKEEPING_QUEUE,
    soft_time_limit=timedelta(minutes=55),
    time_limit=timedelta(hours=1),
)
def apply_retention() -> None:
    """Redact reports past the retention schedule."""
    from triage.retention import retention_apply

    redacted = retention_apply()
    logger.info("Redacted %s reports under the retention schedule", redacted)


class TrainingTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        training_id = args[0] if args else kwargs.get("training_pk")
        logger.error("Training %s failed for good: %r", training_id, exc)
        try:
            classifier_services.classifier_training_mark_failed(
                training_id=training_id, timed_out=isinstance(exc, TimeLimitExceeded)
            )
        except Exception:  # the database may be what failed; the record is given up once its heartbeat stops
            logger.exception("Could not record the failure of training %s", training_id)


# Routed to the training queue (settings.CELERY_TASK_ROUTES). The broker hands a message that is still
# unacknowledged after BROKER_VISIBILITY_TIMEOUT to a worker again, and a training outlasts it: that second
# delivery finds the training no longer queued and does nothing (classifier_training_run).
@shared_task(
    base=TrainingTask,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=5,
    retry_backoff_max=60,
    retry_jitter=True,
    soft_time_limit=int(classifier_services.TRAINING_TIME_LIMIT.total_seconds()),
    time_limit=int(classifier_services.TRAINING_HARD_TIME_LIMIT.total_seconds()),
)
def classifier_train(training_pk: int) -> None:
    classifier_services.classifier_training_run(training_id=training_pk)

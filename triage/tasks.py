"""Celery tasks: thin wrappers that take primary keys and call services; and the functions that queue them.

Services never import this module (it imports them): what queues a task lives here, beside the task."""

from __future__ import annotations

import inspect
import logging
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from hubsite.periodic import periodic_job
from reports.models import Report
from triage import casework, classifier_training, notices, scoring
from triage.retention import retention_apply

logger = logging.getLogger(__name__)

# Only these are worth retrying: the database or broker connection dropped.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError)


def _argument(task: Task, args, kwargs, name: str):
    """The task's argument ``name`` as it was called, by position or by keyword; None for a message whose
    arguments do not fit the task (the failure is still logged)."""
    try:
        return inspect.signature(task.run).bind(*args, **kwargs).arguments.get(name)
    except TypeError:
        return None


class ScoringTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        report_pk = _argument(self, args, kwargs, "report_pk")
        logger.error("Scoring report %s failed for good: %r", report_pk, exc)
        try:
            scoring.report_mark_scoring_failed(report_pk=report_pk, error=repr(exc))
        except Exception:  # the database may be what failed; the sweep still sees a pending row
            logger.exception("Could not record the scoring failure of report %s", report_pk)


@shared_task(
    base=ScoringTask,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
)
def score_report(report_pk: int) -> None:
    scoring.report_score(report_pk=report_pk)


# Queueing: beside the tasks they queue, so that services never import this module.


def scoring_enqueue(*, report_pk: int) -> bool:
    """Queue a report for scoring. Never raises: a report the broker did not take
    stays pending and the periodic sweep queues it again."""
    try:
        score_report.delay(report_pk=report_pk)
    except Exception:  # the broker may be down in any of several ways; the row is safe
        logger.warning("Could not queue report %s for scoring; the sweep will retry", report_pk, exc_info=True)
        return False
    return True


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
    for report_pk in waiting:
        claimed = Report.objects.filter(
            pk=report_pk, score_status=Report.ScoreStatus.PENDING, queued_at__lte=cutoff
        ).update(queued_at=now)
        if claimed:
            queued += scoring_enqueue(report_pk=report_pk)
    return queued


# On the scoring queue, under scoring's limits: it only queues reports again, and behind a backlog of scoring it
# waits its turn instead of queueing again reports that are still in that backlog.
@periodic_job(lock="requeue-unscored-reports", queue=settings.SCORING_QUEUE)
def requeue_unscored_reports() -> None:
    queued = reports_requeue_unscored(older_than=settings.SCORING_REQUEUE_AFTER)
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
    updated = casework.case_priority_refresh()
    logger.info("Refreshed the priority of %s open cases", updated)


@periodic_job(
    lock="apply-retention",
    queue=settings.HOUSEKEEPING_QUEUE,
    soft_time_limit=timedelta(minutes=55),
    time_limit=timedelta(hours=1),
)
def apply_retention() -> None:
    """Redact reports past the retention schedule."""
    redacted = retention_apply()
    logger.info("Redacted %s reports under the retention schedule", redacted)


@periodic_job(lock="remind-officers", queue=settings.HOUSEKEEPING_QUEUE)
def remind_officers() -> None:
    """Referrals overdue for acknowledgement, and platform clocks about to run out: each told about once."""
    told = notices.reminders_send()
    if told:
        logger.info("Told officers of %s overdue referrals or closing platform clocks", told)


class TrainingTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        training_pk = _argument(self, args, kwargs, "training_pk")
        logger.error("Training %s failed for good: %r", training_pk, exc)
        try:
            classifier_training.classifier_training_mark_failed(
                training_pk=training_pk, timed_out=isinstance(exc, TimeLimitExceeded)
            )
        except Exception:  # the database may be what failed; the record is given up once its heartbeat stops
            logger.exception("Could not record the failure of training %s", training_pk)


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
    soft_time_limit=int(classifier_training.TRAINING_TIME_LIMIT.total_seconds()),
    time_limit=int(classifier_training.TRAINING_HARD_TIME_LIMIT.total_seconds()),
)
def classifier_train(training_pk: int) -> None:
    classifier_training.classifier_training_run(training_pk=training_pk)


def classifier_training_enqueue(*, training_pk: int) -> bool:
    """Hand the training to the training queue; a broker that does not take it fails the record, with why."""
    try:
        classifier_train.delay(training_pk=training_pk)
    except Exception:  # the broker may be down in any of several ways; the record must not wait for nothing
        logger.warning("Could not queue training %s", training_pk, exc_info=True)
        classifier_training.classifier_training_mark_not_queued(training_pk=training_pk)
        return False
    return True

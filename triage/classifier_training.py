"""Running a retraining on a worker of the training queue, and giving up trainings nobody is running.

``classifier_training_run`` trains through the one training path, ``triage.classifier.pipeline.train_version``,
writing its progress to the record as it goes. One training at a time: the database refuses a second record
queued or running. A run whose worker died (restarted, out of memory) stops renewing ``alive_at``; it is given
up, so that another may start, by the next start or by the task's own redelivery. Starting one (the web
process) is ``triage.classifier_services.classifier_training_start``.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from hubsite.audit import audit_record
from hubsite.models import AuditEvent
from triage.models import ClassifierTraining

logger = logging.getLogger(__name__)

Data = ClassifierTraining.Data
Status = ClassifierTraining.Status

# What each choice trains on: a recipe of triage/classifier/pipeline.py (or none), then sources added to it.
TRAINING_SOURCES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    Data.PUBLIC_AND_DECISIONS: ("public", ("decisions",)),
    Data.PUBLIC: ("public", ()),
    Data.LIGHT: ("light", ()),
    Data.DECISIONS_AND_SEED: (None, ("seed", "decisions")),
}
# The task stops a training at this age and records it as failed (Celery's soft limit); the hard limit,
# a few minutes later, ends a worker that did not stop.
TRAINING_TIME_LIMIT = timedelta(hours=2)
TRAINING_HARD_TIME_LIMIT = TRAINING_TIME_LIMIT + timedelta(minutes=5)
# A running training renews ``alive_at`` this often, from a thread of its own, whatever the model is doing.
HEARTBEAT_EVERY = timedelta(seconds=30)
# Silent this long, its worker is taken to have died. Far above the heartbeat, so a busy process is not mistaken
# for a dead one.
GIVE_UP_AFTER_SILENCE = timedelta(minutes=10)
# Queued this long and no worker has taken it: no worker listens on the training queue.
GIVE_UP_WHILE_QUEUED = timedelta(minutes=30)
# Progress lines are written to the record at most this often (and once more at the end).
PROGRESS_SAVE_EVERY = 1.0

FAILED_UNEXPECTEDLY = (
    "The training stopped on an unexpected error, recorded in the training worker's log under training {pk}. "
    "No version was made; the active model is unchanged."
)
TOO_LONG = (
    "The training took longer than the {hours:g} hours allowed and was stopped. No version was made. "
    "Choose less data, or train from the command line with `manage.py train_classifier`."
)
WORKER_SILENT = (
    "The worker running this training stopped answering (restarted, or out of memory) and the training was "
    "given up. No version was made. Start it again; if it stops again, train from the command line."
)
NEVER_TAKEN = (
    "No training worker took this training within {minutes:g} minutes, so it was given up. Check that a worker "
    'listens on the "{queue}" queue (docker-compose.yml\'s trainer), then start it again.'
)
NOT_QUEUED = (
    "The training could not be queued: the message broker did not answer. Nothing was trained; "
    "start it again in a minute."
)


def classifier_training_run(*, training_pk: int) -> ClassifierTraining | None:
    """Train as the record asks, write progress to it, and record the version made or why none was.

    Idempotent: only a queued training is taken (a conditional update), so a message delivered twice
    trains once. A delivery that finds its training running looks whether that run's worker died."""
    from celery.exceptions import SoftTimeLimitExceeded

    from triage.classifier.datasets import DatasetError
    from triage.classifier.pipeline import train_version

    now = timezone.now()
    taken = ClassifierTraining.objects.filter(pk=training_pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, alive_at=now
    )
    if not taken:
        classifier_trainings_give_up_abandoned()
        return None
    training = ClassifierTraining.objects.select_related("started_by").get(pk=training_pk)
    journal = _Journal(training_pk)
    heartbeat = _Heartbeat(training_pk)
    heartbeat.start()
    version, error = None, ""
    try:
        journal.write(f"Training {training.pk}: {training.get_data_display()}, seed {training.seed}")
        version = train_version(
            training_sources(training.data),
            seed=training.seed,
            trained_by=training.started_by.get_username(),
            recipe=training.data,
            command=f"retraining {training.pk}, started in the admin",
            progress=journal.write,
        )
        journal.write(f"Stored as version {version.version}.")
    except DatasetError as exc:
        error = str(exc)
    except SoftTimeLimitExceeded:
        error = TOO_LONG.format(hours=TRAINING_TIME_LIMIT.total_seconds() / 3600)
    except Exception:
        logger.exception("Training %s failed", training_pk)
        error = FAILED_UNEXPECTEDLY.format(pk=training_pk)
    finally:
        heartbeat.stop()
    if error:
        journal.write(error)
    return _finish(
        training_pk,
        expected=Status.RUNNING,
        status=Status.FAILED if error else Status.DONE,
        error=error,
        version=version,
        progress=journal.text(),
    )


def training_sources(data: str) -> list:
    """The sources (``pipeline.Source``) a choice of data names; DatasetError, naming the fix, for missing data."""
    from triage.classifier.pipeline import Source, recipe_sources

    recipe, added = TRAINING_SOURCES[data]
    return [*(recipe_sources(recipe) if recipe else []), *(Source(name) for name in added)]


def classifier_training_mark_failed(*, training_pk: int, timed_out: bool = False) -> None:
    """The task failed for good outside the training itself (the database went away, the hard time limit ended
    the worker): say so on the record, if it is still marked running."""
    error = (
        TOO_LONG.format(hours=TRAINING_TIME_LIMIT.total_seconds() / 3600)
        if timed_out
        else FAILED_UNEXPECTEDLY.format(pk=training_pk)
    )
    _finish(training_pk, expected=Status.RUNNING, status=Status.FAILED, error=error)


def classifier_training_mark_not_queued(*, training_pk: int) -> None:
    """The broker did not take the training: fail the record, with why, rather than leave it waiting for nothing."""
    _finish(training_pk, expected=Status.QUEUED, status=Status.FAILED, error=NOT_QUEUED)


def classifier_trainings_give_up_abandoned(*, now=None) -> int:
    """Fail trainings nobody is working on: running with a silent worker, or queued and never taken."""
    now = now or timezone.now()
    given_up = 0
    for training in ClassifierTraining.objects.in_progress().only("pk", "status", "created_at", "alive_at"):
        if training.status == Status.RUNNING and (training.alive_at or now) < now - GIVE_UP_AFTER_SILENCE:
            error = WORKER_SILENT
        elif training.status == Status.QUEUED and training.created_at < now - GIVE_UP_WHILE_QUEUED:
            error = NEVER_TAKEN.format(minutes=GIVE_UP_WHILE_QUEUED.total_seconds() / 60, queue=settings.TRAINING_QUEUE)
        else:
            continue
        given_up += _finish(training.pk, expected=training.status, status=Status.FAILED, error=error) is not None
    return given_up


def _finish(
    training_pk: int, *, expected: str, status: str, error: str = "", version=None, progress: str | None = None
) -> ClassifierTraining | None:
    """Record the end of a training still ``expected`` (a conditional update), and audit it; None if it was not."""
    fields = {"status": status, "error": error, "version": version, "finished_at": timezone.now()}
    if progress is not None:
        fields["progress"] = progress
    with transaction.atomic():
        if not ClassifierTraining.objects.filter(pk=training_pk, status=expected).update(**fields):
            return None
        training = ClassifierTraining.objects.get(pk=training_pk)
        audit_record(
            AuditEvent.Action.CLASSIFIER_TRAINING_FINISHED,
            target=training,
            summary=f"Training {training.pk} made version {version.version}"
            if version is not None
            else f"Training {training.pk} failed: {error}",
            status=status,
            version=version.version if version is not None else None,
            started_by=training.started_by_id,
        )
    return training


class _Journal:
    """Collects progress lines and writes them to the record, at most once every PROGRESS_SAVE_EVERY seconds."""

    def __init__(self, training_pk: int):
        self.training_pk = training_pk
        self.lines: list[str] = []
        self.saved_at = 0.0

    def write(self, line: str) -> None:
        logger.info("Training %s: %s", self.training_pk, line)
        self.lines.append(line.rstrip())
        if time.monotonic() - self.saved_at >= PROGRESS_SAVE_EVERY:
            self.save()

    def text(self) -> str:
        return "\n".join(self.lines)

    def save(self) -> None:
        ClassifierTraining.objects.filter(pk=self.training_pk).update(progress=self.text(), alive_at=timezone.now())
        self.saved_at = time.monotonic()


class _Heartbeat(threading.Thread):
    """Renews the training's ``alive_at`` while it runs, on a database connection of its own."""

    def __init__(self, training_pk: int):
        super().__init__(name=f"training-{training_pk}-heartbeat", daemon=True)
        self.training_pk = training_pk
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(HEARTBEAT_EVERY.total_seconds()):
                ClassifierTraining.objects.filter(pk=self.training_pk, status=Status.RUNNING).update(
                    alive_at=timezone.now()
                )
        except Exception:  # the training goes on; without a heartbeat it may be given up later, and says so
            logger.warning("Training %s: the heartbeat stopped", self.training_pk, exc_info=True)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)

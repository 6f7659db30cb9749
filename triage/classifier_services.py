"""Retraining the classifier from the admin, and activating a version there: what the web process writes.

``classifier_training_start`` records what an admin asked for and queues it for a worker of the training
queue, which runs it (``triage.classifier_training``). The web process never trains: a Hub without a broker
would run the task inside the request, so it refuses and points to ``manage.py train_classifier`` instead.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hubsite.audit import audit_record
from hubsite.models import AuditEvent, User
from reports.models import Report
from triage.classifier.registry import ActivationRefused, activate_version
from triage.classifier_training import TRAINING_SOURCES, classifier_trainings_give_up_abandoned
from triage.models import DECISION_LABELS, ClassifierTraining, ClassifierVersion
from triage.tasks import classifier_training_enqueue


class TrainingRefused(Exception):
    """A training that may not start now; the message says why and what to do."""


# Starting (web) -------------------------------------------------------------------------------------


def classifier_training_start(*, by: User, data: str, seed: int = 0) -> ClassifierTraining:
    """Record a training and queue it for the training worker once committed.

    Refused, with TrainingRefused, when another training is queued or running, when ``data`` or
    ``seed`` is not one the form offers, or when this Hub has no broker (no worker would run it)."""
    if data not in TRAINING_SOURCES:
        raise TrainingRefused("Choose the data to train on.")
    if not 0 <= seed <= 2**31 - 1:
        raise TrainingRefused("The seed must be a whole number from 0 to 2147483647.")
    if "decisions" in TRAINING_SOURCES[data][1] and not decided_cases():
        raise TrainingRefused(
            "Officers have not closed any case with a decision yet, so there are no decisions to learn from. "
            "Choose data without officers' decisions."
        )
    if not settings.BROKER_CONFIGURED:
        raise TrainingRefused(
            "Retraining runs on a training worker, and this Hub runs without one (CELERY_BROKER_URL is not set). "
            "Train from the command line instead: `manage.py train_classifier`."
        )
    with transaction.atomic():
        classifier_trainings_give_up_abandoned()
        current = ClassifierTraining.objects.in_progress().select_related("started_by").first()
        if current is not None:
            raise TrainingRefused(_busy(current))
        try:
            with transaction.atomic():
                training = ClassifierTraining.objects.create(started_by=by, data=data, seed=seed)
        except IntegrityError:
            # Another admin's training was recorded between the check above and this insert.
            raise TrainingRefused(
                _busy(ClassifierTraining.objects.in_progress().select_related("started_by").first())
            ) from None
        audit_record(
            AuditEvent.Action.CLASSIFIER_TRAINING_STARTED,
            target=training,
            actor=by,
            summary=f"Training {training.pk} of a new scoring model started: {training.get_data_display()}, "
            f"seed {seed}",
            data=data,
            seed=seed,
        )
        transaction.on_commit(partial(classifier_training_enqueue, training_pk=training.pk))
    return training


def decided_cases() -> int:
    """How many cases officers closed with a decision that training can learn from (they have reported text):
    what the "decisions" data set reads (triage.decisions_dataset.load_decisions)."""
    return (
        Report.objects.filter(case__status__in=DECISION_LABELS)
        .exclude(captured_text="")
        .values("case_id")
        .distinct()
        .count()
    )


def _busy(current: ClassifierTraining | None) -> str:
    if current is None:
        return "Another training has just started. Only one runs at a time: wait for it to finish."
    when = timezone.localtime(current.created_at).strftime("%d %b %Y %H:%M")
    return (
        f"Training {current.pk}, started by {current.started_by.get_username()} at {when}, is still "
        f"{current.get_status_display().lower()}. Only one training runs at a time: wait for it to finish."
    )


# Activating (web) ----------------------------------------------------------------------------------


def classifier_version_activate(
    *, version: ClassifierVersion, by: User, force: bool = False, reason: str = ""
) -> ClassifierVersion:
    """Make ``version`` the active model through the registry's gate, which refuses one that measures worse
    unless forced; forcing needs a reason, kept with the activation. ActivationRefused says why not."""
    reason = reason.strip()
    if force and not reason:
        raise ActivationRefused(
            "Give the reason for activating this version even if it measures worse: it is kept with the activation."
        )
    # A web process loads no model: the versions are compared on the dev measures stored with them.
    return activate_version(version.version, by=by.get_username(), force=force, reason=reason, from_stored=True)

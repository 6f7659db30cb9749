"""System checks about triage's tasks and the broker that carries them (`manage.py check`). Registered by
``TriageConfig.ready``."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

from triage.tasks import score_report


@register()
def broker_hands_back_only_dead_workers_tasks(app_configs=None, **kwargs):
    """A task the broker hands to a second worker while the first still runs it is done twice: the visibility
    timeout must outlast any scoring task, and the longest wait before a retry, which the worker holds
    unacknowledged. Training and the periodic jobs may run longer: a second delivery of a training finds it no
    longer queued, and of a periodic job finds its lock held (hubsite/periodic.py); either does nothing."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest = max(settings.CELERY_TASK_TIME_LIMIT, score_report.retry_backoff_max)
    if visibility <= longest:
        return [
            Warning(
                f"BROKER_VISIBILITY_TIMEOUT ({visibility} s) is not longer than the longest a task may run or wait "
                f"to retry ({longest} s), so a task still in hand may be given to a second worker.",
                hint=f"Set BROKER_VISIBILITY_TIMEOUT above {longest}, e.g. 300.",
                id="triage.W001",
            )
        ]
    return []

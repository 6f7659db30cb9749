"""System checks for settings that must agree with each other (`manage.py check`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def broker_hands_back_only_dead_workers_tasks(app_configs=None, **kwargs):
    """A task the broker hands to a second worker while the first still runs it is done twice: the visibility
    timeout must outlast any scoring task, and the longest wait before a retry, which the worker holds
    unacknowledged. Training and the periodic jobs may run longer: a second delivery of a training finds it no
    longer queued, and of a periodic job finds its lock held (hubsite/periodic.py); either does nothing."""
    from triage.tasks import score_report

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest = max(settings.CELERY_TASK_TIME_LIMIT, score_report.retry_backoff_max)
    if visibility <= longest:
        return [
            Warning(
                f"BROKER_VISIBILITY_TIMEOUT ({visibility} s) is not longer than the longest a task may run or wait "
                f"to retry ({longest} s), so a task still in hand may be given to a second worker.",
                hint=f"Set BROKER_VISIBILITY_TIMEOUT above {longest}, e.g. 300.",
                id="hubsite.W001",
            )
        ]
    return []


# Caches that live inside one process: each web process would keep its own rate-limit counts and locks.
_PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches)
def rate_limits_are_shared_between_processes(app_configs=None, **kwargs):
    """Rate limits and locks live in the cache. A cache private to each process lets every web process count
    alone: three gunicorn workers let three times a partner's limit through. A service (DEBUG off) needs the
    shared one, unless ALLOW_LOCAL_CACHE says the Hub runs as a single process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or settings.ALLOW_LOCAL_CACHE or backend not in _PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            "CACHE_URL is not set, so each web process keeps its own rate-limit counts and the limits do not hold "
            "across processes.",
            hint="Set CACHE_URL to a Redis database, e.g. redis://redis.example:6379/1 (not the broker's). "
            "For a Hub that runs as one process only, set ALLOW_LOCAL_CACHE=true.",
            id="hubsite.E001",
        )
    ]

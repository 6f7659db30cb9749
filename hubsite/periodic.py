"""Periodic jobs: the Celery tasks beat starts (settings.CELERY_BEAT_SCHEDULE), declared one way.

Each job names its lock, its queue and its time limits once, where it is declared::

    @periodic_job(
        lock="apply-retention",
        queue=settings.HOUSEKEEPING_QUEUE,
        soft_time_limit=timedelta(minutes=55),
        time_limit=timedelta(hours=1),
    )
    def apply_retention() -> None: ...

Only one run of a job goes at a time across every worker: beat may start a run while the last one still
goes, more than one worker takes the queue, and the broker hands a message still unacknowledged after
BROKER_VISIBILITY_TIMEOUT to a second worker while the first is still at it. A run that finds the lock
held logs it and stops; the next period runs the job again.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from hubsite.locks import run_alone

logger = logging.getLogger(__name__)

# The worker stops a run at its hard time limit; the lock lasts this much longer, so it never lapses while the
# run still goes, and a run whose worker died frees it soon after the limit rather than at some other time.
LOCK_MARGIN = timedelta(minutes=1)


def lock_timeout(time_limit: timedelta) -> int:
    """Seconds a run's lock is held at most: its hard time limit and the margin."""
    return int((time_limit + LOCK_MARGIN).total_seconds())


def periodic_job(
    *,
    lock: str,
    queue: str,
    soft_time_limit: timedelta | None = None,
    time_limit: timedelta | None = None,
) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Declare ``run``, which takes no arguments, as a Celery task on ``queue`` that runs only while it holds
    the lock ``lock:<lock>``.

    The time limits default to the worker's own (CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT, which
    scoring runs under); a job whose work takes longer gives both here. The lock's timeout follows from the hard
    limit (``lock_timeout``), and the task carries both (``time_limit``, ``lock_timeout``), so the two cannot
    drift apart. The task carries its queue too (``periodic_queue``), and ``route_periodic_job``, named in
    settings.CELERY_TASK_ROUTES, sends it there however it is sent: by beat, by ``delay()`` or from a shell.
    """
    if (soft_time_limit is None) != (time_limit is None):
        raise ValueError(f"Periodic job {lock!r}: give both time limits or neither")
    hard = time_limit or timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    soft = soft_time_limit or timedelta(seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT)
    if soft >= hard:
        raise ValueError(f"Periodic job {lock!r}: the soft time limit ({soft}) must come before the hard ({hard})")
    timeout = lock_timeout(hard)

    def declare(run: Callable[[], None]) -> Callable[[], None]:
        # Takes no arguments, as beat gives none: Celery then refuses a call that passes some.
        @functools.wraps(run)
        def run_alone_or_skip() -> None:
            with run_alone(lock, timeout=timeout) as mine:
                if not mine:
                    logger.info("Another %s run holds the lock; skipping this one", lock)
                    return
                run()

        return shared_task(
            periodic_queue=queue,
            soft_time_limit=int(soft.total_seconds()),
            time_limit=int(hard.total_seconds()),
            lock_name=lock,
            lock_timeout=timeout,
        )(run_alone_or_skip)

    return declare


def route_periodic_job(name, args, kwargs, options, task=None, **rest) -> dict | None:
    """Celery router (settings.CELERY_TASK_ROUTES): a periodic job goes to the queue it was declared with.
    Celery deprecates the task's own ``queue`` attribute in favour of routes, hence a router."""
    queue = getattr(task, "periodic_queue", None)
    return {"queue": queue} if queue else None

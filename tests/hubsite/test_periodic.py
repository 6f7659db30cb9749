"""Periodic jobs (hubsite/periodic.py): one run at a time across workers, each lock as long as its job may run,
and each job on the queue of the worker meant for it. The lock is in the Redis cache the Hub runs with."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from importlib import import_module

import pytest
from django.core.cache import cache

from hubsite.periodic import LOCK_MARGIN, periodic_job
from tests.conftest import service_unavailable

# What the test job does when it runs; each test sets its own.
BODY = {"run": lambda: None}


@periodic_job(
    lock="test-periodic-job",
    queue="housekeeping",
    soft_time_limit=timedelta(minutes=6),
    time_limit=timedelta(minutes=7),
)
def job() -> None:
    BODY["run"]()


@pytest.fixture
def redis_cache(settings):
    """The raw Redis client behind the cache, which must be Redis: the lock has to hold across processes."""
    import redis

    if not settings.CACHES["default"]["BACKEND"].endswith(".RedisCache"):
        service_unavailable("CACHE_URL does not point at Redis, where locks between workers live")
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


def task_named(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(import_module(module), name)


@pytest.mark.services
def test_the_lock_lasts_the_jobs_hard_time_limit_and_a_margin(redis_cache, monkeypatch):
    left = []
    monkeypatch.setitem(BODY, "run", lambda: left.append(redis_cache.ttl(cache.make_key("lock:test-periodic-job"))))
    job.delay()
    assert (job.soft_time_limit, job.time_limit) == (6 * 60, 7 * 60)
    assert job.lock_timeout == 7 * 60 + LOCK_MARGIN.total_seconds() == 8 * 60
    assert 7 * 60 < left[0] <= 8 * 60, "the lock in Redis expires after the hard limit, with the margin"
    assert cache.get("lock:test-periodic-job") is None, "and goes as soon as the run ends"


@pytest.mark.services
def test_a_second_run_while_the_first_goes_is_skipped_and_logged(redis_cache, monkeypatch, caplog):
    started, finish = threading.Event(), threading.Event()
    runs = []

    def slow() -> None:
        runs.append(threading.current_thread().name)
        started.set()
        finish.wait(30)

    monkeypatch.setitem(BODY, "run", slow)
    first = threading.Thread(target=job.delay, name="first")
    first.start()
    try:
        assert started.wait(30), "the first run started"
        with caplog.at_level(logging.INFO, logger="hubsite.periodic"):
            job.delay()
    finally:
        finish.set()
        first.join(30)
    assert runs == ["first"]
    assert "Another test-periodic-job run holds the lock; skipping this one" in caplog.messages

    job.delay()
    assert runs == ["first", "MainThread"], "once the first run ends, the next one runs"


@pytest.mark.services
def test_a_run_that_fails_frees_the_lock(redis_cache, monkeypatch):
    def fail() -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setitem(BODY, "run", fail)
    with pytest.raises(RuntimeError):
        job.delay()
    assert cache.get("lock:test-periodic-job") is None


def test_limits_are_given_both_and_in_order():
    with pytest.raises(ValueError, match="both time limits or neither"):
        periodic_job(lock="x", queue="housekeeping", time_limit=timedelta(minutes=5))
    for soft in (timedelta(minutes=5), timedelta(minutes=6)):
        with pytest.raises(ValueError, match="soft time limit"):
            periodic_job(lock="x", queue="housekeeping", soft_time_limit=soft, time_limit=timedelta(minutes=5))


def test_every_job_beat_starts_runs_alone_with_a_lock_that_outlasts_its_time_limit(settings):
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = task_named(entry["task"])
        assert task.lock_name == name, entry["task"]
        assert task.soft_time_limit < task.time_limit, entry["task"]
        assert task.lock_timeout == task.time_limit + LOCK_MARGIN.total_seconds(), entry["task"]


def test_housekeeping_runs_on_its_own_queue_with_limits_past_scorings(settings, beat_sends):
    queues = {entry["task"]: beat_sends(name, entry) for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert queues == {
        "triage.tasks.requeue_unscored_reports": settings.SCORING_QUEUE,
        "triage.tasks.refresh_priorities": settings.HOUSEKEEPING_QUEUE,
        "hubsite.tasks.purge_audit_log": settings.HOUSEKEEPING_QUEUE,
        "hubsite.tasks.clear_expired_sessions": settings.HOUSEKEEPING_QUEUE,
        "triage.tasks.apply_retention": settings.HOUSEKEEPING_QUEUE,
        "volunteers.tasks.purge_abandoned_imports": settings.HOUSEKEEPING_QUEUE,
        "notifications.tasks.send_daily_digests": settings.HOUSEKEEPING_QUEUE,
        "notifications.tasks.send_left_behind_email": settings.HOUSEKEEPING_QUEUE,
        "triage.tasks.remind_officers": settings.HOUSEKEEPING_QUEUE,
        "notifications.tasks.purge_old_notifications": settings.HOUSEKEEPING_QUEUE,
    }
    for daily in ("hubsite.tasks.purge_audit_log", "triage.tasks.apply_retention"):
        assert task_named(daily).time_limit == 60 * 60 > settings.CELERY_TASK_TIME_LIMIT
    # The sweep only queues reports again: it stays with scoring, under scoring's limits.
    sweep = task_named("triage.tasks.requeue_unscored_reports")
    assert (sweep.soft_time_limit, sweep.time_limit) == (
        settings.CELERY_TASK_SOFT_TIME_LIMIT,
        settings.CELERY_TASK_TIME_LIMIT,
    )

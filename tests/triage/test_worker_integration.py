"""A report submitted over HTTP is scored by a real Celery worker process,
through Redis, against PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from hubsite.roles import Role
from reports.models import Category, Report
from tests.auth import login_wizard
from tests.factories import TEST_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


def database_url(connection) -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def worker_environment(postgresql, redis_broker: str, model_dir, **extra: str) -> dict[str, str]:
    """What a worker process needs to score for the test database through the test broker."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(postgresql),
        "CELERY_BROKER_URL": redis_broker,
        "MODEL_DIR": str(model_dir),
        "DB_CONN_MAX_AGE": "0",
        **extra,
    }


def start_worker(environment: dict[str, str], *, queue: str) -> tuple[subprocess.Popen, list[str]]:
    """A Celery worker in its own process; its log lines are collected as they come."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hubsite", "worker", "-Q", queue,
         "--pool=solo", "--concurrency=1", "--without-gossip", "--without-mingle", "-l", "info"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    log: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in worker.stdout:
            log.append(line)
            if re.search(r"celery@\S+ ready\.", line):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(WAIT_SECONDS) or worker.poll() is not None:
        stop(worker)
        pytest.fail("The worker did not start:\n" + "".join(log))
    return worker, log


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def empty_broker(url: str) -> None:
    """No message left by an earlier run, waiting or delivered and unacknowledged: it would point at rows that no
    longer exist, or be handed back to a worker in the middle of this test."""
    import redis

    from hubsite.celery import app

    app.control.purge()
    redis.Redis.from_url(url).delete("unacked", "unacked_index", "unacked_mutex")  # kombu's Redis bookkeeping


@pytest.fixture
def celery_worker_process(postgresql, redis_broker, model_dir, settings):
    """A worker in its own process, consuming the scoring queue of the test database."""
    empty_broker(redis_broker)
    worker, _ = start_worker(worker_environment(postgresql, redis_broker, model_dir), queue=settings.SCORING_QUEUE)
    yield worker
    stop(worker)


def sign_in(session: requests.Session, base: str, username: str) -> None:
    session.get(f"{base}/accounts/login/", timeout=10).raise_for_status()
    response = session.post(
        f"{base}/accounts/login/",
        data={**login_wizard(username, TEST_PASSWORD), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=10,
    )
    response.raise_for_status()
    assert response.url.rstrip("/").endswith("/volunteers"), "signed in and sent to their own page"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_report_submitted_over_http_is_scored_by_a_real_worker(
    live_server, reference_data, active_model, celery_worker_process
):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    session = requests.Session()
    sign_in(session, live_server.url, volunteer.username)
    session.get(f"{live_server.url}/reports/new/", timeout=10).raise_for_status()
    response = session.post(
        f"{live_server.url}/reports/new/",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "post_url": "https://x.com/poster/status/42",
            "captured_text": "Jews are vermin and should be driven out of the country.",
            "author_handle": "@poster",
            "categories": [Category.objects.get(slug="antisemitic").pk],
            "submission_key": "2b0c6a4e-77e9-4d1c-8f55-6a0f3a1c9e10",
        },
        timeout=10,
    )
    response.raise_for_status()
    report = Report.objects.get(reporter=volunteer)

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.score_status != Report.ScoreStatus.PENDING:
            break
        time.sleep(0.2)
    assert report.score_status == Report.ScoreStatus.SCORED, "the worker scored the report in time"
    assert report.model_version == active_model.version
    assert report.score > 0.5
    assert report.case.score == pytest.approx(report.score)


def wait_until_scored(report: Report) -> Report:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.score_status != Report.ScoreStatus.PENDING:
            return report
        time.sleep(0.1)
    pytest.fail(f"Report {report.pk} was not scored within {WAIT_SECONDS} s")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_scoring_while_a_model_trains_then_uses_the_new_one_without_a_restart(
    reference_data, active_model, celery_worker_process, postgresql, model_dir
):
    from tests.factories import ReportFactory
    from triage.models import ClassifierVersion
    from triage.tasks import score_report

    environment = dict(os.environ)
    environment.update(DATABASE_URL=database_url(postgresql), MODEL_DIR=str(model_dir), DJANGO_DEBUG="true")
    training = subprocess.Popen(
        [sys.executable, "manage.py", "train_classifier", "--activate", "--seed", "5"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        scored_during_training = []
        while training.poll() is None and len(scored_during_training) < 3:
            report = ReportFactory(captured_text="Muslims are vermin and should be driven out.")
            score_report.delay(report.pk)
            report = wait_until_scored(report)
            if training.poll() is None:
                scored_during_training.append(report)
        output, _ = training.communicate(timeout=300)
    finally:
        stop(training)
    assert training.returncode == 0, output
    assert scored_during_training, "training finished before a report could be scored beside it"
    assert all(report.model_version == active_model.version for report in scored_during_training)

    new = ClassifierVersion.objects.active()
    assert new.version != active_model.version
    later = ReportFactory(captured_text="Jews are vermin and should be driven out.")
    score_report.delay(later.pk)
    assert wait_until_scored(later).model_version == new.version
    assert celery_worker_process.poll() is None, "the same worker process, never restarted"

"""Redis down while a volunteer submits: the report is saved, waits, and is scored
exactly once after Redis is back and the sweep runs.

Uses its own Redis server on a spare port, so stopping it touches nothing else,
and runs the web app (gunicorn) and a worker as separate processes.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from hubsite.roles import Role
from reports.models import Category, Report
from tests.conftest import service_unavailable
from tests.factories import UserFactory
from tests.triage.test_worker_integration import ROOT, database_url, start_worker, stop

WAIT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, what: str, seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


class OwnRedis:
    def __init__(self, directory: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            service_unavailable("redis-server is not installed")
        self.binary, self.directory, self.port, self.process = binary, directory, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        wait_until(lambda: _answers(redis.Redis(port=self.port, socket_connect_timeout=0.5)), "our Redis to start")

    def stop(self) -> None:
        stop(self.process)


def _answers(client) -> bool:
    try:
        return client.ping()
    except Exception:
        return False


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_report_sent_while_redis_is_down_is_scored_once_when_it_is_back(
    postgresql, redis_broker, reference_data, active_model, model_dir, tmp_path, settings
):
    own_redis = OwnRedis(tmp_path)
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=database_url(postgresql),
        CELERY_BROKER_URL=own_redis.url,
        MODEL_DIR=str(model_dir),
        DB_CONN_MAX_AGE="0",
        SECRET_KEY=settings.SECRET_KEY,
        SECURE_COOKIES="false",
        STATIC_MANIFEST="false",
    )
    web_port = free_port()
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hubsite.wsgi", "--bind", f"127.0.0.1:{web_port}", "--workers", "1"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{web_port}"
    worker = None
    try:
        wait_until(lambda: _get_ok(f"{base}/healthz"), "gunicorn to start")
        volunteer = UserFactory(role=Role.VOLUNTEER)
        session = requests.Session()
        session.cookies.set("sessionid", signed_in_session(volunteer))

        # Redis is down (never started): the volunteer submits.
        assert requests.get(f"{base}/readyz", timeout=10).json()["checks"]["broker"] == "unreachable"
        session.get(f"{base}/reports/new/", timeout=10)
        started = time.monotonic()
        response = session.post(
            f"{base}/reports/new/",
            data={
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
                "submission_key": str(uuid.uuid4()),
                "post_url": "https://x.com/poster/status/404",
                "captured_text": "Muslims are vermin and should be driven out of the country.",
                "categories": [Category.objects.get(slug="anti-muslim").pk],
            },
            timeout=30,
        )
        submit_seconds = time.monotonic() - started
        assert response.status_code == 200 and response.url.endswith("/reports/mine/"), "saved and thanked"
        assert submit_seconds < 15, f"the submission waited {submit_seconds:.1f}s for a dead broker"
        report = Report.objects.get(reporter=volunteer)
        assert report.score_status == Report.ScoreStatus.PENDING
        assert "Waiting for scoring" in session.get(f"{base}/reports/mine/", timeout=10).text

        # Redis is back; a worker runs; the sweep queues what was left.
        own_redis.start()
        worker, log = start_worker(environment, queue="scoring")
        for _ in range(2):  # a second sweep must not score it again
            sweep = subprocess.run(
                [sys.executable, "manage.py", "requeue_unscored", "--older-than-minutes", "0"],
                cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert sweep.returncode == 0, sweep.stderr
            wait_until(
                lambda: Report.objects.filter(pk=report.pk, score_status=Report.ScoreStatus.SCORED).exists(),
                "the worker to score the report",
            )
        time.sleep(1)
        report.refresh_from_db()
        assert report.model_version == active_model.version
        stop(worker)
        worker = None
        assert "".join(log).count(f"Scored report {report.pk}:") == 1, "scored exactly once"
    finally:
        stop(worker)
        stop(web)
        own_redis.stop()


def signed_in_session(user) -> str:
    """A session key for ``user``, as signing in would create (the web process shares the database)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "hubsite.sign_in.HubModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _get_ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False

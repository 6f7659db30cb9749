"""Faults while scoring, with real parts: a worker killed mid-task, two workers on one report, and the
PostgreSQL server restarted under a working worker.

Each holds the report's row locked from the test, so a worker is caught exactly at the point of storing
its score, and checks afterwards that the report was scored once: one score, one "scored" on the timeline.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connections

from reports.models import Report
from tests.conftest import service_unavailable
from tests.factories import ReportFactory
from tests.triage.test_worker_integration import (
    WAIT_SECONDS,
    empty_broker,
    start_worker,
    stop,
    wait_until_scored,
    worker_environment,
)
from triage.models import CaseEvent

HATEFUL = "Jews are vermin and should be driven out of the country."


@pytest.fixture
def fault_environment(postgresql, redis_broker, model_dir):
    from hubsite.celery import app

    empty_broker(redis_broker)
    # Tasks go through Redis to the worker processes here, not run in the test's own process.
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield worker_environment(
        postgresql,
        redis_broker,
        model_dir,
        BROKER_VISIBILITY_TIMEOUT="3",  # a dead worker's task comes back within seconds, not minutes
        BROKER_RESTORE_INTERVAL="1",
        SCORING_BATCH_SIZE="1",
    )
    app.conf.task_always_eager = eager


def blocked_on_the_row(count: int = 1) -> bool:
    """Whether ``count`` other sessions wait on a row lock (our worker, caught storing its score)."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] >= count


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Timed out waiting for {what}")


def hold_row_lock(report_pk: int):
    """A second connection holding the report's row, as a long transaction elsewhere would."""
    from django.db import connections as all_connections

    holder = all_connections.create_connection("default")
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute("SELECT id FROM reports_report WHERE id = %s FOR UPDATE", [report_pk])
    return holder


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_is_redelivered_and_the_report_scored_once(
    reference_data, active_model, fault_environment, settings
):
    from triage.tasks import score_report

    report = ReportFactory(captured_text=HATEFUL)
    holder = hold_row_lock(report.pk)
    first, first_log = start_worker(fault_environment, queue=settings.SCORING_QUEUE)
    try:
        score_report.delay(report.pk)
        wait_for(blocked_on_the_row, "the worker to reach the point of storing its score")
        os.kill(first.pid, signal.SIGKILL)  # dies holding the task, unacknowledged
        first.wait(timeout=10)
    finally:
        holder.rollback()
        holder.close()
        stop(first)
    assert Report.objects.get(pk=report.pk).score_status == Report.ScoreStatus.PENDING
    second, second_log = start_worker(fault_environment, queue=settings.SCORING_QUEUE)
    try:
        report = wait_until_scored(report)
    finally:
        stop(second)
    assert report.score_status == Report.ScoreStatus.SCORED
    assert CaseEvent.objects.filter(case_id=report.case_id, kind=CaseEvent.Kind.SCORED).count() == 1
    assert any(f"Scored report {report.pk}" in line for line in second_log), "the task came back to a new worker"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_report_score_it_once(reference_data, active_model, fault_environment, settings):
    from triage.tasks import score_report

    report = ReportFactory(captured_text=HATEFUL)
    holder = hold_row_lock(report.pk)
    workers = [start_worker(fault_environment, queue=settings.SCORING_QUEUE) for _ in range(2)]
    try:
        score_report.delay(report.pk)
        score_report.delay(report.pk)  # the same report, queued twice: each worker takes one
        wait_for(lambda: blocked_on_the_row(2), "both workers to reach the point of storing a score")
        holder.rollback()  # let them race
        wait_until_scored(report)
        time.sleep(1)  # the loser finishes too
    finally:
        holder.close()
        for worker, _ in workers:
            stop(worker)
    assert CaseEvent.objects.filter(case_id=report.case_id, kind=CaseEvent.Kind.SCORED).count() == 1
    logs = [line for _, log in workers for line in log if f"Scored report {report.pk}" in line]
    assert len(logs) == 1, logs


def postgres_restart_command() -> list[str]:
    """How to restart the PostgreSQL server under the test database: POSTGRES_RESTART_COMMAND if set; on CI,
    Debian's pg_ctlcluster for the local cluster on the test database's port. A restart cuts off every client
    of the server, so on a developer's machine it happens only when asked for."""
    if command := os.environ.get("POSTGRES_RESTART_COMMAND"):
        return shlex.split(command)
    if os.environ.get("CI") != "true":
        service_unavailable(
            "restarting PostgreSQL cuts off every client of the server: set POSTGRES_RESTART_COMMAND "
            "(e.g. 'sudo pg_ctlcluster 15 main restart') to run this test"
        )
    settings_dict = connections["default"].settings_dict
    if (settings_dict["HOST"] or "localhost") not in {"localhost", "127.0.0.1", "::1"}:
        service_unavailable("PostgreSQL is not on this machine: set POSTGRES_RESTART_COMMAND to restart it")
    if not shutil.which("pg_lsclusters"):
        service_unavailable("pg_lsclusters is not here: set POSTGRES_RESTART_COMMAND to restart PostgreSQL")
    port = str(settings_dict["PORT"] or 5432)
    listed = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True)  # noqa: S607
    for line in listed.stdout.splitlines():
        version, cluster, cluster_port, status, owner, *_ = line.split()
        if cluster_port == port and status == "online":
            if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != owner:
                service_unavailable(f"only root or {owner} may restart the cluster: set POSTGRES_RESTART_COMMAND")
            # Without systemd (containers, CI) pg_ctlcluster must not hand the restart to systemctl.
            no_systemd = [] if Path("/run/systemd/system").is_dir() else ["--skip-systemctl-redirect"]
            return ["pg_ctlcluster", *no_systemd, version, cluster, "restart"]
    service_unavailable(f"no online cluster on port {port} in pg_lsclusters: set POSTGRES_RESTART_COMMAND")


def server_started_at():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return cursor.fetchone()[0]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_postgresql_restarted_under_a_working_worker_the_task_retries_then_scores_the_report_once(
    reference_data, active_model, fault_environment, settings
):
    from triage.tasks import score_report

    restart = postgres_restart_command()
    report = ReportFactory(captured_text=HATEFUL)
    started_at = server_started_at()
    holder = hold_row_lock(report.pk)
    worker, log = start_worker(fault_environment, queue=settings.SCORING_QUEUE)
    try:
        score_report.delay(report.pk)
        wait_for(blocked_on_the_row, "the worker to reach the point of storing its score")
        restarted = subprocess.run(restart, capture_output=True, text=True, timeout=120, check=False)
        assert restarted.returncode == 0, f"{shlex.join(restart)} failed: {restarted.stderr}"
        connections.close_all()  # ours went down with the server, as the worker's did
        report = wait_until_scored(report)
    finally:
        holder.close()  # gone with the server, or (if the restart failed) its lock must not outlive the test
        stop(worker)
    assert server_started_at() > started_at, "the server really restarted"
    assert report.score_status == Report.ScoreStatus.SCORED
    assert CaseEvent.objects.filter(case_id=report.case_id, kind=CaseEvent.Kind.SCORED).count() == 1
    assert any("Retry in" in line and "OperationalError" in line for line in log), "".join(log)

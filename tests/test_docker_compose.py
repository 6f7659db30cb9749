"""docker-compose.yml is valid and wires every service with a health check.

Checked with Debian's docker-compose, which validates the file without an engine.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import service_unavailable

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def docker_compose() -> str:
    path = shutil.which("docker-compose")
    if path is None:
        service_unavailable("docker-compose is not installed (apt-get install docker-compose)")
    return path


def run_config(docker_compose: str, **extra_env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment.update(extra_env)
    return subprocess.run(
        [docker_compose, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.services
def test_compose_file_is_valid(docker_compose):
    result = run_config(docker_compose, SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


@pytest.mark.services
def test_compose_refuses_to_start_without_a_secret_key(docker_compose):
    result = run_config(docker_compose)
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_every_service_has_a_health_check():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "trainer", "housekeeper", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert "gunicorn" in services["web"]["command"]


def test_every_hub_process_shares_one_cache_for_rate_limits():
    """With DEBUG off the Hub refuses a cache private to each process (hubsite.E001)."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("web", "worker", "trainer", "housekeeper", "beat"):
        environment = services[name]["environment"]
        assert environment["CACHE_URL"].startswith("redis://redis:6379/"), name
        assert environment["CACHE_URL"] != environment["CELERY_BROKER_URL"], name


def test_a_worker_of_its_own_takes_the_training_queue_one_at_a_time():
    """Retraining runs for up to two hours: never on the scoring worker, whose reports would wait behind it."""
    from django.conf import settings

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    queue = settings.CELERY_TASK_ROUTES[0]["triage.tasks.classifier_train"]["queue"]
    trainer = services["trainer"]["command"]
    assert trainer[trainer.index("-Q") + 1] == queue and trainer[trainer.index("--concurrency") + 1] == "1"
    worker = services["worker"]["command"]
    assert queue not in worker[worker.index("-Q") + 1].split(",")


def consumed_queues(command: list[str]) -> list[str]:
    return command[command.index("-Q") + 1].split(",")


def test_every_job_beat_starts_goes_to_a_queue_a_worker_takes(beat_sends):
    from django.conf import settings

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    commands = [service.get("command") for service in services.values()]
    workers = [command for command in commands if isinstance(command, list) and "worker" in command]
    taken = {queue for command in workers for queue in consumed_queues(command)}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert beat_sends(name, entry) in taken, entry["task"]


def test_housekeeping_has_a_worker_of_its_own():
    """Retention and the audit purge run for up to an hour: never in a scoring process."""
    from django.conf import settings

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert consumed_queues(services["housekeeper"]["command"]) == [settings.HOUSEKEEPING_QUEUE]
    assert settings.HOUSEKEEPING_QUEUE not in consumed_queues(services["worker"]["command"])


def test_a_worker_takes_the_mail_queue():
    """Notification e-mails are sent only by a worker: without one taking their queue they would wait for ever."""
    from django.conf import settings

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    routes = settings.CELERY_TASK_ROUTES[0]
    for task in ("notifications.tasks.send_notification_email", "notifications.tasks.send_digest"):
        assert routes[task]["queue"] == settings.MAIL_QUEUE
    assert settings.MAIL_QUEUE in consumed_queues(services["worker"]["command"])

"""Shared fixtures. Tests run with DEBUG off, as the Hub is deployed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def service_unavailable(reason: str):
    """Fail when the run requires services (CI), otherwise skip with the reason."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Run tasks in-process unless a test asks for a real worker."""
    from hubsite.celery import app

    if request.node.get_closest_marker("services") and "celery_worker_process" in request.fixturenames:
        yield
        return
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    # Propagate, so an exception inside a task fails the test instead of vanishing.
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def beat_sends(monkeypatch):
    """Sends a CELERY_BEAT_SCHEDULE entry as beat does, and returns the name of the queue its message goes to,
    caught where Celery hands the message to the broker."""
    from celery.beat import ScheduleEntry, Scheduler

    from hubsite.celery import app

    queues = []
    monkeypatch.setattr(
        app.amqp, "send_task_message", lambda producer, name, message, **options: queues.append(options["queue"])
    )
    scheduler = Scheduler(app, lazy=True)

    def send(name: str, entry: dict) -> str:
        scheduler.apply_async(ScheduleEntry(name=name, app=app, **entry), advance=False)
        return queues.pop().name

    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    yield send
    app.conf.task_always_eager = eager


@pytest.fixture
def reference_data(transactional_db):
    """Roles and categories for tests that commit: the flush after each such test
    empties every table, so the data migrations' rows are put back first."""
    from importlib import import_module

    from django.apps import apps

    import_module("hubsite.migrations.0002_roles").create_roles(apps, None)
    import_module("hubsite.migrations.0003_partner_role_and_counter_speech").grant(apps, None)
    import_module("reports.migrations.0002_seed_categories").create_categories(apps, None)
    import_module("triage.migrations.0002_seed_forces").create_forces(apps, None)
    import_module("triage.migrations.0005_casework_data").seed_offences(apps, None)
    import_module("hubsite.migrations.0004_admins_view_classifier_activations").grant(apps, None)
    import_module("hubsite.migrations.0005_casework_permissions").grant(apps, None)
    import_module("volunteers.migrations.0002_seed_modules").seed(apps, None)
    import_module("hubsite.migrations.0006_admins_manage_volunteers").grant(apps, None)
    import_module("hubsite.migrations.0008_audit_log_append_only").grant(apps, None)
    import_module("hubsite.migrations.0010_admins_reset_sign_in_security").grant(apps, None)
    import_module("hubsite.migrations.0014_admins_retrain_and_activate_classifier").grant(apps, None)
    import_module("hubsite.migrations.0016_admins_issue_partner_tokens").grant(apps, None)


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory) -> Path:
    """A model trained once per test session on the seed corpus, saved as the registry saves it."""
    import skops.io

    from triage.classifier.datasets import load_dataset
    from triage.classifier.model import HubClassifier
    from triage.classifier.training import fit

    directory = tmp_path_factory.mktemp("models")
    model = fit(HubClassifier(seed=0), load_dataset("seed", None).examples)
    skops.io.dump(model, directory / "seed-test.skops")
    return directory


@pytest.fixture
def model_dir(settings, tmp_path, trained_model_dir) -> Path:
    directory = tmp_path / "models"
    shutil.copytree(trained_model_dir, directory)
    settings.MODEL_DIR = directory
    return directory


@pytest.fixture
def active_model(model_dir):
    """The seed-corpus model, registered and active."""
    from triage.classifier.model import text_pipeline
    from triage.classifier.registry import file_sha256, forget_loaded_models
    from triage.models import ClassifierVersion

    forget_loaded_models()
    artifact = model_dir / "seed-test.skops"
    return ClassifierVersion.objects.create(
        version="seed-test",
        artifact_path=artifact.name,
        artifact_sha256=file_sha256(artifact),
        is_active=True,
        training_data={"text_pipeline": text_pipeline()},
    )


@pytest.fixture(autouse=True)
def no_public_data(settings, tmp_path):
    """Tests read the public data sets only where they ask to: by default the folder is empty."""
    settings.CLASSIFIER_DATA_DIR = tmp_path / "no-public-data"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def postgresql(django_db_blocker):
    """The test database, which must be PostgreSQL for this test."""
    from django.db import connection

    if connection.vendor != "postgresql":
        service_unavailable("DATABASE_URL does not point at PostgreSQL")
    return connection


@pytest.fixture
def redis_broker():
    """The broker URL, after checking that Redis answers."""
    import redis
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if not settings.BROKER_CONFIGURED or not url.startswith("redis://"):
        service_unavailable("CELERY_BROKER_URL does not point at Redis")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        service_unavailable(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server in this process, and the Hub's mail pointed at it over the SMTP backend."""
    from tests.mail import SmtpServer

    server = SmtpServer()
    server.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.controller.stop()


@pytest.fixture
def sign_in(client):
    """Sign the test client in as a new person with ``role``; returns that person."""
    from tests.factories import UserFactory

    def as_role(role):
        from tests.auth import sign_in_verified

        return sign_in_verified(client, UserFactory(role=role))

    return as_role


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counters must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

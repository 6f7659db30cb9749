import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hubsite import env

ROOT = Path(__file__).resolve().parents[2]


def _check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DJANGO_DEBUG"}}
    environment.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = _check({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_secret_key_given_starts():
    result = _check({"SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_asked_for():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hubsite.settings'; django.setup();"
        "from django.conf import settings; print(settings.DEBUG)"
    )
    for value, expected in ((None, "False"), ("true", "True"), ("false", "False")):
        environment = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
        environment["SECRET_KEY"] = "x" * 50
        if value is not None:
            environment["DJANGO_DEBUG"] = value
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
        )
        assert result.stdout.strip() == expected, result.stderr


def test_secret_can_come_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("HUB_TEST_SECRET", raising=False)
    monkeypatch.setenv("HUB_TEST_SECRET_FILE", str(secret))
    assert env.env_str("HUB_TEST_SECRET") == "from-a-file"


@pytest.mark.parametrize(("reader", "value"), [(env.env_bool, "perhaps"), (env.env_int, "ten")])
def test_typed_readers_refuse_bad_values(monkeypatch, reader, value):
    monkeypatch.setenv("HUB_TEST_VALUE", value)
    with pytest.raises(ImproperlyConfigured, match="HUB_TEST_VALUE"):
        reader("HUB_TEST_VALUE", 0)


def _configured(**variables: str) -> list[str]:
    """Database engine, eager flag and broker URL as a fresh process sees them with these variables."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    environment.update(SECRET_KEY="x" * 50, **variables)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hubsite.settings'; django.setup();"
        "from django.conf import settings; from hubsite.celery import app;"
        "print(settings.DATABASES['default']['ENGINE'], app.conf.task_always_eager, app.conf.broker_url)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_embedded_default_uses_sqlite_and_eager_tasks():
    assert _configured() == ["django.db.backends.sqlite3", "True", "memory://"]


def test_service_urls_switch_to_postgresql_and_a_real_broker():
    assert _configured(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/hub", CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    ) == ["django.db.backends.postgresql", "False", "redis://127.0.0.1:6379/0"]


def test_a_visibility_timeout_shorter_than_a_task_may_take_is_warned_of(settings):
    from hubsite.checks import broker_hands_back_only_dead_workers_tasks as check

    assert check() == [], "the defaults agree"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": 60}
    (warning,) = check()
    assert warning.id == "hubsite.W001" and "Set BROKER_VISIBILITY_TIMEOUT above 120" in warning.hint

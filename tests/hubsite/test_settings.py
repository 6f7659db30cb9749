import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
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
    assert _configured(ALLOW_SQLITE_IN_PRODUCTION="true") == [
        "django.db.backends.sqlite3",
        "True",
        "memory://localhost/",
    ]


def test_service_urls_switch_to_postgresql_and_a_real_broker():
    assert _configured(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/hub", CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    ) == ["django.db.backends.postgresql", "False", "redis://127.0.0.1:6379/0"]


def test_a_visibility_timeout_shorter_than_a_task_may_take_is_warned_of(settings):
    from triage.checks import broker_hands_back_only_dead_workers_tasks as check

    assert check() == [], "the defaults agree"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": 60}
    (warning,) = check()
    assert warning.id == "triage.W001" and "Set BROKER_VISIBILITY_TIMEOUT above 120" in warning.hint


def _start(**variables: str) -> subprocess.CompletedProcess:
    """A fresh process's Django set-up with DEBUG off and these variables instead of the test run's database
    and cache settings; prints the database engine and its options."""
    replaced = {"DATABASE_URL", "ALLOW_SQLITE_IN_PRODUCTION", "CACHE_URL", "ALLOW_LOCAL_CACHE", "DJANGO_DEBUG"}
    environment = {k: v for k, v in os.environ.items() if k not in replaced}
    environment.update(SECRET_KEY="x" * 50, **variables)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hubsite.settings'; django.setup();"
        "from django.conf import settings; database = settings.DATABASES['default'];"
        "print(database['ENGINE'], sorted(database.get('OPTIONS', {}).items()))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("database_url", [None, "sqlite:////tmp/hub-test-refused.sqlite3"])
def test_sqlite_is_refused_with_debug_off_naming_database_url(database_url):
    variables = {"DATABASE_URL": database_url} if database_url else {}
    refused = _start(**variables)
    assert refused.returncode != 0
    assert "With DEBUG off the Hub needs PostgreSQL: set DATABASE_URL" in refused.stderr
    assert "ALLOW_SQLITE_IN_PRODUCTION=true" in refused.stderr

    allowed = _start(**variables, ALLOW_SQLITE_IN_PRODUCTION="true")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.startswith("django.db.backends.sqlite3")


@pytest.mark.parametrize("database_url", [None, "sqlite:////tmp/hub-test.sqlite3"])
def test_sqlite_writers_wait_their_turn(database_url):
    """Every transaction takes SQLite's write lock as it begins, and waits for it (`make run` has DEBUG on)."""
    variables = {"DATABASE_URL": database_url} if database_url else {}
    started = _start(**variables, DJANGO_DEBUG="true")
    assert started.returncode == 0, started.stderr
    assert "('timeout', 60.0), ('transaction_mode', 'IMMEDIATE')" in started.stdout


def test_postgresql_needs_no_allowance():
    started = _start(DATABASE_URL="postgres://hub@db.example:5432/hub")
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("django.db.backends.postgresql")


def test_a_cache_private_to_each_process_is_an_error_with_debug_off(settings):
    from hubsite.checks import rate_limits_are_shared_between_processes as check

    settings.DEBUG, settings.ALLOW_LOCAL_CACHE = False, False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    (error,) = check()
    assert error.id == "hubsite.E001" and error.level == checks.ERROR
    assert error.msg.startswith("CACHE_URL is not set") and "CACHE_URL" in error.hint

    settings.ALLOW_LOCAL_CACHE = True
    assert check() == [], "a Hub that runs as one process may say so"
    settings.ALLOW_LOCAL_CACHE, settings.DEBUG = False, True
    assert check() == [], "`make run` is one process"
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://r/1"}}
    assert check() == []


def test_manage_check_stops_without_cache_url():
    environment = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "ALLOW_LOCAL_CACHE"}}
    environment.update(SECRET_KEY="x" * 50)
    environment.pop("DJANGO_DEBUG", None)
    checked = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert checked.returncode != 0
    assert "hubsite.E001" in checked.stderr and "Set CACHE_URL to a Redis database" in checked.stderr

    environment["CACHE_URL"] = "redis://127.0.0.1:6379/9"
    checked = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr

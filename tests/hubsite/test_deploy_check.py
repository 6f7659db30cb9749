"""Production settings pass Django's deployment checks, with nothing silenced but what is on purpose."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What the tests relax for plain-HTTP test servers; production sets none of them.
TEST_ONLY = {
    "DJANGO_DEBUG",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_environment() -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    environment.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="hub.police.example")
    return environment


def test_check_deploy_is_clean_under_production_settings():
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_environment(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_check_deploy_catches_a_weakened_setting():
    weakened = {**production_environment(), "SECURE_COOKIES": "false"}
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=weakened, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode != 0 and "SESSION_COOKIE_SECURE" in checked.stdout + checked.stderr

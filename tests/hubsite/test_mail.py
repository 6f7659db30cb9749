"""E-mail settings and the SMTP server the mail tests use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import send_mail

ROOT = Path(__file__).resolve().parents[2]


def test_mail_sent_through_django_arrives_at_the_smtp_server(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "The Hub <hub@hub.example>"

    send_mail("A change on the Hub", "Open the Hub to see it.", None, ["person@example.org"])

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "person@example.org"
    assert message["From"] == "The Hub <hub@hub.example>"
    assert message["Subject"] == "A change on the Hub"
    assert "Open the Hub to see it." in smtp_server.body(message)


def _settings_value(extra_env: dict[str, str], name: str) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hubsite.settings'; django.setup();"
        f"from django.conf import settings; print(settings.{name})"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "DJANGO_DEBUG"))}
    environment.update({"SECRET_KEY": "x" * 50, **extra_env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("debug", "backend"),
    [
        ("true", "django.core.mail.backends.console.EmailBackend"),
        ("false", "django.core.mail.backends.smtp.EmailBackend"),
    ],
)
def test_make_run_prints_mail_and_a_deployment_sends_it_over_smtp(debug, backend):
    result = _settings_value({"DJANGO_DEBUG": debug}, "EMAIL_BACKEND")
    assert result.stdout.strip() == backend, result.stderr


def test_starttls_and_ssl_together_stop_start_up_naming_the_fix():
    result = _settings_value({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_HOST")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS" in result.stderr and "not both" in result.stderr

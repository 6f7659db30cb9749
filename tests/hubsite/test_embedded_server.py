"""`make run`'s embedded server (SQLite, tasks in-process) under many partners sending at once.

Runs the real server in its own process, as `make run` does (DEBUG on, no DATABASE_URL, no broker, no
CACHE_URL), on a SQLite file of its own, and sends it 100 submissions at once. SQLite lets one writer at a
time: the others must wait their turn, not fail with "database is locked".
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PARTNERS = 4
DEMO_PASSWORD = "hub-demo-password"  # noqa: S105 - `make run`'s own demo password
# Each partner reports every post: 100 submissions, 25 cases of 4 reports. 25 per partner stays under the
# partner rate limit `make run` keeps (PARTNER_INTAKE_RATE, 120 a minute), so every one must be accepted.
POSTS = 25

# Registers the model trained for this session as the active one, and makes the partners and their tokens.
SETUP = """
import json, os
from hubsite.roles import Role
from volunteers.services import user_create
from triage.classifier.model import text_pipeline
from triage.classifier.registry import file_sha256
from django.conf import settings
from triage.models import ClassifierVersion
from hubsite.models import PartnerOrganisation
from hubsite.partner_tokens import partner_token_issue

artifact = settings.MODEL_DIR / "seed-test.skops"
ClassifierVersion.objects.create(
    version="seed-test", artifact_path=artifact.name, artifact_sha256=file_sha256(artifact), is_active=True,
    training_data={"text_pipeline": text_pipeline()},
)
tokens = []
organisation = PartnerOrganisation.objects.create(name="Test partners")
for number in range(int(os.environ["HUB_TEST_PARTNERS"])):
    partner = user_create(username=f"partner{number}", password="a-partner-password", role=Role.PARTNER)
    partner.partner_organisation = organisation
    partner.save(update_fields=["partner_organisation"])
    tokens.append(partner_token_issue(name="Load test", user=partner, by=None).secret)
print(json.dumps(tokens))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def embedded_environment(var_dir: Path) -> dict[str, str]:
    """What `make run` gives the server: DEBUG on and nothing configured but its own scratch directory."""
    unset = {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "MODEL_DIR", "MEDIA_ROOT", "STATIC_ROOT"}
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(DJANGO_DEBUG="true", HUB_VAR_DIR=str(var_dir), DEMO_PASSWORD=DEMO_PASSWORD)
    return environment


def _manage(environment: dict[str, str], *arguments: str, timeout: int = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def prepared_hub(var_dir: Path, model_dir: Path, *, partners: int) -> tuple[dict[str, str], list[str], str]:
    """A fresh embedded Hub in ``var_dir``, migrated, with ``model_dir``'s model active and ``partners`` partner
    accounts: returns its environment, the partners' tokens and what `migrate` printed."""
    shutil.copytree(model_dir, var_dir / "models")
    environment = embedded_environment(var_dir)
    migrated = _manage(environment, "migrate", "--noinput")
    made = _manage({**environment, "HUB_TEST_PARTNERS": str(partners)}, "shell", "--no-imports", "-c", SETUP)
    return environment, json.loads(made.stdout.strip().splitlines()[-1]), migrated.stdout + migrated.stderr


@pytest.fixture
def embedded_server(tmp_path, trained_model_dir):
    """The embedded server on a fresh SQLite file, with an active model and partner tokens.
    Yields (url, tokens, database path)."""
    var_dir = tmp_path / "var"
    environment, tokens, _ = prepared_hub(var_dir, trained_model_dir, partners=PARTNERS)
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{url}/healthz", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the embedded server did not start: {(tmp_path / 'server.log').read_text()}")
                time.sleep(0.2)
        yield url, tokens, var_dir / "hub.sqlite3"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _submit(url: str, token: str, post: int) -> tuple[int, str]:
    """One partner's submission of one post, as a careful partner sends it: with an Idempotency-Key, sent again
    with the same key while the server has not answered at all. runserver accepts 10 connections at a time
    (its listen backlog), so with 100 at once the operating system turns some away before Django sees them."""
    body = {
        "post_url": f"https://x.com/someone{post}/status/{1850000000000000000 + post}",
        "captured_text": f"They are vermin and should all be driven out (post {post}).",
        "author_handle": f"@someone{post}",
        "categories": ["race"],
    }
    headers = {"Authorization": f"Token {token}", "Idempotency-Key": f"p{post}"}
    for attempt in range(1, 6):
        try:
            response = requests.post(f"{url}/api/v1/reports/", json=body, headers=headers, timeout=120)
        except requests.ConnectionError as error:  # no HTTP answer: the connection was turned away
            if attempt == 5:
                return 0, repr(error)
            time.sleep(0.2 * attempt)
            continue
        return response.status_code, response.text
    raise AssertionError("unreachable")


def test_a_hundred_concurrent_submissions_are_each_accepted_stored_once_and_scored(embedded_server):
    url, tokens, database = embedded_server
    jobs = [(token, post) for post in range(POSTS) for token in tokens]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        answers = list(pool.map(lambda job: _submit(url, *job), jobs))

    refused = [(status, body[:300]) for status, body in answers if status != 201]
    by_status = Counter(status for status, _ in refused)
    assert not refused, f"{len(refused)} of {len(jobs)} not accepted ({dict(by_status)}), e.g. {refused[:2]}"
    ids = [json.loads(body)["id"] for _, body in answers]
    assert len(set(ids)) == len(jobs)

    with sqlite3.connect(database) as connection:
        stored = connection.execute(
            "SELECT COUNT(*), COUNT(DISTINCT reporter_id || ' ' || normalised_url) FROM reports_report"
        ).fetchone()
        statuses = dict(connection.execute("SELECT score_status, COUNT(*) FROM reports_report GROUP BY 1"))
        cases = connection.execute("SELECT COUNT(*), MIN(reporter_count), MAX(reporter_count) FROM triage_case")
        cases = cases.fetchone()
    assert stored == (len(jobs), len(jobs)), "each submission stored exactly once"
    assert statuses == {"scored": len(jobs)}
    assert cases == (POSTS, PARTNERS, PARTNERS), "one case per post, with every partner's report"


def test_a_newcomers_first_make_run_prints_no_warning(tmp_path, trained_model_dir):
    """`make run` on a fresh checkout: migrate and seed_demo say nothing the README does not (no SQLite index
    warning from the checks, no broker warning from tasks run in-process)."""
    environment, _, migrated = prepared_hub(tmp_path / "var", trained_model_dir, partners=0)
    seeded = _manage(environment, "seed_demo")
    assert "W040" not in migrated and "WARNING" not in migrated.upper(), migrated
    printed = seeded.stdout + seeded.stderr
    assert "[4/4] demo report added" in printed
    assert "No hostname was supplied" not in printed and "WARNING" not in printed, printed

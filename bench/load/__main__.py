"""Load benchmark: volunteers sending reports while officers read the queue and cases, against the Hub
as deployed (gunicorn, PostgreSQL, Redis and Celery workers), driven by locust from another process.

Run:  .venv/bin/python bench/load [--seconds 60] [--users 40] [--max-requests 50000]
                                  [--web-workers 4] [--scoring-concurrency 2] [--cases 5000]

It makes a scratch database (hub_bench_load), migrates it, trains the model, seeds a queue of --cases
cases (three reports each) and one account per simulated person (volunteers trained to report;
officers with an authenticator), starts gunicorn and a scoring worker on loopback, then runs locust
headless (var/bench/venvs/load, made on first use from requirements-bench-load.txt) for --seconds or
--max-requests, whichever comes first. Three in four simulated people are volunteers, one in four
officers; each waits 0.2-1 s between actions. Afterwards it prints throughput, p50 and p99 and the
failures of each kind of request, then waits until every report the Hub accepted is scored, checking
that each was stored and none lost. Figures go to var/bench/load.json; the exit status is 1 if any
request failed or any accepted report was not stored and scored.
Needs PostgreSQL and Redis on this machine (see README); Redis database 6 is emptied before and after.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import (  # noqa: E402
    Unavailable,
    cache_url_beside,
    empty_redis_database,
    fail,
    free_port,
    manage,
    reset_database,
    start,
    stop_all,
    venv_python,
    wait_for_web,
)  # noqa: E402

PYTHON = sys.executable
OUT = ROOT / "var" / "bench" / "load"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
PROGRESS = "@@ "


def say(message: str) -> None:
    print(message, flush=True)


def start_worker(env: dict, concurrency: int, log_path: Path) -> subprocess.Popen:
    """A scoring worker; returns once it says it is ready."""
    log = log_path.open("w")
    worker = start(
        [PYTHON, "-m", "celery", "-A", "hubsite", "worker", "-Q", "scoring", "--concurrency", str(concurrency),
         "--without-gossip", "--without-mingle", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            fail(f"the worker exited with status {worker.returncode}; see {log_path.relative_to(ROOT)}")
        if " ready." in log_path.read_text():
            return worker
        time.sleep(0.3)
    fail(f"the worker was not ready within 60 s; see {log_path.relative_to(ROOT)}")


def seed_people(volunteers: int, officers: int) -> dict:
    """One account per simulated person; returned as the load generator needs them (passwords, TOTP keys)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hubsite.models import User
    from hubsite.roles import Role
    from reports.models import Category
    from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile
    from volunteers.services import user_create

    run = secrets.token_hex(4)
    password = secrets.token_urlsafe(16)
    people = {"run": run, "volunteers": [], "officers": []}
    induction = TrainingModule.objects.filter(unlocks_reporting=True, is_active=True)
    for index in range(volunteers):
        user = user_create(username=f"load-volunteer-{index}", password=None, role=Role.VOLUNTEER)
        VolunteerProfile.objects.filter(user=user).update(status=VolunteerProfile.Status.ACTIVE)
        TrainingRecord.objects.bulk_create(
            TrainingRecord(volunteer=user, module=module, completed_on=timezone.localdate()) for module in induction
        )
        people["volunteers"].append({"username": user.username, "password": password})
    for index in range(officers):
        user = user_create(username=f"load-officer-{index}", password=None, role=Role.OFFICER)
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        people["officers"].append(
            {"username": user.username, "password": password, "key": device.key, "step": device.step,
             "t0": device.t0, "digits": device.digits}
        )  # fmt: skip
    User.objects.filter(username__startswith="load-").update(password=make_password(password))  # hashed once
    people["categories"] = list(
        Category.objects.filter(is_active=True, requires_training=False).values_list("pk", flat=True)
    )
    return people


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def request_figures(results: dict) -> list[dict]:
    """Per kind of request, then over all: how many, how many failed, per second, p50, p99 and max."""
    seconds = results["seconds"]
    every: list[float] = []
    rows = []
    for kind, times in sorted(results["timings_ms"].items()):
        every.extend(times)
        failed = sum(results["failures"].get(kind, {}).values())
        rows.append(figure_row(kind, sorted(times), failed, seconds))
    rows.append(figure_row("all requests", sorted(every), sum(r["failures"] for r in rows), seconds))
    return rows


def figure_row(kind: str, ordered: list[float], failed: int, seconds: float) -> dict:
    return {
        "kind": kind,
        "requests": len(ordered),
        "failures": failed,
        "per_second": round(len(ordered) / seconds, 1),
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
        "max_ms": round(ordered[-1], 1),
    }


def run_locust(python: Path, port: int, env: dict, options, accounts: Path, results: Path) -> None:
    log_path = OUT / "locust.log"
    command = [
        str(python), "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", f"http://127.0.0.1:{port}",
        "--users", str(options.users), "--spawn-rate", str(options.spawn_rate), "--run-time", f"{options.seconds}s",
        "--max-requests", str(options.max_requests), "--stop-timeout", "20",
        "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    locust_env = {"PATH": env["PATH"], "LOAD_ACCOUNTS": str(accounts), "LOAD_RESULTS": str(results)}
    with log_path.open("w") as log:
        runner = subprocess.Popen(
            command, cwd=ROOT, env=locust_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for line in runner.stdout:
            log.write(line)
            if line.startswith(PROGRESS):
                say(f"  {line[len(PROGRESS) :].rstrip()}")
        runner.wait()
    if runner.returncode != 0 or not results.is_file():
        fail(f"locust exited with status {runner.returncode}; see {log_path.relative_to(ROOT)}")


def drain(accepted: list[str], seconds: float) -> dict:
    """Wait until every accepted report is scored; what was stored, scored, and how long scoring lagged."""
    from django.db import connection

    from reports.models import Report

    began = time.monotonic()
    shown = began
    wanted = set(accepted)
    while True:
        stored = Report.objects.filter(post_url__in=wanted)
        # Distinct links: each accepted report has its own, so a lost one cannot hide behind a duplicate.
        scored = stored.filter(score_status=Report.ScoreStatus.SCORED).values("post_url").distinct().count()
        total = stored.values("post_url").distinct().count()
        if scored == len(wanted) or time.monotonic() - began > seconds:
            break
        if time.monotonic() - shown > 5:
            say(f"  {scored:,} of {len(accepted):,} accepted reports scored")
            shown = time.monotonic()
        time.sleep(1)
    lags = sorted(
        (report.scored_at - report.created_at).total_seconds()
        for report in stored.filter(score_status=Report.ScoreStatus.SCORED).only("created_at", "scored_at")
    )
    connection.close()
    return {
        "accepted": len(wanted),
        "stored": total,
        "scored": scored,
        "waited_after_load_s": round(time.monotonic() - began, 1),
        "scoring_lag_p50_s": round(percentile(lags, 0.50), 2) if lags else None,
        "scoring_lag_p99_s": round(percentile(lags, 0.99), 2) if lags else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="How long the load runs (default 60).")
    parser.add_argument("--max-requests", type=int, default=50_000, help="Or stop after this many (default 50000).")
    parser.add_argument("--users", type=int, default=40, help="Simulated people at once (default 40).")
    parser.add_argument("--spawn-rate", type=float, default=5, help="People joining per second (default 5).")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn worker processes (default 4).")
    parser.add_argument("--scoring-concurrency", type=int, default=2, help="Scoring worker processes (default 2).")
    parser.add_argument("--cases", type=int, default=5_000, help="Cases in the queue before the load (default 5000).")
    parser.add_argument("--drain-seconds", type=int, default=300, help="How long to wait for scoring (default 300).")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hub_bench_load")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/6")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    say("[1/7] the load generator's environment (locust)")
    try:
        locust_python = venv_python("load", ("-r", "requirements-bench-load.txt", "-c", "constraints.txt"), say)
    except Unavailable as exc:
        fail(f"locust could not be installed: {exc}")

    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": options.database_url,
        "CELERY_BROKER_URL": options.broker_url,
        "CACHE_URL": cache_url_beside(options.broker_url),
        "MODEL_DIR": str(OUT / "models"),
        "STATIC_ROOT": str(OUT / "static"),
        "MEDIA_ROOT": str(OUT / "media"),
        "DJANGO_DEBUG": "false",
        "STATIC_MANIFEST": "false",
        "SECURE_COOKIES": "false",  # plain HTTP on loopback: no TLS in front of gunicorn here
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "REPORTS_PER_HOUR": "1000000",  # a simulated volunteer sends far more than a person could
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    say(f"[2/7] fresh database {options.database_url.rsplit('/', 1)[-1]}, migrated")
    empty_redis_database(options.broker_url)
    empty_redis_database(env["CACHE_URL"])
    reset_database(options.database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    say("[3/7] the model")
    manage(env, "train_classifier", "--if-none")
    say(f"[4/7] a queue of {options.cases:,} cases, and one account per simulated person")
    manage(env, "seed_queue_bench", "--cases", str(options.cases), "--reports", str(options.cases * 3),
           "--volunteers", "200")  # fmt: skip

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hubsite.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    people = seed_people(volunteers=options.users, officers=options.users)
    connection.close()
    accounts = OUT / "accounts.json"
    accounts.write_text(json.dumps(people))
    accounts.chmod(0o600)
    results_path = OUT / "results.json"
    results_path.unlink(missing_ok=True)

    port = free_port()
    say(f"[5/7] gunicorn ({options.web_workers} workers) on 127.0.0.1:{port}, scoring worker "
        f"(concurrency {options.scoring_concurrency})")  # fmt: skip
    try:
        web = start(
            [PYTHON, "-m", "gunicorn", "hubsite.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(options.web_workers), "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        wait_for_web(port, web)
        start_worker(env, options.scoring_concurrency, OUT / "worker.log")
        say(f"[6/7] load: {options.users} people for {options.seconds} s or {options.max_requests:,} requests")
        run_locust(locust_python, port, env, options, accounts, results_path)
        results = json.loads(results_path.read_text())
        say(f"[7/7] waiting for the {len(results['accepted']):,} accepted reports to be scored")
        scoring = drain(results["accepted"], options.drain_seconds)
    finally:
        stop_all()
    empty_redis_database(options.broker_url)

    rows = request_figures(results)
    load_seconds = results["seconds"]
    say("")
    say(f"{'kind of request':<28}{'requests':>10}{'failed':>8}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for row in rows:
        say(f"{row['kind']:<28}{row['requests']:>10,}{row['failures']:>8,}{row['per_second']:>8.1f}"
            f"{row['p50_ms']:>9.0f}{row['p99_ms']:>9.0f}{row['max_ms']:>9,.0f}")  # fmt: skip
    for kind, reasons in sorted(results["failures"].items()):
        for reason, count in reasons.items():
            say(f"  failed {count:,}x  {kind}: {reason}")
    total = rows[-1]
    lost = scoring["accepted"] - scoring["stored"]
    unscored = scoring["accepted"] - scoring["scored"]
    say("")
    say(f"{total['requests']:,} requests in {load_seconds:.0f} s, {total['per_second']:.1f} per second, "
        f"{total['failures']:,} failed")  # fmt: skip
    say(f"reports accepted {scoring['accepted']:,}, stored {scoring['stored']:,}, scored {scoring['scored']:,} "
        f"({scoring['waited_after_load_s']} s after the load ended); time from sending to scored: "
        f"p50 {scoring['scoring_lag_p50_s']} s, p99 {scoring['scoring_lag_p99_s']} s")  # fmt: skip
    ok = total["failures"] == 0 and lost == 0 and unscored == 0 and scoring["accepted"] > 0
    say("every accepted report was stored and scored" if lost == 0 and unscored == 0
        else f"NOT ALL SCORED: {lost} accepted reports missing, {unscored} not scored")  # fmt: skip
    summary = {
        "command": " ".join([".venv/bin/python", "bench/load", *sys.argv[1:]]),
        "options": vars(options),
        "load_seconds": round(load_seconds, 1),
        "requests": rows,
        "failures": results["failures"],
        "scoring": scoring,
        "passed": ok,
    }
    (ROOT / "var" / "bench" / "load.json").write_text(json.dumps(summary, indent=2))
    say("Figures written to var/bench/load.json.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""Queue benchmark: the officers' queue page and API over 100,000 cases and 300,000 reports.

Run:  .venv/bin/python bench/queue [--cases 100000] [--reports 300000] [--repeat 30] [--reuse]

It creates a scratch PostgreSQL database (hub_bench_queue), migrates it, seeds
it with `manage.py seed_queue_bench` (progress shown; --reuse keeps an
already-seeded database), then, in this process, asks for the queue page
(/triage/) and the queue API (/api/v1/cases/) as a signed-in officer: the
default view and each single filter, --repeat times each after one warm-up.
Times are server-side: the whole Django request, from the test client's call
to the response, without network or browser. It prints the median, p95 and
the number of queries per request, and checks them against the targets
(median under 150 ms, p95 under 400 ms). Figures go to var/bench/queue.json.
Needs PostgreSQL on this machine (see README).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import fail, manage, reset_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hub_bench_queue"
TARGET_MEDIAN_MS = 150
TARGET_P95_MS = 400

# Each view measured: a label and the query string. The first is the default view.
VIEWS = [
    ("default (open, by priority)", {}),
    ("category", {"category": "disability"}),
    ("platform", {"platform": "reddit"}),
    ("status", {"status": "dismissed"}),
    ("score band", {"band": "very_high"}),
    ("severity flag", {"flag": "threat_of_violence"}),
    ("clock breached", {"breached": "on"}),
    ("held by me", {"holder": "me"}),
    ("unassigned", {"holder": "unassigned"}),
    ("sort: oldest", {"sort": "age"}),
    ("sort: most reporters", {"sort": "reports"}),
    ("page 200", {"page": "200"}),
]


def say(message: str) -> None:
    print(message, flush=True)


def database_exists_with_data(url: str) -> bool:
    import psycopg2

    parts = urlsplit(url)
    try:
        connection = psycopg2.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
            password=parts.password or "", dbname=parts.path.lstrip("/"),
        )  # fmt: skip
    except psycopg2.OperationalError:
        return False
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('reports_report') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM reports_report")
        return cursor.fetchone()[0] > 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client, path: str, params: dict, repeat: int) -> dict:
    from django.db import connection

    response = client.get(path, params)  # warm-up
    if response.status_code != 200:
        fail(f"GET {path} {params} answered {response.status_code}")
    times = []
    queries = []

    def counted(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(counted):
        client.get(path, params)
    for _ in range(repeat):
        began = time.perf_counter()
        client.get(path, params)
        times.append((time.perf_counter() - began) * 1000)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true", help="Keep an already-seeded database instead of reseeding.")
    options = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "DJANGO_DEBUG": "false",
        "STATIC_MANIFEST": "false",  # pages link static files by their source names; no collectstatic needed
        "SECURE_SSL_REDIRECT": "false",  # the test client speaks plain HTTP
        "ALLOW_LOCAL_CACHE": "true",  # one process, timing requests in-process: no rate limit to share
    }
    env.pop("CELERY_BROKER_URL", None)  # embedded: nothing is queued while seeding
    started = time.monotonic()
    if options.reuse and database_exists_with_data(options.database_url):
        say(f"reusing the seeded database at {options.database_url}")
    else:
        say(f"creating {options.database_url} and migrating")
        reset_database(options.database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        say(f"seeding {options.cases:,} cases and {options.reports:,} reports")
        manage(env, "seed_queue_bench", "--cases", str(options.cases), "--reports", str(options.reports))
    seeded_s = time.monotonic() - started

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hubsite.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from hubsite.models import User
    from hubsite.roles import Role
    from reports.models import Report
    from triage.models import Case

    say("VACUUM ANALYZE (as autovacuum would have done on a live database)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    cases = Case.objects.count()
    reports = Report.objects.count()
    officer, _ = User.objects.get_or_create(username="bench-officer")
    officer.groups.add(Group.objects.get(name=Role.OFFICER.value))
    Case.objects.filter(pk__in=Case.objects.filter(status="new").values("pk")[:40]).update(claimed_by=officer)
    client = Client()
    client.force_login(officer)
    # An officer signed in with both steps: their authenticator app, marked on the session as django-otp does.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=officer, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    rows = []
    say(f"\nmeasuring {len(VIEWS)} views x 2 (page and API), {options.repeat} requests each")
    for label, params in VIEWS:
        page = measure(client, "/triage/", params, options.repeat)
        api = measure(client, "/api/v1/cases/", params, options.repeat)
        rows.append({"view": label, "params": params, "page": page, "api": api})
        say(f"  {label:<28} page {page['median_ms']:7.1f} / {page['p95_ms']:7.1f} ms ({page['queries']} queries)"
            f"   api {api['median_ms']:7.1f} / {api['p95_ms']:7.1f} ms ({api['queries']} queries)")  # fmt: skip

    worst_median = max(max(row["page"]["median_ms"], row["api"]["median_ms"]) for row in rows)
    worst_p95 = max(max(row["page"]["p95_ms"], row["api"]["p95_ms"]) for row in rows)
    met = worst_median < TARGET_MEDIAN_MS and worst_p95 < TARGET_P95_MS
    say(
        f"\n{cases:,} cases, {reports:,} reports. Slowest view: median {worst_median:.1f} ms, p95 {worst_p95:.1f} ms. "
        f"Target (median < {TARGET_MEDIAN_MS} ms, p95 < {TARGET_P95_MS} ms): {'met' if met else 'NOT MET'}."
    )
    out = ROOT / "var" / "bench" / "queue.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "cases": cases,
                "reports": reports,
                "repeat": options.repeat,
                "seed_seconds": round(seeded_s, 1),
                "views": rows,
                "worst_median_ms": worst_median,
                "worst_p95_ms": worst_p95,
                "target_met": met,
            },
            indent=2,
        )  # fmt: skip
    )
    say(f"Figures written to {out.relative_to(ROOT)}.")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()

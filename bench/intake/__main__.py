"""Intake benchmark: partner submissions per second through gunicorn on PostgreSQL.

Run:  .venv/bin/python bench/intake [--seconds 20] [--concurrency 8] [--web-workers 4]

It creates a scratch database (hub_bench), starts gunicorn on loopback, sends
POST /api/v1/reports/ from threads in this process for a bounded time and
count, waits for every answer, then checks that the rows stored equal the
accepted responses. Scoring tasks are queued in Redis (database 5) and purged
at the end; no worker runs, so the figures are the web tier's alone.
Needs PostgreSQL and Redis on this machine (see README).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import (  # noqa: E402
    cache_url_beside,
    empty_redis_database,
    free_port,
    manage,
    reset_database,
    start,
    stop_all,
    wait_for_web,
)

PYTHON = sys.executable


def count_reports(url: str) -> int:
    import psycopg2

    parts = urlsplit(url)
    with psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password or "", dbname=parts.path.lstrip("/"),
    ) as connection, connection.cursor() as cursor:  # fmt: skip
        cursor.execute("SELECT count(*) FROM reports_report")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="How long to send (default 20).")
    parser.add_argument("--max-requests", type=int, default=20_000, help="Stop after this many (default 20000).")
    parser.add_argument("--concurrency", type=int, default=8, help="Requests in flight at once (default 8).")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn worker processes (default 4).")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hub_bench")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/5")
    args = parser.parse_args()

    env = dict(os.environ)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(40), DATABASE_URL=args.database_url, CELERY_BROKER_URL=args.broker_url,
        CACHE_URL=cache_url_beside(args.broker_url),
        STATIC_MANIFEST="false", SECURE_COOKIES="false", SECURE_SSL_REDIRECT="false", LOG_LEVEL="WARNING",
        PARTNER_INTAKE_RATE="1000000/minute", DJANGO_DEBUG="false",
    )  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)

    print(f"[1/5] fresh database {urlsplit(args.database_url).path.lstrip('/')}", flush=True)
    empty_redis_database(args.broker_url)
    empty_redis_database(env["CACHE_URL"])
    reset_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v", "0", capture=True)
    print("[2/5] partner account and token", flush=True)
    token = manage(
        env, "shell", "-c",
        "from volunteers.services import user_create; from hubsite.roles import Role; import secrets; "
        "from hubsite.models import PartnerOrganisation; from hubsite.partner_tokens import partner_token_issue; "
        "u = user_create(username='bench-partner', password=secrets.token_urlsafe(), role=Role.PARTNER); "
        "u.partner_organisation = PartnerOrganisation.objects.create(name='Bench partners'); u.save(); "
        "print(partner_token_issue(name='bench', user=u, by=None).secret)",
        capture=True,
    ).split()[-1]  # fmt: skip

    port = free_port()
    print(f"[3/5] gunicorn with {args.web_workers} workers on 127.0.0.1:{port}", flush=True)
    web = start(
        [PYTHON, "-m", "gunicorn", "hubsite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.web_workers),
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for_web(port, web, "/healthz", seconds=30)

        results: list[tuple[int, float]] = []
        lock = threading.Lock()
        sent = iter(range(args.max_requests))
        stop_at = time.monotonic() + args.seconds
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

        def client(number: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.monotonic() < stop_at:
                with lock:
                    index = next(sent, None)
                if index is None:
                    return
                body = json.dumps({
                    "post_url": f"https://x.com/bench{number}/status/{index}?utm_source=bench",
                    "captured_text": f"Benchmark post {index}: they are vermin and should be driven out.",
                    "author_handle": f"@bench{number}",
                    "categories": ["race"],
                    "threat_of_violence": index % 7 == 0,
                })  # fmt: skip
                started = time.perf_counter()
                try:
                    connection.request("POST", "/api/v1/reports/", body=body, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    status = 0
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                elapsed = time.perf_counter() - started
                with lock:
                    results.append((status, elapsed))

        print(f"[4/5] sending for {args.seconds:g} s with {args.concurrency} in flight", flush=True)
        began = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - began
    finally:
        stop_all()

    print("[5/5] checking what was stored", flush=True)
    statuses = Counter(status for status, _ in results)
    accepted = statuses.get(201, 0)
    latencies = sorted(elapsed * 1000 for status, elapsed in results if status == 201)
    stored = count_reports(args.database_url)
    empty_redis_database(args.broker_url)

    def percentile(share: float) -> float:
        return latencies[max(0, int(len(latencies) * share) - 1)] if latencies else float("nan")

    print()
    print(f"requests {len(results)} in {wall:.1f} s; answers by status: {dict(sorted(statuses.items()))}")
    print(f"accepted submissions per second: {accepted / wall:.1f}")
    print(
        f"latency of accepted submissions: p50 {statistics.median(latencies) if latencies else float('nan'):.0f} ms, "
        f"p90 {percentile(0.90):.0f} ms, p99 {percentile(0.99):.0f} ms, max {latencies[-1] if latencies else 0:.0f} ms"
    )
    print(f"rows stored {stored}, accepted responses {accepted}: {'MATCH' if stored == accepted else 'MISMATCH'}")
    sys.exit(0 if stored == accepted and accepted else 1)


if __name__ == "__main__":
    main()

"""What the benches share: stopping with a message, a scratch PostgreSQL database made afresh, and
virtual environments of their own for tools that are not the Hub's dependencies."""

from __future__ import annotations

import atexit
import hashlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
VENV_ROOT = ROOT / "var" / "bench" / "venvs"
PIP_TIMEOUT = 1800


class Unavailable(Exception):
    """Something a bench needs that cannot be had here; the message says why."""


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def manage(env: dict, *args: str, capture: bool = False) -> str:
    """Run ``manage.py *args`` with ``env``; stop with its failure if it fails. With ``capture``, its output is
    returned (and its errors shown on failure); otherwise it prints as it goes."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=capture, text=True, check=False
    )
    if result.returncode != 0:
        detail = f":\n{result.stderr[-2000:]}" if capture else f" (exit {result.returncode})"
        fail(f"manage.py {' '.join(args)} failed{detail}")
    return result.stdout or ""


_started: list[subprocess.Popen] = []


def start(command: list[str], **kwargs) -> subprocess.Popen:
    """A server process (gunicorn, a worker) in a process group of its own, stopped with all its children when
    the bench ends, however it ends."""
    process = subprocess.Popen(command, start_new_session=True, **kwargs)
    if not _started:
        atexit.register(stop_all)
    _started.append(process)
    return process


def stop(process: subprocess.Popen) -> None:
    """Ask the process to finish (SIGTERM), then kill what is left of its group."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # children a dead parent left behind
    except ProcessLookupError:
        pass
    process.wait()


def stop_all() -> None:
    while _started:
        stop(_started.pop())


def empty_redis_database(url: str) -> None:
    """Empty the Redis database a bench queues its tasks in. Refuses database 0, Redis's default, which
    other programs are likely to share."""
    import redis

    database = urlsplit(url).path.lstrip("/") or "0"
    if database == "0":
        fail(f"{url} is Redis database 0, which the bench would empty: give it one of its own, e.g. /6.")
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as exc:
        fail(f"Redis is not reachable at {url} ({exc}). Start it, or pass --broker-url.")


def cache_url_beside(broker_url: str) -> str:
    """The Redis database a bench's web processes share for rate limits and locks (CACHE_URL, which the Hub
    requires with DEBUG off): the broker's server, database number + 8, as the tests choose theirs."""
    parts = urlsplit(broker_url)
    number = int(parts.path.strip("/") or 0)
    return parts._replace(path=f"/{(number + 8) % 16}").geturl()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_web(port: int, web: subprocess.Popen, path: str = "/readyz", seconds: float = 60) -> None:
    """Return once gunicorn on ``port`` answers ``path`` with 200; stop with a message if it exits or stays silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if web.poll() is not None:
            fail(f"gunicorn exited with status {web.returncode}; its log is above")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", path)
            if probe.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    fail(f"gunicorn was not ready within {seconds:g} s (GET {path})")


def connect(url: str, database: str | None = None):
    """A psycopg2 connection to the server in ``url`` (to ``database`` if given); stops with the fix if it fails."""
    import psycopg2

    parts = urlsplit(url)
    try:
        return psycopg2.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
            password=parts.password or "", dbname=database or parts.path.lstrip("/"),
        )  # fmt: skip
    except psycopg2.OperationalError as exc:
        fail(
            f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({exc}). "
            "Start it, or pass --database-url."
        )


def reset_database(url: str) -> None:
    """Drop and create the database named in ``url``."""
    name = urlsplit(url).path.lstrip("/")
    admin = connect(url, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _fingerprint(install: Sequence[str]) -> str:
    """What an environment is built from: the Python and the contents of its requirement files."""
    digest = hashlib.sha256(sys.version.encode())
    for argument in install:
        path = ROOT / argument
        if argument.endswith(".txt"):
            if not path.is_file():
                raise Unavailable(f"{argument} is missing from the repository")
            digest.update(path.read_bytes())
        digest.update(argument.encode())
    return digest.hexdigest()


def venv_python(name: str, install: Sequence[str], say: Callable[[str], None]) -> Path:
    """The Python of var/bench/venvs/<name>, made on first use with ``pip install *install`` (arguments
    relative to the repository root) and made again when those requirement files change."""
    venv = VENV_ROOT / name
    python = venv / "bin" / "python"
    stamp = venv / ".bench-installed"
    wanted = _fingerprint(install)
    if python.exists() and stamp.is_file() and stamp.read_text() == wanted:
        say(f"reusing {venv.relative_to(ROOT)}")
        return python
    if not python.exists():
        say(f"creating {venv.relative_to(ROOT)}")
        created = subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(venv)], capture_output=True, text=True, check=False
        )
        if created.returncode != 0:
            raise Unavailable(f"could not create a virtual environment: {created.stderr.strip()[-300:]}")
    log = VENV_ROOT / f"{name}.pip.log"
    say(f"pip install {' '.join(install)} (first run only; log in {log.relative_to(ROOT)})")
    with log.open("w") as handle:
        try:
            installed = subprocess.run(
                [str(python), "-m", "pip", "install", "--disable-pip-version-check", *install],
                cwd=ROOT,
                stdout=handle,
                stderr=subprocess.STDOUT,
                timeout=PIP_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise Unavailable(f"pip install took over {PIP_TIMEOUT} s; see {log.relative_to(ROOT)}") from exc
    if installed.returncode != 0:
        errors = [line for line in log.read_text().splitlines() if "ERROR" in line] or ["(no ERROR line)"]
        raise Unavailable(f"pip install failed: {errors[-1].strip()[:300]} (see {log.relative_to(ROOT)})")
    stamp.write_text(wanted)
    return python

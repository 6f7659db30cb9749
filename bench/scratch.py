"""What the benches share: stopping with a message, and a scratch PostgreSQL database made afresh."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


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

"""One run at a time across every worker, for periodic jobs that must not overlap."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def run_alone(name: str, *, timeout: int) -> Iterator[bool]:
    """Yields whether this run holds the lock ``lock:<name>``; if not, another run is going and this one should
    stop. The lock goes when the run ends, or by itself after ``timeout`` seconds if its worker died."""
    key = f"lock:{name}"
    held = cache.add(key, "held", timeout=timeout)
    try:
        yield held
    finally:
        if held:
            cache.delete(key)

"""Loaded by pytest (``-p tests.environment`` in pytest.ini) before Django is set up.

Tests run with DEBUG off, as the Hub is deployed, so they need a secret key.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-deployment")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("STATIC_MANIFEST", "false")

# With DEBUG off the Hub refuses SQLite (hubsite/settings.py). A local run without DATABASE_URL tests on SQLite,
# so it is allowed here; CI sets DATABASE_URL to PostgreSQL and keeps the refusal as in service.
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    os.environ.setdefault("ALLOW_SQLITE_IN_PRODUCTION", "true")


def _shared_cache_url() -> str | None:
    """The Redis server of CELERY_BROKER_URL with database number + 8 (the broker's own is emptied by the worker
    tests, and the cache is emptied around every test), when that server answers."""
    from urllib.parse import urlsplit

    broker = urlsplit(os.environ.get("CELERY_BROKER_URL", ""))
    if broker.scheme != "redis":
        return None
    number = int(broker.path.strip("/") or 0)
    url = broker._replace(path=f"/{(number + 8) % 16}", query="", fragment="").geturl()
    if os.environ.get("REQUIRE_SERVICES") == "1":
        return url  # CI: a Redis that does not answer must fail the run, not quietly change the cache
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


# With DEBUG off a cache private to each process is refused (hubsite.E001): rate limits would count per process.
# Tests use a Redis cache as production must, where there is a Redis; otherwise (a laptop without one) the local
# cache is allowed explicitly, which is what ALLOW_LOCAL_CACHE is for.
if "CACHE_URL" not in os.environ:
    _cache_url = _shared_cache_url()
    if _cache_url:
        os.environ["CACHE_URL"] = _cache_url
    else:
        os.environ.setdefault("ALLOW_LOCAL_CACHE", "true")

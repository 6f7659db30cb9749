"""System checks for settings that must agree with each other (`manage.py check`). Registered by
``HubsiteConfig.ready``; triage/checks.py holds the ones about its tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches that live inside one process: each web process would keep its own rate-limit counts and locks.
_PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches)
def rate_limits_are_shared_between_processes(app_configs=None, **kwargs):
    """Rate limits and locks live in the cache. A cache private to each process lets every web process count
    alone: three gunicorn workers let three times a partner's limit through. A service (DEBUG off) needs the
    shared one, unless ALLOW_LOCAL_CACHE says the Hub runs as a single process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or settings.ALLOW_LOCAL_CACHE or backend not in _PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            "CACHE_URL is not set, so each web process keeps its own rate-limit counts and the limits do not hold "
            "across processes.",
            hint="Set CACHE_URL to a Redis database, e.g. redis://redis.example:6379/1 (not the broker's). "
            "For a Hub that runs as one process only, set ALLOW_LOCAL_CACHE=true.",
            id="hubsite.E001",
        )
    ]


@register(Tags.staticfiles)
def chart_library_is_installed(app_configs=None, **kwargs):
    """Chart.js is installed by npm, beside the Python packages. A checkout where `npm ci` never ran would serve
    statistics pages whose charts stay blank: an install half done, so it is an error, naming the fix."""
    if (settings.CHARTJS_DIR / "chart.umd.min.js").is_file():
        return []
    return [
        Error(
            f"Chart.js's files are missing from {settings.CHARTJS_DIR}: the statistics page cannot draw its charts.",
            hint="Run `npm ci` in the Hub's folder (`make install` does), with Node.js and npm installed "
            "(apt-get install nodejs npm).",
            id="hubsite.E002",
        )
    ]


# The one engine whose sessions end, everywhere, when their database row is deleted: "Signed-in devices" and a
# password change sign other browsers out that way (hubsite/signed_in.py). With a cache in front (cached_db), a
# session would live on in the cache; with signed cookies, there would be no row at all.
DATABASE_SESSIONS = "django.contrib.sessions.backends.db"


@register(Tags.security)
def sessions_are_kept_in_the_database(app_configs=None, **kwargs):
    if settings.SESSION_ENGINE == DATABASE_SESSIONS:
        return []
    return [
        Error(
            f"SESSION_ENGINE is {settings.SESSION_ENGINE}: signing out other devices, and a password change, would "
            "not end sessions kept there.",
            hint=f"Leave SESSION_ENGINE at Django's default, {DATABASE_SESSIONS}.",
            id="hubsite.E003",
        )
    ]

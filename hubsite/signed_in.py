"""Where someone is signed in: their sessions, as the "Signed-in devices" page shows them, and signing them out.

Each signed-in Django session has a ``SignedInSession`` row tied to the session's own row (the database session
engine, Django's default), so a session that ends any way at all takes its row with it. The row is written at
sign-in (Django's ``user_logged_in``) and kept up to date by ``SignedInSessionMiddleware`` at most once a minute,
so a request does not write to the database just to say it happened.

We keep Django's own sessions rather than a library that replaces them: the one such library
(django-user-sessions) has no release for Django 5, and records the proxy's address, not the client's as
hubsite.addresses reads it.
"""

from __future__ import annotations

import re
import time

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from hubsite.addresses import client_address
from hubsite.audit import audit_record
from hubsite.models import AuditEvent, SignedInSession

# In the session: which session key the row was last written for, and when (seconds).
DEVICE_SEEN = "hub_device_seen"
TOUCH_EVERY_SECONDS = 60

_USER_AGENT_LENGTH = SignedInSession._meta.get_field("user_agent").max_length


def _user_agent(request) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:_USER_AGENT_LENGTH]


def session_record(*, user, session_key: str, user_agent: str, address: str | None) -> None:
    """Note (or bring up to date) that ``user`` is signed in with the session ``session_key``."""
    if not session_key or not Session.objects.filter(session_key=session_key).exists():
        return  # not saved by the database engine (yet): nothing to tie a row to
    now = timezone.now()
    with transaction.atomic():
        row, created = SignedInSession.objects.get_or_create(
            session_id=session_key,
            defaults={"user": user, "user_agent": user_agent, "address": address, "signed_in_at": now},
        )
        if not created:
            SignedInSession.objects.filter(pk=row.pk).update(
                user=user, user_agent=user_agent, address=address, last_activity=now
            )


def record_signed_in(sender, request, user, **kwargs) -> None:
    """Django's ``user_logged_in`` hook: the session, whose key sign-in has just changed, is noted."""
    if request is None or not hasattr(request, "session"):
        return
    session_record(
        user=user,
        session_key=request.session.session_key,
        user_agent=_user_agent(request),
        address=client_address(request) if hasattr(request, "META") else None,
    )
    request.session[DEVICE_SEEN] = [request.session.session_key, int(time.time())]


class SignedInSessionMiddleware:
    """Keeps each signed-in session's row: last activity, address and browser, to the minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            key, now = request.session.session_key, int(time.time())
            seen_key, seen_at = (request.session.get(DEVICE_SEEN) or [None, 0])[:2]
            # A key changed since (a password change keeps the person signed in under a new one) is noted at once.
            if seen_key != key or now - seen_at >= TOUCH_EVERY_SECONDS:
                address = client_address(request)
                session_record(user=user, session_key=key, user_agent=_user_agent(request), address=address)
                request.session[DEVICE_SEEN] = [key, now]
        return self.get_response(request)


def signed_in_sessions(user):
    """The sessions ``user`` is signed in with now, most recently used first."""
    return SignedInSession.objects.filter(user=user).current()


def sessions_end(*, user, keep_session_key: str | None = None, only_pk: int | None = None, why: str) -> int:
    """Sign ``user`` out of their sessions: all, all but ``keep_session_key``, or the one row ``only_pk``.

    Deleting the session's row signs that browser out at its next request; the SignedInSession rows go with
    them. Returns how many sessions ended; writes one audit entry when any did.
    """
    rows = SignedInSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_id=keep_session_key)
    if only_pk is not None:
        rows = rows.filter(pk=only_pk)
    with transaction.atomic():
        keys = list(rows.values_list("session_id", flat=True))
        # Sessions from before rows were kept have none: they carry the user's id only in their data, and end
        # by their own expiry or, after a password change, at their next request (Django checks the password's
        # hash kept in the session).
        _, deleted = Session.objects.filter(session_key__in=keys).delete()
        ended = deleted.get(Session._meta.label, 0)
        if ended:
            audit_record(
                AuditEvent.Action.SESSIONS_ENDED,
                target=user,
                summary=f"{user.get_username()}: signed out of {ended} session{'' if ended == 1 else 's'} ({why})",
                why=why,
                ended=ended,
            )
    return ended


# What a browser's User-Agent says, in the words people use. Order matters: Edge and Opera also say "Chrome",
# Chrome also says "Safari", and Android also says "Linux".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chrome", re.compile(r"(\b|Headless)Chrome/|\bCriOS/|\bChromium/")),
    ("Safari", re.compile(r"\bSafari/")),
)
_SYSTEMS = (
    ("an iPhone", re.compile(r"\biPhone\b")),
    ("an iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("a Mac", re.compile(r"\bMacintosh\b|\bMac OS X\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def describe_device(user_agent: str) -> str:
    """What a browser's User-Agent says, as people name it: "Firefox on Windows", "Safari on an iPhone"."""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent or "")), None)
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent or "")), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser:
        return browser
    if system:
        return f"A browser on {system}"
    return "An unknown browser"


def sessions_clear_expired(*, now=None) -> int:
    """Remove sessions past their expiry (Django keeps them until told), and so their rows. Returns how many."""
    _, deleted = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted.get(Session._meta.label, 0)

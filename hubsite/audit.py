"""The audit log: who saw or did what, when, and from which address.

Every view of a case page or referral, every decision and referral, every
export, every change of role or training record and every model activation is
written here by ``audit_record``. The log is append-only: the model refuses
changes and deletions, and on PostgreSQL a trigger refuses them too, except for
the retention purge (``audit_purge``), which removes entries older than
``AUDIT_RETENTION_DAYS`` and records that it did.

Who and where come from the request being served (``AuditContextMiddleware``);
work done outside a request (a worker, a command) is recorded as the Hub's.
"""

from __future__ import annotations

import contextvars
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from hubsite.addresses import client_address

_actor = contextvars.ContextVar("audit_actor", default=None)
_address = contextvars.ContextVar("audit_address", default=None)

# Set, within a transaction, to let the purge delete old entries past the trigger.
PURGE_SETTING = "hub.audit_purge"


class AuditContextMiddleware:
    """Makes the signed-in person and their address known to ``audit_record`` for the length of a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = _actor.set(user if user is not None and user.is_authenticated else None)
        address = _address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(actor)
            _address.reset(address)


def audit_record(action: str, *, target=None, summary: str = "", actor=None, request=None, **detail):
    """Write one entry. ``target`` is the model instance concerned (or None); ``detail`` is kept as JSON."""
    from hubsite.models import AuditEvent

    if request is not None:
        actor = actor or (request.user if request.user.is_authenticated else None)
        address = client_address(request)
    else:
        actor = actor or _actor.get()
        address = _address.get()
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor.get_username() if getattr(actor, "pk", None) else "the Hub",
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        address=address,
        detail=detail,
    )


def audit_purge(*, now=None) -> int:
    """Remove entries older than ``AUDIT_RETENTION_DAYS``; records the purge itself. Returns how many went."""
    from hubsite.models import AuditEvent

    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
        removed, _ = AuditEvent.objects.filter(at__lt=cutoff).purge()
    audit_record(
        "audit.purged",
        summary=f"Removed {removed} audit entries older than {settings.AUDIT_RETENTION_DAYS} days",
        removed=removed,
        before=cutoff.isoformat(),
    )
    return removed


def record_sign_in(sender, request, user, **kwargs):
    from hubsite.models import AuditEvent

    if request is not None:
        audit_record(AuditEvent.Action.SIGNED_IN, target=user, request=request, actor=user)


def record_sign_in_failure(sender, credentials, request=None, **kwargs):
    from hubsite.models import AuditEvent
    from hubsite.sign_in import account_closed

    username = str((credentials or {}).get("username", ""))[:150]
    if request is None:
        return
    why = account_closed(request)
    if why:
        closed = {"suspended": "suspended account", "left": "account closed: left the Hub"}
        reason = closed.get(why, "account switched off")
        summary = f"{reason.capitalize()} “{username}” (the password was right)"
    else:
        reason, summary = "wrong password", f"Wrong password for “{username}”"
    audit_record(
        AuditEvent.Action.SIGN_IN_FAILED, request=request, summary=summary, username=username, step="password",
        reason=reason,
    )  # fmt: skip


# The second step's codes, as the audit log names them.
SECOND_STEPS = {"token": "authenticator app code", "backup": "backup code"}


def record_second_step_failure(*, request, user, step: str, paused: bool) -> None:
    """A code refused after the right password: the account's password is known to whoever typed it."""
    from hubsite.models import AuditEvent

    what, name = SECOND_STEPS[step], user.get_username()
    if paused:
        reason, summary = "codes paused", f"{what.capitalize()} tried for “{name}” while codes are paused"
    else:
        reason, summary = "wrong code", f"Wrong {what} for “{name}” (the password was right)"
    audit_record(
        AuditEvent.Action.SIGN_IN_FAILED, target=user, actor=user, request=request, summary=summary,
        username=name, step=what, reason=reason,
    )  # fmt: skip


def record_referral_list_read(*, request, referrals, how: str, page: int) -> None:
    """Someone read a page of the referral list: which referrals they saw, by page or API."""
    from hubsite.models import AuditEvent

    shown = [referral.pk for referral in referrals]
    audit_record(
        AuditEvent.Action.REFERRAL_LIST_VIEWED, request=request,
        summary=f"{how}, page {page}: {len(shown)} referral{'' if len(shown) == 1 else 's'}",
        how=how.lower(), page=page, referrals=shown,
    )  # fmt: skip


def record_role_change(*, user, before: set[str], after: set[str], by=None, **detail) -> None:
    """A change of someone's roles (their groups), or of standing that works like one (staff, active)."""
    from hubsite.models import AuditEvent

    if before == after and not detail:
        return
    added, removed = sorted(after - before), sorted(before - after)
    words = [f"gained {', '.join(added)}" if added else "", f"lost {', '.join(removed)}" if removed else ""]
    words += [f"{name} {value}" for name, value in detail.items()]
    audit_record(
        AuditEvent.Action.ROLE_CHANGED,
        target=user,
        actor=by,
        summary=f"{user.get_username()}: " + "; ".join(word for word in words if word),
        added=added,
        removed=removed,
        **detail,
    )


def record_training_change(record, *, how: str, by=None) -> None:
    from hubsite.models import AuditEvent

    audit_record(
        AuditEvent.Action.TRAINING_CHANGED,
        target=record,
        actor=by,
        summary=f"{how}: {record.module} on {record.completed_on} for {record.volunteer.get_username()}",
        how=how,
        volunteer=record.volunteer_id,
        score=record.score,
    )

"""Passwords by e-mail: a forgotten one reset, and a new account's first one set from an admin's invitation.

Asking for a reset must not tell anyone whether an address has an account, in words or in time. The page says
the same whatever was typed, and the request does the same work either way: it looks the address up and
queues one task, and the worker (``hubsite.tasks``, with ``hubsite.account_mail``) makes the link and sends the
mail, or does nothing. (Embedded, with no broker, tasks run in the request, so the time of a reset there tells; a
deployed Hub has its workers.)

Requests are limited so that the form cannot be used to flood someone's inbox, nor to stop its owner from getting
a link. One client asking for too many resets, whatever the addresses, is told on the page to wait. Past the
limit for one address typed from one client, or the higher one for that address from all clients together, the
page says "sent" as always and no mail goes: a refusal there would tell which addresses someone is trying, and
a per-address limit shared by everyone would let a stranger use it up to keep the owner from their link.

A reset never signs anyone in (Django's ``post_reset_login`` stays off): staff still give their code at their next
sign-in, and every other session of the account ends with the reset.
"""

from __future__ import annotations

import hashlib
from functools import partial

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from hubsite import tasks
from hubsite.audit import audit_record
from hubsite.models import AuditEvent
from hubsite.signed_in import sessions_end

RATE_WINDOW_SECONDS = 60 * 60


class PasswordResetLimited(Exception):
    """Too many requests for a reset from one client address in the last hour."""

    message = (
        "There have been too many requests to reset a password from here. "
        "Wait an hour, then try again. If the e-mail has not arrived, check your junk mail folder."
    )


class InvitationRefused(Exception):
    """An invitation that cannot be sent; the message says why, in words an admin reads."""


def _count(key: str) -> int:
    """One more request under ``key`` in this hour's window; how many there have been. Atomic in Redis."""
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        return 1


def _email_key(email: str) -> str:
    # Hashed: the cache need not hold the addresses people type.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def reset_accounts(email: str):
    """The accounts a reset for ``email`` reaches: active, with a password (so not one waiting for its invitation)."""
    wanted = email.strip().casefold()
    candidates = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)
    return [user for user in candidates if user.has_usable_password() and user.email.casefold() == wanted]


def password_reset_request(*, email: str, address: str | None) -> None:
    """Someone asked for a reset link for ``email``. Raises PasswordResetLimited when this client asked too often;
    past the limits for ``email`` nothing is sent, and nothing says so."""
    client = address or "unknown"
    if _count(f"password-reset:address:{client}") > settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR:
        raise PasswordResetLimited(PasswordResetLimited.message)
    typed = _email_key(email)
    if _count(f"password-reset:email:{typed}:{client}") > settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR:
        return
    # No limit per address across all clients: whoever reached it would keep the owner from a link. The inbox is
    # kept from flooding by the account's mail spacing instead (hubsite.account_mail.password_reset_mail_send).
    with transaction.atomic():
        users = reset_accounts(email)
        for user in users or [None]:
            # The account is the target; an address with no account is not kept (it may be someone's mistake).
            audit_record(
                AuditEvent.Action.PASSWORD_RESET_REQUESTED,
                target=user,
                summary=f"Reset link asked for {user.get_username()}" if user else "Reset asked for an unknown address",
            )
        # Always one task, with or without accounts, so the request costs the same either way.
        transaction.on_commit(partial(tasks.password_reset_mails.delay, [user.pk for user in users]))


def password_set_by_link(*, user, how: str) -> None:
    """The password was set from an e-mailed link (``how``: "reset" or "invitation"): other sessions end."""
    with transaction.atomic():
        audit_record(
            AuditEvent.Action.PASSWORD_SET,
            target=user,
            actor=user,
            summary=f"{user.get_username()} set a password from an e-mailed {how} link",
            how=how,
        )
        sessions_end(user=user, why=f"password set from a {how} link")
        # Whoever holds the mailbox may sign in again at once, even if wrong passwords had paused the account.
        axes_reset(username=user.get_username())


def password_changed(*, user, keep_session_key: str | None, how: str) -> None:
    """``user``'s password was changed (``how``: by themselves, or by an admin): every other session ends. Django
    would refuse those at their next request anyway (the session keeps a hash of the password); ending them now
    takes them off the "Signed-in devices" page too."""
    with transaction.atomic():
        audit_record(
            AuditEvent.Action.PASSWORD_SET,
            target=user,
            summary=f"Password of {user.get_username()} changed {how}",
            how=how,
        )
        sessions_end(user=user, keep_session_key=keep_session_key, why=f"password changed {how}")


def user_invite(*, user, invited_by) -> None:
    """E-mail ``user`` a link to set their password. Raises InvitationRefused when it cannot be sent."""
    if not user.is_active:
        raise InvitationRefused(f"No invitation was sent to {user.get_username()}: the account is switched off.")
    if not user.email:
        raise InvitationRefused(f"No invitation was sent to {user.get_username()}: the account has no e-mail address.")
    if user.has_usable_password():
        # They can sign in; a forgotten password is a reset, which they ask for themselves.
        raise InvitationRefused(f"No invitation was sent to {user.get_username()}: they have set a password already.")
    with transaction.atomic():
        audit_record(
            AuditEvent.Action.INVITED,
            target=user,
            actor=invited_by,
            summary=f"Invitation to set a password e-mailed to {user.get_username()}",
        )
        transaction.on_commit(partial(tasks.invitation_mail.delay, user.pk))

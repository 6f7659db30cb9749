"""Passwords by e-mail: a forgotten one reset, and a new account's first one set from an admin's invitation.

Asking for a reset must not tell anyone whether an address has an account, in words or in time. The page says
the same whatever was typed, and the request does the same work either way: it looks the address up and
queues one task, and the worker (``hubsite.tasks``) makes the link and sends the mail, or does nothing. (Embedded,
with no broker, tasks run in the request, so the time of a reset there tells; a deployed Hub has its workers.) Requests
are limited per client address and per address typed, so the form cannot be used to flood someone's inbox.

A reset never signs anyone in (Django's ``post_reset_login`` stays off): staff still give their code at their next
sign-in, and every other session of the account ends with the reset.

Links are Django's password-reset links (the person's id and a token that stops working once the password
changes, or the person signs in). An invitation's token has its own salt and lasts ``INVITATION_LINK_TIMEOUT``
instead of ``PASSWORD_RESET_TIMEOUT``: a new volunteer may not read it the day it is sent, while a reset is asked
for by the person who then waits for it.
"""

from __future__ import annotations

import hashlib
from functools import partial

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from hubsite.audit import audit_record
from hubsite.models import AuditEvent
from hubsite.signed_in import sessions_end

RATE_WINDOW_SECONDS = 60 * 60


class PasswordResetLimited(Exception):
    """Too many requests for a reset from one address, or for one e-mail address, in the last hour."""

    message = (
        "There have been too many requests to reset a password from here or for this e-mail address. "
        "Wait an hour, then try again. If the e-mail has not arrived, check your junk mail folder."
    )


class InvitationRefused(Exception):
    """An invitation that cannot be sent; the message says why, in words an admin reads."""


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens, with a salt of their own and a lifetime of INVITATION_LINK_TIMEOUT."""

    key_salt = "hubsite.accounts.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        # Django's own check reads PASSWORD_RESET_TIMEOUT; this one is Django's with the invitation's lifetime.
        if not (user and token):
            return False
        try:
            stamp = base36_to_int(str(token).split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - stamp > settings.INVITATION_LINK_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, stamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


reset_tokens = PasswordResetTokenGenerator()
invitation_tokens = InvitationTokenGenerator()


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
    """Someone asked for a reset link for ``email``. Raises PasswordResetLimited past the limits."""
    from hubsite import tasks

    by_address = _count(f"password-reset:address:{address or 'unknown'}")
    by_email = _count(f"password-reset:email:{_email_key(email)}")
    if by_address > settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR or (
        by_email > settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR
    ):
        raise PasswordResetLimited(PasswordResetLimited.message)
    with transaction.atomic():
        users = reset_accounts(email)
        for user in users or [None]:
            audit_record(
                AuditEvent.Action.PASSWORD_RESET_REQUESTED,
                target=user,
                summary=f"Reset link asked for {user.get_username()}" if user else "Reset asked for an unknown address",
                email=email[:254],
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
    from hubsite import tasks

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


def _link(url_name: str, user, tokens: PasswordResetTokenGenerator) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.HUB_BASE_URL + reverse(url_name, kwargs={"uidb64": uid, "token": tokens.make_token(user)})


def _send(user, *, template: str, context: dict) -> None:
    subject = render_to_string(f"registration/{template}_subject.txt", context)
    body = render_to_string(f"registration/{template}_email.txt", context)
    subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    send_mail(subject, body, None, [user.email])


def password_reset_mail_send(*, user) -> None:
    """The reset e-mail to ``user``: made here, in the worker, so that the request never waits for it."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    link = _link("password_reset_confirm", user, reset_tokens)
    # The link and what to do: nothing more about the account goes into a mailbox that may not be the owner's.
    _send(user, template="password_reset", context={"link": link, "hours": hours})


def invitation_mail_send(*, user) -> None:
    days = settings.INVITATION_LINK_TIMEOUT // 86400
    link = _link("invitation_confirm", user, invitation_tokens)
    _send(user, template="invitation", context={"link": link, "username": user.get_username(), "days": days})

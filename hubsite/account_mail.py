"""The e-mails that carry a link to set a password: a reset someone asked for, and an admin's invitation. Made
and sent in the worker (``hubsite.tasks``), never in the request.

Links are Django's password-reset links (the person's id and a token that stops working once the password
changes, or the person signs in). An invitation's token has its own salt and lasts ``INVITATION_LINK_TIMEOUT``
instead of ``PASSWORD_RESET_TIMEOUT``: a new volunteer may not read it the day it is sent, while a reset is asked
for by the person who then waits for it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from hubsite.mail import deliver


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


def _link(url_name: str, user, tokens: PasswordResetTokenGenerator) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.HUB_BASE_URL + reverse(url_name, kwargs={"uidb64": uid, "token": tokens.make_token(user)})


def _send(user, *, template: str, context: dict) -> str:
    subject = " ".join(render_to_string(f"registration/{template}_subject.txt", context).split())
    body = render_to_string(f"registration/{template}_email.txt", context)
    return deliver(to=user.email, subject=subject, body=body)


def _reset_sent_key(user) -> str:
    return f"password-reset:mail-sent:{user.pk}"


def password_reset_mail_send(*, user) -> str:
    """The reset e-mail to ``user``. Returns why the mail server refused it for good, or "" when it went or was not
    due; raises MailNotSentYet when it is worth retrying.

    One account gets at most one reset e-mail every PASSWORD_RESET_MAIL_SPACING: however many people ask for its
    address, from however many client addresses, its inbox is not flooded, and the owner is never kept from a link,
    since the last one, still valid for hours, is already there."""
    spacing = settings.PASSWORD_RESET_MAIL_SPACING.total_seconds()
    if spacing > 0 and cache.get(_reset_sent_key(user)):
        return ""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    link = _link("password_reset_confirm", user, reset_tokens)
    # The link and what to do: nothing more about the account goes into a mailbox that may not be the owner's.
    refused = _send(user, template="password_reset", context={"link": link, "hours": hours})
    if spacing > 0 and not refused:
        cache.set(_reset_sent_key(user), 1, timeout=spacing)
    return refused


def invitation_mail_send(*, user) -> str:
    """The invitation e-mail to ``user``; returns and raises as ``password_reset_mail_send`` does."""
    days = settings.INVITATION_LINK_TIMEOUT // 86400
    link = _link("invitation_confirm", user, invitation_tokens)
    return _send(user, template="invitation", context={"link": link, "username": user.get_username(), "days": days})

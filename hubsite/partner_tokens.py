"""Partner API tokens: issued, found, used and revoked.

A token is ``hub_`` and 43 random URL-safe characters (256 bits). The Hub keeps its first 12 characters, to
find the row and to name the token in lists, and the SHA-256 of the whole of it; the token itself is shown to
the admin who issues it, once, and is never stored. SHA-256 is enough here, unlike for passwords: the secret
is random and long, so there is nothing to guess, and checking it stays cheap on every API request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hubsite import roles
from hubsite.audit import audit_record
from hubsite.models import AuditEvent, PartnerToken, User

TOKEN_START = "hub_"  # noqa: S105 - how every token begins, not a secret
PREFIX_LENGTH = 12
# Writing the last-used time on every request would make each API call a write; to the minute is enough to
# tell whether a token is still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


class PartnerTokenError(Exception):
    """A token cannot be issued as asked; the message says why, in words for the admin, about ``field``."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class IssuedToken:
    token: PartnerToken
    secret: str  # shown once, never stored


def token_digest(presented: str) -> str:
    return hashlib.sha256(presented.encode()).hexdigest()


def partner_accounts():
    """The accounts a token may be issued to: active, holding the permission to send reports over the API."""
    codename = roles.SUBMIT_REPORT_VIA_API.split(".", 1)[1]
    granted = Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename)
    return User.objects.filter(granted, is_active=True).distinct()


def partner_token_issue(*, name: str, user: User, by: User | None, request=None) -> IssuedToken:
    """Make a new token for ``user``'s system. Refused for anyone who is not a partner of an organisation."""
    name = name.strip()
    if not name:
        raise PartnerTokenError("Give the token a name, such as the system that will use it.", field="name")
    if not partner_accounts().filter(pk=user.pk).exists():
        raise PartnerTokenError(
            "Tokens are only for active partner accounts: give the account the partner role first.", field="user"
        )
    if user.partner_organisation_id is None:
        raise PartnerTokenError(
            "This partner account has no organisation: set its organisation on the account's page first.",
            field="user",
        )
    for _ in range(3):
        secret = TOKEN_START + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                token = PartnerToken.objects.create(
                    name=name,
                    user=user,
                    prefix=secret[:PREFIX_LENGTH],
                    secret_sha256=token_digest(secret),
                    created_by=by,
                )
                audit_record(
                    AuditEvent.Action.PARTNER_TOKEN_ISSUED,
                    target=token,
                    actor=by,
                    request=request,
                    summary=f"Issued partner token “{token}” to {user.get_username()}",
                    partner=user.get_username(),
                )
        except IntegrityError:
            continue  # two tokens began alike (one chance in 2**48): draw again
        return IssuedToken(token=token, secret=secret)
    raise PartnerTokenError("The token could not be made; try again.")


def partner_token_revoke(*, token: PartnerToken, by: User | None, request=None) -> bool:
    """Stop the token working from now on. Returns False, recording nothing, if it was revoked already."""
    with transaction.atomic():
        now = timezone.now()
        revoked = PartnerToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        if not revoked:
            return False
        token.revoked_at, token.revoked_by = now, by
        audit_record(
            AuditEvent.Action.PARTNER_TOKEN_REVOKED,
            target=token,
            actor=by,
            request=request,
            summary=f"Revoked partner token “{token}” of {token.user.get_username()}",
            partner=token.user.get_username(),
        )
    return True


def partner_tokens_revoke_all(*, user: User, by: User | None, request=None) -> int:
    """Stop every live token of ``user``; how many were stopped. For an account moved out of its organisation:
    its tokens were handed to that organisation's systems, which would otherwise go on sending reports, now
    recorded for the new organisation."""
    return sum(
        partner_token_revoke(token=token, by=by, request=request)
        for token in PartnerToken.objects.filter(user=user, revoked_at__isnull=True).select_related("user")
    )


def partner_tokens_for(viewer: User):
    """The tokens of ``viewer``'s organisation (their own without one), for the partner's page: names and
    dates only, since the Hub holds nothing more."""
    if viewer.partner_organisation_id is None:
        return PartnerToken.objects.filter(user=viewer).select_related("user")
    return PartnerToken.objects.filter(user__partner_organisation_id=viewer.partner_organisation_id).select_related(
        "user"
    )


def partner_token_find(presented: str) -> PartnerToken | None:
    """The live token ``presented`` is, with its holder; None for anything else (unknown, wrong or revoked)."""
    if not presented.startswith(TOKEN_START) or len(presented) < PREFIX_LENGTH + 16:
        return None
    token = (
        PartnerToken.objects.select_related("user")
        .filter(prefix=presented[:PREFIX_LENGTH], revoked_at__isnull=True)
        .first()
    )
    # The prefix only finds the row; the comparison of the whole is in constant time.
    if token is None or not hmac.compare_digest(token.secret_sha256, token_digest(presented)):
        return None
    return token


def partner_token_used(*, token: PartnerToken, now=None) -> None:
    """Note that the token was used, at most once a minute: a conditional update, so concurrent requests
    write it once between them."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    PartnerToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ).update(last_used_at=now)
    token.last_used_at = now

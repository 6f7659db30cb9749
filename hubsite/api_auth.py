"""API authentication: partner tokens (``hubsite.partner_tokens``), never for roles held to two-step sign-in.

Sent as ``Authorization: Token <token>`` (the scheme partners used before tokens were hashed) or
``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from hubsite.partner_tokens import partner_token_find, partner_token_used
from hubsite.security import requires_two_factor

SCHEMES = (b"token", b"bearer")
REFUSED_FOR_STAFF = (
    "API tokens are not accepted for officers, liaison officers or admins: a token would skip the code "
    "from your authenticator. Sign in to the Hub with your password and code, and use the API from there."
)
NOT_A_TOKEN = "This token is not valid: it is mistyped, or it was revoked. Ask the Hub's admins for a new one."  # noqa: S105 - a message, not a secret
MALFORMED = "Send the token as 'Authorization: Token <token>', with nothing after it."
ACCOUNT_CLOSED = "The account this token belongs to is closed. Ask the Hub's admins."


class HubTokenAuthentication(BaseAuthentication):
    """Finds the partner token presented; refuses a revoked or unknown one, and any whose holder must sign in
    with two steps or whose account is closed. Notes when the token was last used."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(MALFORMED)
        try:
            presented = parts[1].decode()
        except UnicodeError:
            raise AuthenticationFailed(NOT_A_TOKEN) from None
        token = partner_token_find(presented)
        if token is None:
            raise AuthenticationFailed(NOT_A_TOKEN)
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(ACCOUNT_CLOSED)
        if requires_two_factor(user):
            raise AuthenticationFailed(REFUSED_FOR_STAFF)
        partner_token_used(token=token)
        return user, token

    def authenticate_header(self, request) -> str:
        return self.keyword

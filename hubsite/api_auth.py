"""API authentication: tokens for partner systems and volunteers, never for roles held to two-step sign-in."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from hubsite.security import requires_two_factor

REFUSED_FOR_STAFF = (
    "API tokens are not accepted for officers, liaison officers or admins: a token would skip the code "
    "from your authenticator. Sign in to the Hub with your password and code, and use the API from there."
)


class HubTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token whose holder must sign in with two steps."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if requires_two_factor(user):
            raise AuthenticationFailed(REFUSED_FOR_STAFF)
        return user, token

"""The API's rate limits: a signed-in caller counted by account (every token of it together), anyone else by
client address as hubsite.addresses reads it.

DRF's own throttles read ``X-Forwarded-For`` themselves; ours ask the one function that decides the
client's address, so a throttle, a lockout and an audit row agree on who a request came from.
"""

from __future__ import annotations

from rest_framework import throttling

from hubsite.addresses import client_address


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's per-view limit; a signed-in caller is counted by account, anyone else by their address."""

    def get_ident(self, request) -> str:
        return client_address(request) or ""

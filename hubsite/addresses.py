"""The client's own address: the one place that decides it.

The brute-force lockout (django-axes, through ``AXES_CLIENT_IP_CALLABLE``), the audit log and the API's
throttles all read ``client_address``, so a lockout, an audit row and a rate limit always name the same
address for the same request.

Without ``BEHIND_TLS_PROXY`` the Hub is reached directly: the address is the connection's, and any
``X-Forwarded-For`` header is ignored, since a client can send whatever it likes there.

Behind ``TRUSTED_PROXY_COUNT`` proxies of our own, each proxy appends the address it was reached from to
``X-Forwarded-For``. Only those appended entries can be trusted, so the client is the entry that many places
from the right; whatever the client put at the left of the header is never read.
"""

from __future__ import annotations

from django.conf import settings
from ipware import get_client_ip


def client_address(request) -> str | None:
    """The address of the person making ``request``, as our own proxies saw it."""
    connection = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return connection
    # ipware counts the proxies listed inside the header: all of ours but the last, whose address is the
    # connection's. Not strict: extra entries a client put at the left must not hide the ones our proxies added.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    # No header, or fewer entries than we have proxies: the request did not come through them all.
    return address or connection

"""The API's schema and documentation page, open to anyone signed in (``SERVE_PERMISSIONS``).

A person who opens them in a browser without being signed in is sent to sign in and brought back, instead of
DRF's bare "403 Forbidden"; an API client asking for the schema as JSON or YAML gets DRF's answer as before, and
a token is checked (and a wrong one refused) as before.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class _SignInFirst(Exception):
    pass


class SignInFirstMixin:
    def wants_a_page(self, request) -> bool:
        return "text/html" in request.META.get("HTTP_ACCEPT", "")

    def permission_denied(self, request, message=None, code=None):
        # No credentials at all: a token that failed is refused earlier, by authentication, in JSON.
        if not request.user.is_authenticated and self.wants_a_page(request):
            raise _SignInFirst
        super().permission_denied(request, message=message, code=code)

    def handle_exception(self, exc):
        if isinstance(exc, _SignInFirst):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


class SchemaView(SignInFirstMixin, SpectacularAPIView):
    """The OpenAPI document: a browser asking for a page is sent to sign in; tools asking for YAML or JSON are not."""


class DocsView(SignInFirstMixin, SpectacularSwaggerSplitView):
    """The documentation page is only ever a page (HTML and its script): a visitor is always sent to sign in."""

    def wants_a_page(self, request) -> bool:
        return True

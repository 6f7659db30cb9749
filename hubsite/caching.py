"""No copy of a private page is kept by a browser or a proxy."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers

API_PREFIX = "/api/"


class PrivateResponsesMiddleware:
    """Every page a signed-in person is shown, and every API answer, may hold case files, reported posts or
    personal details: they are sent with ``Cache-Control: no-store, private`` (with Django's never-cache
    companions: no-cache, must-revalidate, max-age=0), so the browser's back button, a shared computer's disk
    cache or a proxy on the way keeps none of it. Static files never reach here (WhiteNoise answers them
    first, with their long cache); the health probes already say never-cache themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # after the view: signed in by this request, or signed out by it
        if request.path_info.startswith(API_PREFIX) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response

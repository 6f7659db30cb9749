"""What makes the Hub an installable web app: its manifest and its service worker, both from our own origin.

Neither needs a sign-in: a browser fetches the manifest without cookies, and neither says anything about a case
or a person. The manifest's ``share_target`` puts the Hub in a phone's share sheet, so a post shared from a
platform's app opens the report form filled in (``reports.views.ShareTargetView``).
"""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

THEME_COLOUR = "#1d3557"  # the navigation bar's colour (static/css/hub.css, .bg-hub)
SERVICE_WORKER = "js/service-worker.js"


def manifest_data() -> dict:
    return {
        "name": "Hub: report online hate",
        "short_name": "Hub",
        "description": "Report hateful posts to the Hub's officers.",
        "id": "/",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("icons/hub-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("icons/hub-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("icons/hub-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "share_target": {
            "action": reverse("reports:share"),
            "method": "POST",
            "enctype": "multipart/form-data",
            "params": {
                "title": "title",
                "text": "text",
                "url": "url",
                "files": [{"name": "screenshot", "accept": ["image/*"]}],
            },
        },
    }


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(manifest_data(), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"  # icons' hashed names change with each release
    return response


@cache
def _service_worker_source() -> bytes:
    path = finders.find(SERVICE_WORKER)
    with open(path, "rb") as source:
        return source.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site's root so its scope covers every page (a worker's scope cannot
    reach above the folder it is served from, and /static/ would be that folder)."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # browsers check for a new version on each visit
    response["Service-Worker-Allowed"] = "/"
    return response

"""The installable web app: its manifest, and a service worker that keeps static files only."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_describes_an_installable_app_that_takes_shared_posts(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] and manifest["short_name"] == "Hub"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
    share = manifest["share_target"]
    assert share["action"] == reverse("reports:share")
    assert share["method"] == "POST" and share["enctype"] == "multipart/form-data"
    assert share["params"]["url"] == "url" and share["params"]["text"] == "text"
    assert share["params"]["title"] == "title"
    assert share["params"]["files"] == [{"name": "screenshot", "accept": ["image/*"]}]


def test_every_page_links_the_manifest_and_registers_the_service_worker(client):
    page = client.get(reverse("two_factor:login")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'src="/static/js/install.js" data-service-worker="/service-worker.js"' in page


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/service-worker.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("fetch"' in response.content


def test_the_service_worker_keeps_static_files_and_nothing_else(client):
    source = client.get("/service-worker.js").content.decode()
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("//"))
    # One test decides what is kept: a GET, from our own origin, under /static/; anything else is left alone.
    assert 'var STATIC_PREFIX = "/static/";' in code
    assert "url.pathname.indexOf(STATIC_PREFIX) === 0" in code
    assert "if (!isStaticFile(event.request)) { return; }" in code
    assert code.count("cache.put(") == 1 and code.count("caches.open(") == 1, "only the one place stores"
    assert "cache.addAll" not in code and "cache.add(" not in code, "nothing fetched up front"


def test_the_content_security_policy_allows_our_own_worker_and_manifest_only(client):
    policy = client.get(reverse("two_factor:login"))["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy

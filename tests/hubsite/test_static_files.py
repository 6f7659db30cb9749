"""Static files as deployed: collected, hashed and compressed, served by whitenoise with DEBUG off; and the
charts' library, installed by npm, where settings serve it from."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_collectstatic_and_pages_work_with_the_manifest(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    environment.update(
        SECRET_KEY="x" * 50,
        STATIC_MANIFEST="true",
        STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'hub.sqlite3'}",  # the sign-in page keeps its steps in the session
        ALLOW_SQLITE_IN_PRODUCTION="true",  # a scratch database for one process, with DEBUG off as deployed
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for asset in ("bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js", "css/hub.css",
                  "css/api-docs.css", "js/report-form.js", "favicon.svg", "js/charts.js", "css/charts.css",
                  "vendor/chartjs/chart.umd.min.js"):  # fmt: skip
        assert asset in manifest, asset
        assert (tmp_path / "static" / manifest[asset]).is_file()

    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr

    # Render a page and fetch a hashed file through whitenoise, as gunicorn would serve them.
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hubsite.settings'; django.setup();"
        "from django.test import Client; c = Client();"
        "page = c.get('/accounts/login/'); print(page.status_code);"
        "import re; pattern = r'href=\"(/static/bootstrap/css/bootstrap\\.min\\.[0-9a-f]+\\.css)\"';"
        "href = re.search(pattern, page.content.decode()).group(1);"
        "asset = c.get(href); print(asset.status_code, asset.get('Cache-Control', ''))"
    )  # fmt: skip
    served = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**environment, "ALLOWED_HOSTS": "testserver"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert served.returncode == 0, served.stderr
    page_status, asset_line = served.stdout.strip().splitlines()
    assert page_status == "200"
    assert asset_line.startswith("200") and "immutable" in asset_line


def test_only_the_chart_library_s_built_files_are_served_and_a_missing_one_is_named(settings, tmp_path):
    from django.contrib.staticfiles import finders

    from hubsite.checks import chart_library_is_installed

    assert settings.CHARTJS_DIR == ROOT / "node_modules" / "chart.js" / "dist"
    found = finders.find("vendor/chartjs/chart.umd.min.js")
    assert found and Path(found).resolve() == (settings.CHARTJS_DIR / "chart.umd.min.js").resolve()
    assert finders.find("vendor/chartjs/package.json") is None  # the package itself is not served
    assert chart_library_is_installed() == []

    settings.CHARTJS_DIR = tmp_path
    (missing,) = chart_library_is_installed()
    assert missing.id == "hubsite.E002" and "npm ci" in missing.hint

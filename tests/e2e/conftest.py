"""Headless Chromium (Debian's) driven by Playwright, with axe-core checks."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import service_unavailable

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls made by the test itself are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        service_unavailable(f"Chromium is not at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


# Browser console errors seen on each page, by page: CSP refusals, failed loads, script errors.
_console_errors: dict[int, list[str]] = {}


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(device: dict):
        context = browser.new_context(**device)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        errors = _console_errors.setdefault(id(page), [])
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    _console_errors.clear()


def assert_accessible(page, *, expected_status: int | None = None) -> None:
    """No serious or critical axe-core violation, and no console error, on the page as it stands. A page meant
    to answer with an error status (``expected_status``) may have the browser report that status."""
    from axe_playwright_python.sync_playwright import Axe

    errors = _console_errors.setdefault(id(page), [])
    if expected_status is not None:
        errors[:] = [error for error in errors if f"responded with a status of {expected_status} " not in error]
    assert not errors, f"{page.url}: browser console errors:\n" + "\n".join(errors)

    before = len(errors)
    results = Axe().run(page)
    page.wait_for_timeout(100)
    # axe-core measures some elements by giving them inline styles, which our CSP refuses: its own noise.
    errors[before:] = [error for error in errors[before:] if not error.startswith("Applying inline style violates")]
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, f"{page.url}:\n" + "\n".join(serious)

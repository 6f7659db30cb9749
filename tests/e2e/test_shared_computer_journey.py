"""An officer signs out of a shared computer; the next person to press Back sees no case."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, DESKTOP, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory


@pytest.fixture
def browser_with_back_forward_cache(browser):
    """Chromium as people use it: Playwright turns off the back/forward cache, which keeps whole pages in
    memory to show them again at once when Back is pressed (unless a page said "no-store")."""
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        headless=True,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield launched
    launched.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_after_sign_out_the_back_button_shows_no_case(live_server, reference_data, browser_with_back_forward_cache):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    case = ReportFactory(captured_text="They live at 14 Elm Road and we know it", doxxing=True).case

    context = browser_with_back_forward_cache.new_context(**DESKTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    page.goto(f"{live_server.url}/triage/cases/{case.pk}/")
    assert page.get_by_text("They live at 14 Elm Road").first.is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")

    # Whoever sits down next presses Back: the browser kept no copy, so it asks the Hub, which asks them
    # to sign in.
    page.go_back(wait_until="commit")  # a page shown again from memory fires no "load"
    page.wait_for_function("document.readyState === 'complete'")
    assert "/accounts/login/" in page.url, page.url
    assert "14 Elm Road" not in page.content()
    assert page.get_by_label("Username").is_visible()
    assert_accessible(page)

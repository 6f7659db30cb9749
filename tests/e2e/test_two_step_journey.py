"""An officer's first sign-in: guided through setting up the authenticator app, then backup codes."""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice

from hubsite.roles import Role
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_sets_up_two_step_sign_in_on_first_sign_in(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    page = new_page(PHONE)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/accounts/two-step/setup/")
    assert page.get_by_text("Your role needs two-step sign-in").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/triage/")  # nothing else opens meanwhile
    page.wait_for_url("**/accounts/two-step/setup/")

    page.get_by_role("button", name="Continue").click()
    page.get_by_text("scan this code").wait_for()
    assert page.get_by_role("img", name="QR code that adds the Hub to an authenticator app").is_visible()
    drawn = page.locator("img[src*=qrcode]").evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert drawn > 0, "the QR code is drawn"
    assert_accessible(page)
    page.get_by_label("Six-digit code from your authenticator app").fill("123456")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("scan this code").wait_for()
    assert page.get_by_text("That code is not right. Check the app added the Hub").is_visible()
    assert_accessible(page)

    secret = page.locator("#totp-secret").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Six-digit code from your authenticator app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/two-step/setup/done/")
    assert_accessible(page)
    page.get_by_role("link", name="Make my backup codes").click()
    page.get_by_role("button", name="Make a new set").click()
    page.locator("#backup-codes li").first.wait_for()
    assert page.locator("#backup-codes li").count() == 10
    assert_accessible(page)
    assert StaticDevice.objects.get(user=officer).token_set.count() == 10

    page.goto(f"{live_server.url}/triage/")
    page.wait_for_url("**/triage/")

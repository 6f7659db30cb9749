"""A volunteer who opens the admin site is told it is for administrators, and finds the way back; no loop."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from hubsite.roles import Role
from tests.auth import authenticator, code_now
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteer_opening_the_admin_finds_the_way_back_or_signs_in_as_an_admin(
    live_server, reference_data, new_page
):
    volunteer, admin_user = UserFactory(role=Role.VOLUNTEER), UserFactory(role=Role.ADMIN)
    authenticator(admin_user)
    page = new_page(PHONE)
    sign_in(page, live_server.url, volunteer.username)
    page.wait_for_url("**/volunteers/")

    # Before: admin -> sign-in -> admin, until the browser gave up (ERR_TOO_MANY_REDIRECTS).
    response = page.goto(f"{live_server.url}/admin/")
    assert response.status == 403
    assert page.get_by_role("heading", name="This part of the Hub is for administrators").is_visible()
    assert page.get_by_text("your role does not include the admin site").is_visible()
    assert_accessible(page, expected_status=403)
    page.get_by_role("link", name="Go to my page").click()
    page.wait_for_url("**/volunteers/")

    # A page that is not there: said in words, in the layout, with the same way back.
    response = page.goto(f"{live_server.url}/reports/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="There is no page here").is_visible()
    assert_accessible(page, expected_status=404)

    # Someone who is also an admin signs in as that account instead, and lands on the admin site.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("button", name="Sign in as someone else").click()
    page.wait_for_url("**/accounts/login/?next=%2Fadmin%2F")
    sign_in_here(page, admin_user)
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.get_by_role("heading", name="Site administration").is_visible()


def sign_in_here(page, user) -> None:
    """The sign-in form already on screen (keeping its ``next``), both steps."""
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Enter the six-digit code").wait_for()
    page.get_by_label("Six-digit code from your authenticator app").fill(code_now(TOTPDevice.objects.get(user=user)))
    page.get_by_role("button", name="Continue").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_opening_the_api_docs_is_sent_to_sign_in_and_back(live_server, reference_data, new_page):
    partner = UserFactory(role=Role.PARTNER)
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_url("**/accounts/login/?next=/api/docs/")
    assert_accessible(page)
    page.get_by_label("Username").fill(partner.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/api/docs/")
    page.get_by_text("Hub API").first.wait_for()

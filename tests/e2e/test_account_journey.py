"""Account journeys in a browser: a forgotten password reset on a phone, signing out another device, and an
invitation from the admin taken up on a phone."""

import re

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_phone_journey import assert_no_sideways_scroll
from tests.e2e.test_report_journey import sign_in
from tests.factories import UserFactory

NEW_PASSWORD = "a-new-and-long-password-42"  # noqa: S105 - a test password
# The labels as read out, with the mark of a required field after them.
NEW_PASSWORD_FIELD = re.compile(r"\bNew password\W*$")
CONFIRMATION_FIELD = re.compile(r"\bNew password confirmation\W*$")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteer_resets_a_forgotten_password_on_a_phone(
    live_server, reference_data, new_page, smtp_server, settings
):
    settings.HUB_BASE_URL = live_server.url
    volunteer = UserFactory(role=Role.VOLUNTEER, email="sam@example.org")
    page = new_page(PHONE)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_text("Enter the e-mail address you use for the Hub.", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_label("Your e-mail address").fill("sam@example.org")
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    [message] = smtp_server.wait_for(1)
    [link] = re.findall(r"https?://\S+", smtp_server.body(message))
    page.goto(link)
    page.get_by_role("heading", name="Choose a new password").wait_for()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.get_by_label(NEW_PASSWORD_FIELD).fill("short")
    page.get_by_label(CONFIRMATION_FIELD).fill("short")
    page.get_by_role("button", name="Set my password").click()
    page.get_by_text("This password is too short").wait_for()
    assert_accessible(page)
    page.get_by_label(NEW_PASSWORD_FIELD).fill(NEW_PASSWORD)
    page.get_by_label(CONFIRMATION_FIELD).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    page.get_by_role("heading", name="Your password is set").wait_for()
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Username").fill(volunteer.username)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/volunteers/**")

    page.goto(link)
    page.get_by_role("heading", name="This link does not work any more").wait_for()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_volunteer_signs_out_another_device(live_server, reference_data, new_page, device):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    elsewhere = new_page(DESKTOP)
    sign_in(elsewhere, live_server.url, volunteer.username)
    here = new_page(device)
    sign_in(here, live_server.url, volunteer.username)

    if device is PHONE:
        here.get_by_role("button", name="Show menu").click()
        here.get_by_role("link", name="Signed-in devices").wait_for()
        assert_no_sideways_scroll(here)
    here.get_by_role("link", name="Signed-in devices").click()
    here.get_by_role("heading", name="Signed-in devices").wait_for()
    assert here.locator("#devices li").count() == 2
    assert here.get_by_text("This device").count() == 1
    assert_accessible(here)
    if device is PHONE:
        assert_no_sideways_scroll(here)

    here.get_by_role("button", name="Sign out all other devices").click()
    here.get_by_text("Signed out of 1 other device.").wait_for()
    assert here.locator("#devices li").count() == 1
    assert_accessible(here)
    if device is PHONE:
        assert_no_sideways_scroll(here)

    elsewhere.goto(f"{live_server.url}/volunteers/")
    elsewhere.wait_for_url("**/accounts/login/**")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_invites_a_volunteer_who_sets_a_password_on_a_phone(
    live_server, reference_data, new_page, smtp_server, settings
):
    settings.HUB_BASE_URL = live_server.url
    admin_user = UserFactory(role=Role.ADMIN)
    authenticator(admin_user)
    newcomer = UserFactory(role=Role.VOLUNTEER, email="newcomer@example.org")
    newcomer.set_unusable_password()
    newcomer.save()

    admin_page = new_page(DESKTOP)
    sign_in(admin_page, live_server.url, admin_user.username)
    admin_page.goto(f"{live_server.url}/admin/hubsite/user/")
    admin_page.locator(f"input[name='_selected_action'][value='{newcomer.pk}']").check()
    admin_page.locator("select[name='action']").select_option("send_invitation")
    admin_page.get_by_role("button", name="Go").click()
    admin_page.get_by_text("Invitation e-mailed to 1 account.").wait_for()
    assert_accessible(admin_page)

    [message] = smtp_server.wait_for(1)
    [link] = re.findall(r"https?://\S+", smtp_server.body(message))
    page = new_page(PHONE)
    page.goto(link)
    page.get_by_role("heading", name="Choose your password").wait_for()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.get_by_label(NEW_PASSWORD_FIELD).fill(NEW_PASSWORD)
    page.get_by_label(CONFIRMATION_FIELD).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    page.get_by_role("heading", name="Your password is set").wait_for()
    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Username").fill(newcomer.username)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/volunteers/**")

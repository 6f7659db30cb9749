"""An admin finds in the audit log who opened a case, and lifts the pause on an account someone tried to guess."""

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory


def delete_the_first_listed(page) -> None:
    """On an admin list: tick the first row, delete it with the list's action, and confirm."""
    page.locator("#result_list tbody input[type=checkbox]").first.check()
    page.get_by_role("combobox", name="Action").select_option("delete_selected")
    page.get_by_role("button", name="Go").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, I’m sure").click()
    page.get_by_text("Successfully deleted 1").wait_for()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_reads_who_opened_a_case_and_lifts_a_sign_in_pause(live_server, reference_data, new_page, settings):
    officer, admin_user = UserFactory(role=Role.OFFICER), UserFactory(role=Role.ADMIN)
    authenticator(officer), authenticator(admin_user)
    case_id = ReportFactory().case_id

    # The officer opens a case: that is written down.
    officer_page = new_page(DESKTOP)
    sign_in(officer_page, live_server.url, officer.username)
    officer_page.goto(f"{live_server.url}/triage/cases/{case_id}/")
    officer_page.get_by_role("heading", level=1).wait_for()

    # Someone guesses at the officer's password from a phone until signing in is paused.
    guesser = new_page(PHONE)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        guesser.goto(f"{live_server.url}/accounts/login/")
        guesser.get_by_label("Username").fill(officer.username)
        guesser.get_by_label("Password").fill(f"wrong guess {attempt}")
        guesser.get_by_role("button", name="Sign in").click()
        guesser.wait_for_load_state()
    assert guesser.get_by_role("heading", name="Signing in is paused").is_visible()
    assert_accessible(guesser, expected_status=429)

    # The admin finds the case's views in the log, filtered to views of cases.
    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, admin_user.username)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/admin/hubsite/auditevent/?q={case_id}")
    assert_accessible(desk)
    desk.get_by_role("link", name="Case viewed").click()
    desk.wait_for_url("**action__exact=case.viewed**")
    rows = desk.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert officer.username in rows.first.inner_text() and "127.0.0.1" in rows.first.inner_text()
    rows.first.locator("th a").click()
    desk.get_by_text("Case viewed").first.wait_for()
    assert_accessible(desk)

    # The attempts are in the log too; the admin lifts the pause.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).count() == settings.AXES_FAILURE_LIMIT
    desk.goto(f"{live_server.url}/admin/axes/accessattempt/")
    assert_accessible(desk)
    delete_the_first_listed(desk)
    assert not AccessAttempt.objects.exists()
    lifted = AuditEvent.objects.get(action=AuditEvent.Action.SECURITY_CHANGED)
    assert lifted.actor == admin_user and lifted.summary == f"{officer.username}: sign-in pause lifted"

    # The officer can sign in again (later: their app shows a code not used yet).
    TOTPDevice.objects.filter(user=officer).update(last_t=-1)
    phone = new_page(PHONE)
    sign_in(phone, live_server.url, officer.username)
    phone.wait_for_url("**/triage/")
    assert_accessible(phone)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_removes_a_lost_phones_authenticator_and_the_officer_sets_up_a_new_one(
    live_server, reference_data, new_page
):
    officer, admin_user = UserFactory(role=Role.OFFICER), UserFactory(role=Role.ADMIN)
    authenticator(officer), authenticator(admin_user)

    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, admin_user.username)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/admin/otp_totp/totpdevice/?q={officer.username}")
    assert_accessible(desk)
    delete_the_first_listed(desk)
    assert not TOTPDevice.objects.filter(user=officer).exists()
    removed = AuditEvent.objects.get(action=AuditEvent.Action.SECURITY_CHANGED)
    assert removed.actor == admin_user and removed.summary.startswith(f"{officer.username}: authenticator app removed")

    # With the password alone the officer reaches only the setup of a new app.
    phone = new_page(PHONE)
    sign_in(phone, live_server.url, officer.username)
    phone.wait_for_url("**/accounts/two-step/setup/")
    assert phone.get_by_text("Your role needs two-step sign-in").is_visible()
    assert_accessible(phone)

"""A suspended volunteer tries to sign in: they are told the account is suspended and whom to ask."""

import pytest

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.e2e.conftest import PHONE, assert_accessible
from tests.factories import TEST_PASSWORD, UserFactory
from volunteers.models import VolunteerProfile
from volunteers.services import volunteer_set_status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_suspended_volunteer_is_told_the_account_is_suspended(live_server, reference_data, new_page):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    volunteer_set_status(profile=volunteer.volunteer, status=VolunteerProfile.Status.SUSPENDED)

    page = new_page(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(volunteer.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text().strip() == "This account is suspended; ask the Hub's administrators."
    assert "enter a correct username and password" not in page.content()
    assert page.get_by_label("Username").input_value() == volunteer.username
    assert page.url.endswith("/accounts/login/")
    assert_accessible(page)

    (refused,) = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert refused.detail["reason"] == "suspended account" and refused.address == "127.0.0.1"

"""An admin adds a volunteer on one screen and invites them; the volunteer chooses a password from the e-mail,
signs in, is told they cannot report until approved, and can once the admin makes them active."""

import re

import pytest
from django.utils import timezone

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_phone_journey import assert_no_sideways_scroll
from tests.e2e.test_report_journey import sign_in
from tests.factories import UserFactory
from volunteers.models import TrainingRecord, VolunteerProfile

NEW_PASSWORD = "a-long-new-password-for-amira"  # noqa: S105 (test only)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_adds_a_volunteer_in_one_screen_who_then_sets_a_password(
    live_server, reference_data, new_page, smtp_server, settings
):
    settings.HUB_BASE_URL = live_server.url
    admin_user = UserFactory(role=Role.ADMIN)
    authenticator(admin_user)

    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, admin_user.username)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/admin/")
    desk.get_by_role("link", name="Add a volunteer").click()
    desk.get_by_role("heading", name="Add a volunteer").wait_for()
    assert_accessible(desk)
    pseudonym = desk.locator("#pseudonym").inner_text()
    assert re.fullmatch(r"V-[A-Z2-9]{6}", pseudonym)

    # Forgetting the e-mail address: said on the same page, with everything typed kept.
    desk.get_by_label("Username").fill("amira")
    desk.get_by_label("Languages").fill("English, Arabic")
    desk.get_by_label("Platforms").fill("x, tiktok")
    desk.get_by_label("Training module").select_option(label="Induction")
    desk.get_by_label("Completed on").fill(timezone.localdate().isoformat())
    assert desk.get_by_label("Send an invitation e-mail").is_checked()
    desk.get_by_role("button", name="Add the volunteer").click()
    desk.get_by_text("Nothing was saved: please correct the field marked below.").wait_for()
    assert desk.get_by_label("Languages").input_value() == "English, Arabic"
    assert desk.locator("#pseudonym").inner_text() == pseudonym, "the same pseudonym, still"
    assert_accessible(desk)
    assert not VolunteerProfile.objects.filter(user__username="amira").exists()

    desk.get_by_label("E-mail address").fill("amira@example.org")
    desk.get_by_role("button", name="Add the volunteer").click()
    desk.get_by_text(f"Added {pseudonym} (amira) as an applicant.").wait_for()
    assert_accessible(desk)
    profile = VolunteerProfile.objects.select_related("user").get(user__username="amira")
    assert profile.pseudonym == pseudonym, "the pseudonym shown before saving is the one saved"
    assert profile.status == VolunteerProfile.Status.APPLICANT
    assert TrainingRecord.objects.get(volunteer=profile.user).module.slug == "induction"

    # The invitation arrives; on her phone, the volunteer chooses a password and signs in.
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "amira@example.org"
    link = re.search(r"http\S+/accounts/invitation/\S+/", smtp_server.body(message)).group(0)
    phone = new_page(PHONE)
    phone.goto(link)
    phone.get_by_role("heading", name="Choose your password").wait_for()
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)
    phone.locator("#id_new_password1").fill(NEW_PASSWORD)
    phone.locator("#id_new_password2").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Set my password").click()
    phone.get_by_role("heading", name="Your password is set").wait_for()
    assert_accessible(phone)
    phone.get_by_role("link", name="Sign in").click()
    phone.get_by_label("Username").fill("amira")
    phone.get_by_label("Password").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url("**/volunteers/")

    # Not approved yet: the report page says why instead of showing a form.
    phone.goto(f"{live_server.url}/reports/new/")
    assert phone.get_by_text("Your application to volunteer has not been approved yet").is_visible()
    assert phone.locator("#report-form").count() == 0
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)

    # The admin makes her active; now she can report.
    desk.goto(f"{live_server.url}/admin/volunteers/volunteerprofile/")
    desk.get_by_role("checkbox", name=f"Select this object for an action - {pseudonym}").check()
    desk.get_by_role("combobox", name="Action").select_option("reinstate")
    desk.get_by_role("button", name="Go").click()
    desk.get_by_text("Made 1 volunteer(s) active.").wait_for()
    phone.reload()
    assert phone.locator("#report-form").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_add_a_volunteer_screen_fits_a_phone(live_server, reference_data, new_page):
    admin_user = UserFactory(role=Role.ADMIN)
    authenticator(admin_user)
    page = new_page(PHONE)
    sign_in(page, live_server.url, admin_user.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/admin/")
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name="Add a volunteer").click()
    page.get_by_role("heading", name="Add a volunteer").wait_for()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Add the volunteer").click()
    page.get_by_text("Nothing was saved").wait_for()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

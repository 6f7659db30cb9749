"""An admin records a training session; the volunteer, refused before, can then report."""

import pytest
from django.utils import timezone

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import UserFactory
from volunteers.models import TrainingRecord


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_records_the_induction_after_which_the_volunteer_can_report(live_server, reference_data, new_page):
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    admin_user = UserFactory(role=Role.ADMIN)
    pseudonym = volunteer.volunteer.pseudonym

    # Untrained, the volunteer is told why they cannot report and what to do.
    phone = new_page(PHONE)
    sign_in(phone, live_server.url, volunteer.username)
    phone.wait_for_url("**/volunteers/")
    assert phone.get_by_text("You need to complete the induction training").first.is_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Report a post").first.click()
    phone.wait_for_url("**/reports/new/")
    assert phone.get_by_text("You cannot report posts yet.").is_visible()
    assert phone.locator("#report-form").count() == 0
    assert_accessible(phone)

    # The admin finds the volunteers never trained and records the session for them.
    desk = new_page(DESKTOP)
    authenticator(admin_user)
    sign_in(desk, live_server.url, admin_user.username)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/admin/volunteers/volunteerprofile/?training=never")
    assert desk.get_by_role("link", name=pseudonym).is_visible()
    assert_accessible(desk)
    desk.get_by_role("checkbox", name=f"Select this object for an action - {pseudonym}").check()
    desk.get_by_role("combobox", name="Action").select_option("record_session")
    desk.get_by_role("button", name="Go").click()
    desk.get_by_text("The session will be recorded for these 1 volunteer").wait_for()
    assert_accessible(desk)
    desk.get_by_label("Module").select_option(label="Induction")
    desk.get_by_label("Date of the session").fill(timezone.localdate().isoformat())
    desk.get_by_role("button", name="Record the session").click()
    desk.get_by_text("Recorded Induction for 1 volunteer(s).").wait_for()
    assert_accessible(desk)
    record = TrainingRecord.objects.get(volunteer=volunteer)
    assert record.module.slug == "induction" and record.recorded_by == admin_user

    # The volunteer may report now.
    phone.reload()
    assert phone.locator("#report-form").is_visible()
    assert phone.get_by_text("You cannot report posts yet.").count() == 0
    assert_accessible(phone)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_imports_training_records_from_a_file_correcting_a_bad_line(
    live_server, reference_data, new_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    admin_user = UserFactory(role=Role.ADMIN)
    today = timezone.localdate()
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(f"volunteer,module,completed_on,score\n{volunteer.username},induction,31/02/2026,\n")
    good.write_text(f"volunteer,module,completed_on,score\n{volunteer.username},induction,{today},\n")

    desk = new_page(DESKTOP)
    authenticator(admin_user)
    sign_in(desk, live_server.url, admin_user.username)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/admin/volunteers/trainingrecord/")
    desk.get_by_role("link", name="Import").click()
    assert_accessible(desk)
    desk.get_by_label("File to import").set_input_files(str(bad))
    desk.get_by_role("button", name="Submit").click()
    desk.get_by_text("Nothing was imported: 1 line needs correcting").wait_for()
    assert desk.get_by_text("“31/02/2026” is not a date").is_visible()
    assert_accessible(desk)
    assert not TrainingRecord.objects.filter(volunteer=volunteer).exists()

    desk.get_by_label("File to import").set_input_files(str(good))
    desk.get_by_role("button", name="Submit").click()
    desk.get_by_role("button", name="Confirm import").wait_for()
    assert_accessible(desk)
    desk.get_by_role("button", name="Confirm import").click()
    desk.wait_for_url("**/admin/volunteers/trainingrecord/")
    assert_accessible(desk)
    assert TrainingRecord.objects.get(volunteer=volunteer).recorded_by == admin_user

    # And takes the records out again, as CSV.
    desk.get_by_role("link", name="Export").click()
    assert_accessible(desk)
    with desk.expect_download() as download:
        desk.get_by_role("button", name="Submit").click()
    exported = download.value.path().read_text()
    assert exported.splitlines()[0].startswith("volunteer,module,completed_on,score")
    assert f"{volunteer.username},induction,{today}" in exported

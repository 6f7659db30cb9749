"""A volunteer on a phone reports a post; an officer finds it at the top of the queue."""

import pytest

from hubsite.roles import Role
from reports.models import Report
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.factories import TEST_PASSWORD, ReportFactory, UserFactory
from triage.models import Case

HATEFUL = "Disabled people are parasites and should be locked away where we never have to see them."


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_volunteer_reports_and_officer_finds_it_first(live_server, reference_data, active_model, new_page):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    officer = UserFactory(role=Role.OFFICER)
    for score in (0.2, 0.4):  # cases already waiting, scored lower
        Case.objects.filter(pk=ReportFactory(captured_text=f"older post {score}").case_id).update(score=score)

    # The volunteer, on a phone.
    page = new_page(PHONE)
    sign_in(page, live_server.url, volunteer.username)
    page.wait_for_url("**/reports/mine/")
    assert_accessible(page)
    page.get_by_role("link", name="Report a post").first.click()
    page.wait_for_url("**/reports/new/")
    assert_accessible(page)

    # A mistake first: the message appears beside the field and nothing typed is lost.
    page.get_by_label("Link to the post").fill("not a link")
    page.get_by_label("The post's text").fill(HATEFUL)
    page.get_by_label("Disability").check()
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    assert page.get_by_text("That is not a web link.").is_visible()
    assert page.get_by_label("The post's text").input_value() == HATEFUL
    assert page.get_by_label("Disability").is_checked()
    assert_accessible(page)
    assert Report.objects.filter(reporter=volunteer).count() == 0

    page.get_by_label("Link to the post").fill("https://www.reddit.com/r/example/comments/abc/")
    assert page.get_by_label("Platform").input_value() == "reddit", "platform recognised as the link is typed"
    page.get_by_label("Who posted it").fill("u/example_poster")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/reports/mine/")
    assert page.get_by_text("Thank you.").is_visible()
    assert page.locator(f"#report-{Report.objects.get(reporter=volunteer).pk} .outcome").inner_text() == "Under review"
    assert_accessible(page)

    report = Report.objects.get(reporter=volunteer)
    assert report.platform == "reddit"
    assert report.score_status == Report.ScoreStatus.SCORED

    # The officer, at a desk.
    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, officer.username)
    desk.wait_for_url("**/triage/")
    assert_accessible(desk)
    first_row = desk.locator("#queue tbody tr").first
    assert f"Case {report.case_id}" in first_row.inner_text()
    first_row.get_by_role("link").click()
    desk.wait_for_url(f"**/triage/cases/{report.case_id}/")
    assert desk.get_by_text(HATEFUL).is_visible()
    assert desk.get_by_text("u/example_poster").is_visible()
    assert_accessible(desk)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_from_local_files_under_the_content_security_policy(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    page = new_page(DESKTOP)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("/api/v1/queue/").first.wait_for()
    assert_accessible(page)

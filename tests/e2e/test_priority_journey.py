"""A volunteer whose earlier reports were dismissed sends a harmless post: its case sinks below 0 points,
and every officer's queue, filter, sort, API and the case page still answer."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from triage.models import Case

HARMLESS = "Lovely sunset over the harbour this evening, the whole town came out to watch."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_case_below_zero_points_leaves_the_queue_working(live_server, reference_data, active_model, new_page):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    for number in range(4):  # four earlier reports, every one dismissed: "reporters often wrong"
        earlier = ReportFactory(reporter=volunteer, captured_text=f"earlier report {number}")
        Case.objects.filter(pk=earlier.case_id).update(status=Case.Status.DISMISSED)

    phone = new_page(PHONE)
    sign_in(phone, live_server.url, volunteer.username)
    phone.wait_for_url("**/volunteers/")
    phone.goto(f"{live_server.url}/reports/new/")
    phone.get_by_label("Link to the post").fill("https://x.com/harbourtown/status/1790000000000000001")
    phone.get_by_label("The post's text").fill(HARMLESS)
    phone.get_by_label("Disability").check()
    phone.get_by_role("button", name="Send report").click()
    phone.wait_for_url("**/reports/mine/")
    assert phone.get_by_text("Thank you.").is_visible()

    case = Case.objects.get(reports__captured_text=HARMLESS)
    assert case.priority < 0, f"the case should sink below 0 points, it has {case.priority}"
    assert "reporters often wrong" in case.priority_reasons

    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, officer.username)
    desk.wait_for_url("**/triage/")
    row = desk.locator("#queue tbody tr", has_text=f"Case {case.pk}")
    assert row.locator(".priority").inner_text().startswith("Low: ")
    assert_accessible(desk)

    desk.get_by_label("Sort").select_option("age")
    desk.get_by_label("Score").select_option("low")
    desk.get_by_role("button", name="Show").click()
    desk.wait_for_url("**/triage/?*band=low*")
    assert desk.locator("#queue tbody tr", has_text=f"Case {case.pk}").count() == 1
    assert_accessible(desk)

    for path in ("/api/v1/queue/", "/api/v1/cases/?sort=age&band=low"):
        answer = desk.request.get(f"{live_server.url}{path}", headers={"Accept": "application/json"})
        assert answer.status == 200, path
        listed = {item["id"]: item for item in answer.json()["results"]}
        assert listed[case.pk]["priority_level"] == "low"

    answer = desk.goto(f"{live_server.url}/triage/cases/{case.pk}/")
    assert answer.status == 200
    assert desk.locator("#priority-reasons").inner_text().startswith("Low: ")
    assert_accessible(desk)

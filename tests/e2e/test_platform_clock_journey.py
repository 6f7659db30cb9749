"""An officer reports a post to its platform, then refers the case to a force; when the platform answers, the
answer can still be recorded and the 24-hour clock stops."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from triage.models import Case


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_platforms_answer_is_recorded_after_a_referral(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    case = ReportFactory(captured_text="We know where you live, and we are coming", threat_of_violence=True).case

    page = new_page(DESKTOP)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    page.goto(f"{live_server.url}/triage/cases/{case.pk}/")
    page.get_by_role("button", name="Claim this case").click()

    page.get_by_text("Record that I reported it to the platform").click()
    page.get_by_role("button", name="Start the 24-hour clock").click()
    page.wait_for_url(f"**/triage/cases/{case.pk}/")
    assert "answer due by" in page.locator("#platform-clock").inner_text()

    page.get_by_text("Refer to a police force").click()
    page.get_by_label("Police force").select_option(label="Kent Police")
    page.get_by_label("Malicious Communications Act 1988, s.1").check()
    page.get_by_label("Summary for the force").fill("Threat to a named person at home.")
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url(f"**/triage/cases/{case.pk}/")
    assert page.locator("#case-status").inner_text().startswith("Referred to a police force")
    assert page.get_by_text("Refer to a police force").count() == 0, "referred once; no second referral offered"
    assert page.get_by_text("Record that I reported it to the platform").count() == 0, "the first report is open"
    assert_accessible(page)

    page.get_by_text("Record what the platform did").click()
    page.get_by_label("Removed").check()
    page.get_by_label("Note (optional)").fill("Taken down overnight")
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(f"**/triage/cases/{case.pk}/")
    assert page.get_by_text("The platform's answer is recorded.").is_visible()
    assert page.locator("#platform-clock").inner_text().startswith("Reported")
    assert "Removed (" in page.locator("#platform-clock").inner_text()
    assert "Removed. Taken down overnight" in page.locator("#timeline").inner_text()
    assert page.locator("#case-status").inner_text().startswith("Referred to a police force")
    assert page.get_by_text("Record what the platform did").count() == 0
    assert_accessible(page)

    answered = Case.objects.get(pk=case.pk)
    assert answered.platform_outcome == "removed" and not answered.platform_report_open

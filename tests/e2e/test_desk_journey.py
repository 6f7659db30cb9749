"""An officer works a case from the queue to a referral; the force's liaison acknowledges and accepts it."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from triage.models import Case, Force, ForceLiaison, Referral


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_refers_a_case_and_the_forces_liaison_accepts_it(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    liaison = UserFactory(role=Role.LIAISON)
    for person in (officer, liaison):
        authenticator(person)
    kent = Force.objects.get(slug="kent-police")
    ForceLiaison.objects.create(user=liaison, force=kent)
    report = ReportFactory(captured_text="We will burn down the mosque on Friday", threat_of_violence=True)
    ReportFactory(case=report.case)
    for _ in range(3):
        ReportFactory()
    case = report.case

    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, officer.username)
    desk.wait_for_url("**/triage/")
    first_row = desk.locator("#queue tbody tr").first
    assert f"Case {case.pk}" in first_row.inner_text()
    assert "threat of violence" in first_row.locator(".priority").inner_text()
    desk.get_by_label("Severity").select_option("threat_of_violence")
    desk.get_by_role("button", name="Show").click()
    desk.wait_for_url("**/triage/?*flag=threat_of_violence*")
    assert desk.locator("#queue tbody tr").count() == 1
    assert_accessible(desk)

    first_row = desk.locator("#queue tbody tr").first
    first_row.get_by_role("link", name=f"Case {case.pk}").click()
    desk.wait_for_url(f"**/triage/cases/{case.pk}/")
    desk.get_by_role("button", name="Claim this case").click()
    assert desk.get_by_text("You are working on this case.").is_visible()
    assert_accessible(desk)

    desk.get_by_text("Refer to a police force").click()
    desk.get_by_label("Police force").select_option(label="Kent Police")
    desk.get_by_role("button", name="Send the referral").click()
    assert desk.get_by_text("This field is required.").first.is_visible()  # no summary, no offence
    assert desk.get_by_label("Police force").input_value() == str(kent.pk), "the choice is kept"
    assert_accessible(desk)
    desk.get_by_label("Malicious Communications Act 1988, s.1").check()
    desk.get_by_label("Summary for the force").fill("Threat to burn a named mosque this Friday.")
    desk.get_by_role("button", name="Send the referral").click()
    desk.wait_for_url(f"**/triage/cases/{case.pk}/")
    assert desk.locator("#case-status").inner_text().startswith("Referred to a police force")
    assert "Referred to a force" in desk.locator("#timeline").inner_text()
    assert_accessible(desk)
    desk.get_by_role("link", name="Referral package").click()
    assert desk.get_by_text("Threat to burn a named mosque this Friday.", exact=True).is_visible()
    assert_accessible(desk)

    # The force's liaison, on a phone.
    phone = new_page(PHONE)
    sign_in(phone, live_server.url, liaison.username)
    phone.wait_for_url("**/liaison/")
    assert_accessible(phone)
    referral = Referral.objects.get(case=case)
    phone.get_by_role("link", name=f"Referral {referral.pk}").click()
    phone.wait_for_url(f"**/liaison/referrals/{referral.pk}/")
    assert phone.get_by_text("We will burn down the mosque on Friday").first.is_visible()
    assert report.reporter.username not in phone.content()
    assert_accessible(phone)
    phone.get_by_role("button", name="Acknowledge receipt").click()
    phone.get_by_text("Accept, with the crime reference").click()
    phone.get_by_role("button", name="Accept").click()
    assert phone.get_by_text("This field is required.").is_visible()
    assert_accessible(phone)
    phone.get_by_label("Crime reference number").fill("KE/4471/26")
    phone.get_by_role("button", name="Accept").click()
    assert "Accepted, crime reference KE/4471/26" in phone.locator("#referral-status").inner_text()
    assert_accessible(phone)

    referral.refresh_from_db()
    assert (referral.status, referral.crime_reference) == ("accepted", "KE/4471/26")
    assert Case.objects.get(pk=case.pk).status == Case.Status.REFERRED
    desk.goto(f"{live_server.url}/triage/cases/{case.pk}/")
    assert "accepted it as crime KE/4471/26" in desk.locator("#timeline").inner_text()

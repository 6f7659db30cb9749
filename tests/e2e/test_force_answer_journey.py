"""A force's liaison answers a referral: a mistyped crime reference is refused with the reason and what was
typed, the good one is said back, and later corrected with a reason; the package shows the screenshot. A
reporter then reads what the police did, in plain words."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from tests.images import image_upload
from triage import casework
from triage.models import CaseEvent, Force, ForceLiaison, Offence, Referral


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_liaison_fixes_a_mistyped_reference_then_corrects_it_with_a_reason(
    live_server, reference_data, new_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    officer = UserFactory(role=Role.OFFICER, username="hub_officer")
    liaison = UserFactory(role=Role.LIAISON)
    authenticator(liaison)
    kent = Force.objects.get(slug="kent-police")
    ForceLiaison.objects.create(user=liaison, force=kent)
    report = ReportFactory(captured_text="We know where the mosque is and we are coming")
    report.screenshot.save("shot.png", image_upload(size=(320, 200)))
    casework.case_add_note(case=report.case, officer=officer, note="Internal: watch this account")
    referral = casework.case_refer(
        case=report.case,
        officer=officer,
        force=kent,
        offences=Offence.objects.all()[:1],
        summary="Threat to attack a mosque.",
    )

    page = new_page(PHONE)
    sign_in(page, live_server.url, liaison.username)
    page.wait_for_url("**/liaison/")
    page.get_by_role("link", name=f"Referral {referral.pk}").click()
    page.wait_for_url(f"**/liaison/referrals/{referral.pk}/")
    # The screenshot itself, loaded; nothing of the Hub's internal notes or staff.
    screenshot = page.get_by_role("img", name=f"Screenshot of the post sent with report {report.pk}")
    screenshot.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=screenshot.element_handle())
    content = page.content()
    assert "Internal: watch this account" not in content and "hub_officer" not in content
    assert_accessible(page)

    # A slip: "x" is refused beside the field, with the reason, and stays there to be fixed.
    page.get_by_text("Accept, with the crime reference").click()
    page.get_by_label("Crime reference number").fill("x")
    page.get_by_role("button", name="Accept").click()
    assert page.get_by_text("That is 1 character long.").is_visible()
    assert page.get_by_label("Crime reference number").input_value() == "x"
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.SENT
    assert_accessible(page)

    page.get_by_label("Crime reference number").fill("46/1234/26")
    page.get_by_role("button", name="Accept").click()
    assert page.get_by_text(
        "Crime reference 46/1234/26 recorded — check it matches your force's system."
    ).first.is_visible()
    assert "46/1234/26" in page.locator("#crime-reference").inner_text()
    assert_accessible(page)

    # Later, checking against the force's system: two digits were swapped.
    page.reload()
    page.get_by_text("Correct the crime reference").click()
    page.get_by_label("The correct crime reference number").fill("46/1243/26")
    page.get_by_role("button", name="Correct it").click()
    assert page.get_by_text("This field is required.").is_visible()  # no reason given
    assert page.get_by_label("The correct crime reference number").input_value() == "46/1243/26"
    assert_accessible(page)
    page.get_by_label("Why it is being corrected").fill("Two digits swapped when typing it in")
    page.get_by_role("button", name="Correct it").click()
    assert page.get_by_text("Crime reference corrected to 46/1243/26").is_visible()
    assert "46/1243/26" in page.locator("#crime-reference").inner_text()
    history = page.locator(".referral-package").inner_text()
    assert "corrected the crime reference from 46/1234/26 to 46/1243/26" in history
    assert_accessible(page)

    # The outcome: one of the outcome groups, with details beside it.
    page.get_by_label("Charged or summonsed").check()
    page.get_by_label("Details (optional").fill("Charged on 9 June")
    page.get_by_role("button", name="Record the outcome").click()
    assert page.get_by_text("Outcome recorded: Charged or summonsed.").is_visible()
    assert_accessible(page)
    assert CaseEvent.objects.filter(case=report.case, note__contains="from 46/1234/26 to 46/1243/26").exists()

    # The volunteer who reported it reads what the police did, and nothing of the force's details.
    volunteer = new_page(DESKTOP)
    sign_in(volunteer, live_server.url, report.reporter.username)
    volunteer.goto(f"{live_server.url}/reports/mine/")
    outcome = volunteer.locator(f"#report-{report.pk} .police-outcome").inner_text()
    assert outcome == "What the police did: Police charged or summonsed someone."
    assert "46/1243/26" not in volunteer.content() and "9 June" not in volunteer.content()
    assert_accessible(volunteer)

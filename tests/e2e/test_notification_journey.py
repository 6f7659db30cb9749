"""Notifications on a phone: a volunteer reads one and follows it to the officer's question; a force's liaison
opens one about a new referral and answers the referral from there. Each page passes axe and fits the screen."""

import pytest

from hubsite.roles import Role
from notifications.models import Kind, Notification
from tests.auth import authenticator
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_phone_journey import assert_no_sideways_scroll
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import Force, ForceLiaison, Offence, Referral


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_volunteer_reads_a_notification_and_follows_it_to_the_question(live_server, reference_data, new_page):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    officer = UserFactory(role=Role.OFFICER)
    report = ReportFactory(reporter=volunteer)
    question = casework.case_request_info(case=report.case, officer=officer, question="Is the post still up?")

    page = new_page(PHONE)
    sign_in(page, live_server.url, volunteer.username)
    page.wait_for_url("**/volunteers/**")
    # The count shows beside the menu button, without opening the menu.
    count = page.locator("#unread-count")
    assert count.is_visible() and count.inner_text() == "1"
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Notifications 1 unread").click()
    page.wait_for_url("**/notifications/")
    item = page.get_by_role("link", name="An officer has a question about a post you reported.")
    assert item.is_visible()
    assert page.get_by_text("New", exact=True).is_visible()
    assert not page.locator("#unread-count").is_visible(), "read once listed"
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    item.click()
    page.wait_for_url(f"**/reports/mine/#question-{question.pk}")
    assert page.locator(f"#question-{question.pk}").get_by_text("Is the post still up?").is_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("link", name="E-mail settings").click()
    page.wait_for_url("**/notifications/settings/")
    page.get_by_role("group", name="A decision on a post you reported").get_by_label(
        "One e-mail a day with all of them"
    ).check()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Save my choices").click()
    assert page.get_by_text("Your choices are saved.").is_visible()
    assert Notification.objects.get(recipient=volunteer).read_at is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_liaison_answers_a_referral_from_its_notification(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    liaison = UserFactory(role=Role.LIAISON)
    authenticator(liaison)
    kent = Force.objects.get(slug="kent-police")
    ForceLiaison.objects.create(user=liaison, force=kent)
    referral = casework.case_refer(
        case=ReportFactory().case,
        officer=officer,
        force=kent,
        offences=Offence.objects.all()[:1],
        summary="Threat to attack a mosque.",
    )

    page = new_page(PHONE)
    sign_in(page, live_server.url, liaison.username)
    page.wait_for_url("**/liaison/")
    assert page.locator("#unread-count").inner_text() == "1"
    page.get_by_role("link", name="Notifications 1 unread").click()
    page.wait_for_url("**/notifications/")
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name=f"A new referral (number {referral.pk}) has been sent to Kent Police.").click()
    page.wait_for_url(f"**/liaison/referrals/{referral.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge receipt").click()
    assert page.get_by_text("Receipt acknowledged.").is_visible()
    page.get_by_text("Accept, with the crime reference").click()
    page.get_by_label("Crime reference number").fill("46/1234/26")
    page.get_by_role("button", name="Accept").click()
    assert page.locator("#crime-reference").is_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.ACCEPTED
    told = Notification.objects.filter(recipient=officer, kind=Kind.FORCE_ANSWERED).order_by("pk")
    assert [n.message for n in told] == [
        f"Kent Police acknowledged the referral (referral of case {referral.case_id}).",
        f"Kent Police accepted the referral as a crime (referral of case {referral.case_id}).",
    ]

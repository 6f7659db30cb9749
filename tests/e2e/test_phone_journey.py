"""Every role's pages on a 390 × 844 phone: nothing scrolls sideways, the queue is a list of cards whose claim
works, and each page passes axe."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import Case, Force, ForceLiaison, Offence

LONG_TEXT = (
    "We will burn down the mosque on Friday https://example.com/a/very/long/link/without/any/spaces/"
    "that/keeps/going/and/going/until/it/is/wider/than/any/phone/screen/could/ever/be"
)


def assert_no_sideways_scroll(page) -> None:
    """The page is no wider than the window, nor than the phone's screen: a mobile browser widens its layout
    viewport (and ``innerWidth`` with it) to fit a page that overflows, so ``innerWidth`` alone would pass."""
    page_width, window_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    screen_width = PHONE["viewport"]["width"]
    message = f"{page.url} is {page_width} px wide on a {screen_width} px phone"
    assert page_width <= window_width <= screen_width, message


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_works_the_queue_and_a_case_on_a_phone(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    report = ReportFactory(captured_text=LONG_TEXT, threat_of_violence=True)
    ReportFactory(case=report.case)
    for _ in range(3):
        ReportFactory()
    case = report.case

    page = new_page(PHONE)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    assert_no_sideways_scroll(page)
    # Cards, not the table: the table is not shown, so a screen reader meets each case once.
    assert not page.locator("#queue").is_visible()
    cards = page.locator("#queue-cards > li")
    assert cards.count() == Case.objects.count()
    card = cards.filter(has=page.get_by_role("link", name=f"Case {case.pk}", exact=True))
    assert card.is_visible()
    text = card.inner_text()
    for expected in ("threat of violence", "2 reporters", report.get_platform_display(), "ago"):
        assert expected in text, f"{expected!r} missing from the card:\n{text}"
    assert card.get_by_label(f"Select case {case.pk}").is_visible()
    assert_accessible(page)

    card.get_by_role("button", name=f"Claim case {case.pk}").click()
    page.wait_for_url("**/triage/**")
    card = page.locator("#queue-cards > li").filter(has=page.get_by_role("link", name=f"Case {case.pk}", exact=True))
    assert "Held by you" in card.inner_text()
    assert Case.objects.get(pk=case.pk).claimed_by == officer
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    card.get_by_role("link", name=f"Case {case.pk}", exact=True).click()
    page.wait_for_url(f"**/triage/cases/{case.pk}/")
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.goto(f"{live_server.url}/triage/stats/")
    assert_no_sideways_scroll(page)
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_liaison_reads_the_portal_and_a_referral_on_a_phone(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    liaison = UserFactory(role=Role.LIAISON)
    authenticator(liaison)
    kent = Force.objects.get(slug="kent-police")
    ForceLiaison.objects.create(user=liaison, force=kent)
    report = ReportFactory(captured_text=LONG_TEXT)
    referral = casework.case_refer(
        case=report.case, officer=officer, force=kent, offences=Offence.objects.all()[:2], summary=LONG_TEXT
    )

    page = new_page(PHONE)
    sign_in(page, live_server.url, liaison.username)
    page.wait_for_url("**/liaison/")
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name=f"Referral {referral.pk}").click()
    page.wait_for_url(f"**/liaison/referrals/{referral.pk}/")
    assert_no_sideways_scroll(page)
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_reads_changelists_on_a_phone(live_server, reference_data, new_page):
    admin_user = UserFactory(role=Role.ADMIN)
    authenticator(admin_user)
    for _ in range(3):
        ReportFactory(captured_text=LONG_TEXT)
    UserFactory(role=Role.VOLUNTEER)

    page = new_page(PHONE)
    sign_in(page, live_server.url, admin_user.username)
    page.wait_for_load_state()
    for path in ("/admin/reports/report/", "/admin/volunteers/volunteerprofile/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("#result_list").is_visible()
        assert_no_sideways_scroll(page)
        assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_volunteers_pages_fit_a_phone(live_server, reference_data, new_page):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    ReportFactory(reporter=volunteer, captured_text=LONG_TEXT)

    page = new_page(PHONE)
    sign_in(page, live_server.url, volunteer.username)
    page.wait_for_load_state()
    for path in ("/volunteers/", "/reports/new/", "/reports/mine/", "/reports/challenge/"):
        page.goto(f"{live_server.url}{path}")
        assert_no_sideways_scroll(page)
        assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_finds_an_overdue_referral_on_a_phone(live_server, reference_data, new_page):
    from datetime import timedelta

    from django.utils import timezone

    from triage.models import Referral

    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    late = casework.case_refer(
        case=ReportFactory(captured_text=LONG_TEXT).case,
        officer=officer,
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Threat to burn a mosque.",
    )
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - timedelta(days=5))
    casework.case_refer(
        case=ReportFactory().case,
        officer=officer,
        force=Force.objects.get(slug="essex-police"),
        offences=Offence.objects.all()[:1],
        summary="Abuse of a family.",
    )

    page = new_page(PHONE)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("link", name="Referrals").click()
    page.wait_for_url("**/triage/referrals/")
    assert page.locator("#referrals > li").count() == 2
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_label("Only those overdue (not acknowledged in time)").check()
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**/triage/referrals/?*")
    listed = page.locator("#referrals > li")
    assert listed.count() == 1 and "overdue: not acknowledged" in listed.inner_text()
    assert "To Kent Police" in listed.inner_text()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    listed.get_by_role("link", name=f"Referral {late.pk}").click()
    page.wait_for_url(f"**/triage/referrals/{late.pk}/")
    assert_no_sideways_scroll(page)

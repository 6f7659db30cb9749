"""Partners: an admin issues a token, the partner's system uses it, the partner reads their page on a phone,
and an admin revokes the token. Each page passes axe."""

import pytest
import requests

from hubsite.models import AuditEvent, PartnerToken
from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_phone_journey import assert_no_sideways_scroll
from tests.e2e.test_report_journey import sign_in
from tests.factories import PartnerOrganisationFactory, ReportFactory, UserFactory
from triage import casework

LONG_LINK = "https://www.facebook.com/groups/" + "averylonggroupnamewithoutanyspaces" * 3 + "/posts/1234567890"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_issues_a_token_that_works_until_revoked(live_server, reference_data, new_page):
    admin_user = UserFactory(role=Role.ADMIN)
    authenticator(admin_user)
    partner = UserFactory(
        role=Role.PARTNER,
        username="tell-them-intake",
        partner_organisation=PartnerOrganisationFactory(name="Tell Them"),
    )
    api_url = f"{live_server.url}/api/v1/reports/"

    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, admin_user.username)
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/admin/hubsite/partnertoken/add/")
    assert_accessible(desk)
    # A missing name is said beside the field, and the choice of account is kept.
    desk.get_by_label("Partner account").select_option(label="tell-them-intake (Tell Them)")
    desk.get_by_role("button", name="Issue the token").click()
    desk.get_by_text("This field is required.").wait_for()
    assert_accessible(desk)
    desk.get_by_label("Name").fill("Case system")
    desk.get_by_role("button", name="Issue the token").click()
    desk.get_by_text("Copy it now: it is shown this once.").wait_for()
    assert_accessible(desk)
    secret = desk.get_by_label("Token").input_value()
    assert secret.startswith("hub_")
    token = PartnerToken.objects.get()
    assert token.user == partner and token.created_by == admin_user
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PARTNER_TOKEN_ISSUED, actor=admin_user).count() == 1

    # The partner's system uses it.
    headers = {"Authorization": f"Token {secret}"}
    assert requests.get(api_url, headers=headers, timeout=10).status_code == 200

    # Never shown again: the list names the token by its start and shows its last use.
    desk.get_by_role("link", name="Back to the partner tokens").click()
    desk.wait_for_url("**/admin/hubsite/partnertoken/")
    listed = desk.locator("#result_list").inner_text()
    assert "Case system" in listed and token.prefix in listed and "Tell Them" in listed and secret not in listed
    assert_accessible(desk)

    desk.get_by_role("checkbox", name="Select this object for an action - Case system").check()
    desk.get_by_role("combobox", name="Action").select_option("revoke")
    desk.get_by_role("button", name="Go").click()
    desk.get_by_text("Revoked 1 token: they no longer work.").wait_for()
    assert_accessible(desk)
    refused = requests.get(api_url, headers=headers, timeout=10)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_partner_reads_their_organisations_reports_on_a_phone(live_server, reference_data, new_page):
    organisation = PartnerOrganisationFactory(name="Tell Them")
    partner = UserFactory(role=Role.PARTNER, partner_organisation=organisation)
    colleague = UserFactory(role=Role.PARTNER, partner_organisation=organisation)
    waiting = ReportFactory(reporter=partner, post_url=LONG_LINK, normalised_url=LONG_LINK)
    dismissed = ReportFactory(reporter=colleague)
    casework.case_dismiss(
        case=dismissed.case,
        officer=UserFactory(role=Role.OFFICER),
        reason="Satire.",
        note_for_volunteers="This post is satire and not hateful.",
    )

    phone = new_page(PHONE)
    sign_in(phone, live_server.url, partner.username)
    phone.wait_for_url("**/partners/")
    reports = phone.locator("#partner-reports")
    assert reports.locator(f"#report-{waiting.pk}").get_by_text("Received").is_visible()
    assert reports.locator(f"#report-{dismissed.pk}").get_by_text("Decided").is_visible()
    assert phone.get_by_text("This post is satire and not hateful.").is_visible()
    assert phone.get_by_role("link", name="Read the API documentation").count() == 1
    assert_no_sideways_scroll(phone)
    assert_accessible(phone)

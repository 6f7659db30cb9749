"""The partner's page: what their organisation sent and what became of it, and their tokens."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubsite.models import PartnerToken
from hubsite.partner_tokens import partner_token_revoke
from hubsite.roles import Role
from reports.models import Report
from tests.auth import sign_in_verified
from tests.factories import PartnerOrganisationFactory, ReportFactory, UserFactory, partner_token
from triage import casework

pytestmark = pytest.mark.django_db
URL = "/partners/"


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER, partner_organisation=PartnerOrganisationFactory(name="Tell Them"))


def test_the_url_is_the_documented_one():
    assert reverse("partners:home") == URL


def test_a_partner_signing_in_lands_on_their_page(client, partner):
    client.force_login(partner)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL).content.decode()
    assert 'href="/partners/"' in page and 'href="/api/docs/"' in page, "in the menu"


def test_the_page_lists_the_organisations_reports_with_status_and_outcome(client, partner):
    colleague = UserFactory(role=Role.PARTNER, partner_organisation=partner.partner_organisation)
    waiting = ReportFactory(reporter=partner)
    dismissed = ReportFactory(reporter=colleague)
    casework.case_dismiss(
        case=dismissed.case,
        officer=UserFactory(role=Role.OFFICER),
        reason="OFFICER-ONLY reason",
        note_for_volunteers="Not hateful: a quotation in a news report.",
    )
    elsewhere = ReportFactory(reporter=UserFactory(role=Role.PARTNER))
    client.force_login(partner)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="report-{waiting.pk}"' in page and f'id="report-{dismissed.pk}"' in page
    assert f'id="report-{elsewhere.pk}"' not in page
    assert "Received" in page and "Decided" in page and "Dismissed" in page
    assert "Not hateful: a quotation in a news report." in page and "OFFICER-ONLY" not in page
    assert "Everything Tell Them sent" in page


def test_the_page_lists_tokens_by_name_and_use_never_the_token(client, partner):
    secret = partner_token(partner, name="Case system")
    partner_token(partner, name="Old bot")
    partner_token_revoke(token=PartnerToken.objects.get(name="Old bot"), by=None)
    PartnerToken.objects.filter(name="Case system").update(last_used_at="2026-11-30T09:15:00Z")
    partner_token(UserFactory(role=Role.PARTNER), name="Someone else's")
    client.force_login(partner)
    page = client.get(URL).content.decode()
    assert "Case system" in page and "last used 30 Nov 2026" in page
    assert "Old bot" in page and "revoked" in page
    assert "Someone else" not in page
    assert secret not in page and secret[12:20] not in page


def test_the_pages_queries_do_not_grow_with_the_reports(client, partner):
    client.force_login(partner)
    ReportFactory(reporter=partner)
    client.get(URL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(10):
        ReportFactory(reporter=partner)
    Report.objects.filter(reporter=partner).update(score_status=Report.ScoreStatus.SCORED)
    assert queries() == few


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.ADMIN])
def test_other_roles_are_refused(client, role):
    sign_in_verified(client, UserFactory(role=role))
    assert client.get(URL).status_code == 403


def test_anyone_signed_out_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor:login"))

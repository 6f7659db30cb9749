"""Officers and forces see a partner's report under the organisation's name, not as a volunteer's pseudonym."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import PartnerOrganisationFactory, ReportFactory, UserFactory
from triage import casework
from triage.models import Force, Offence

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_case():
    """A post reported by a partner of "Tell Them" and by a volunteer."""
    partner = UserFactory(role=Role.PARTNER, partner_organisation=PartnerOrganisationFactory(name="Tell Them"))
    from_partner = ReportFactory(reporter=partner)
    from_volunteer = ReportFactory(case=from_partner.case)
    return from_partner.case, partner, from_volunteer.reporter


def test_the_case_page_names_the_organisation(client, sign_in, mixed_case):
    sign_in(Role.OFFICER)
    case, partner, volunteer = mixed_case
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    assert "Partner: Tell Them" in page
    assert volunteer.volunteer.pseudonym in page
    assert partner.username not in page
    assert "2 reporters" in page


def test_the_api_case_detail_and_timeline_name_the_organisation(client, sign_in, mixed_case):
    sign_in(Role.OFFICER)
    case, partner, volunteer = mixed_case
    body = client.get(reverse("api:case", args=[case.pk])).json()
    assert [report["reported_by"] for report in body["reports"]] == [
        "Partner: Tell Them",
        volunteer.volunteer.pseudonym,
    ]
    assert partner.username not in str(body)


def test_a_force_sees_the_organisation_in_the_referral_package(client, sign_in, mixed_case):
    officer = sign_in(Role.OFFICER)
    case, partner, _ = mixed_case
    referral = casework.case_refer(
        case=case,
        officer=officer,
        force=Force.objects.get(slug="west-yorkshire-police"),
        offences=Offence.objects.all()[:1],
        summary="Threats.",
    )
    package = client.get(reverse("triage:referral-json", args=[referral.pk])).json()
    assert "Partner: Tell Them" in [report["reported_by"] for report in package["evidence"]]
    assert partner.username not in str(package)


def test_the_case_page_reads_no_more_for_more_partner_reports(client, sign_in, mixed_case):
    sign_in(Role.OFFICER)
    case, _, _ = mixed_case
    url = reverse("triage:case", args=[case.pk])
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for number in range(3):
        organisation = PartnerOrganisationFactory(name=f"Group {number}")
        ReportFactory(case=case, reporter=UserFactory(role=Role.PARTNER, partner_organisation=organisation))
    assert queries() == before


def test_a_volunteer_given_an_organisation_by_mistake_keeps_their_pseudonym():
    from volunteers.pseudonyms import pseudonym

    volunteer = UserFactory(role=Role.VOLUNTEER, partner_organisation=PartnerOrganisationFactory(name="Tell Them"))
    assert pseudonym(volunteer) == volunteer.volunteer.pseudonym


def test_the_queue_names_the_organisations_among_a_cases_reporters(client, sign_in, mixed_case):
    sign_in(Role.OFFICER)
    case, partner, volunteer = mixed_case
    plain = ReportFactory().case
    response = client.get(reverse("triage:queue"))
    page = response.content.decode()
    # Once in the table and once on the phone's card.
    assert page.count("Partner: Tell Them") == 2
    assert partner.username not in page and volunteer.volunteer.pseudonym not in page
    rows = {listed.pk: listed for listed in response.context["cases"]}
    assert [report.partner_name for report in rows[plain.pk].reports.all()] == [None]


def test_a_volunteer_given_an_organisation_by_mistake_is_no_partner_in_the_queue(client, sign_in):
    sign_in(Role.OFFICER)
    volunteer = UserFactory(role=Role.VOLUNTEER, partner_organisation=PartnerOrganisationFactory(name="Tell Them"))
    report = ReportFactory(reporter=volunteer)
    response = client.get(reverse("triage:queue"))
    assert "Tell Them" not in response.content.decode()
    rows = {listed.pk: listed for listed in response.context["cases"]}
    assert [listed.partner_name for listed in rows[report.case_id].reports.all()] == [None]


def test_a_report_keeps_the_organisation_it_was_sent_for_when_its_sender_moves(client, sign_in, mixed_case):
    sign_in(Role.OFFICER)
    case, partner, _ = mixed_case
    partner.partner_organisation = PartnerOrganisationFactory(name="Elsewhere")
    partner.save(update_fields=["partner_organisation"])
    queue = client.get(reverse("triage:queue")).content.decode()
    assert "Partner: Tell Them" in queue and "Elsewhere" not in queue
    # The report's own line; the timeline names whoever acted by their account as it is now.
    assert "Partner: Tell Them, captured" in client.get(reverse("triage:case", args=[case.pk])).content.decode()
    body = client.get(reverse("api:case", args=[case.pk])).json()
    assert "Partner: Tell Them" in [report["reported_by"] for report in body["reports"]]

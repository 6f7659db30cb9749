"""A partner reads what their organisation sent, and what became of it: GET /api/v1/reports/ and /{id}/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hubsite.roles import Role
from reports.models import Report
from tests.auth import sign_in_verified
from tests.factories import PartnerOrganisationFactory, ReportFactory, UserFactory, partner_token, token_held_by
from triage import casework
from triage.models import Force, Offence, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return PartnerOrganisationFactory(name="Tell Them")


@pytest.fixture
def partner(organisation):
    return UserFactory(role=Role.PARTNER, partner_organisation=organisation)


@pytest.fixture
def partner_api(partner):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {partner_token(partner)}")
    return client


def listed(client, **params) -> list[dict]:
    response = client.get(reverse("api:reports"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_list_is_everything_the_organisation_sent_and_nothing_else(partner_api, partner, organisation):
    colleague = UserFactory(role=Role.PARTNER, partner_organisation=organisation)
    ours = [ReportFactory(reporter=partner), ReportFactory(reporter=colleague)]
    other_partner = ReportFactory(reporter=UserFactory(role=Role.PARTNER))
    volunteers = ReportFactory()
    # A volunteer reported the same post as us: their report is theirs, not ours.
    ReportFactory(case=ours[0].case)

    results = listed(partner_api)
    assert [row["id"] for row in results] == [ours[1].pk, ours[0].pk], "newest first, the organisation's only"
    assert {row["sent_by"] for row in results} == {partner.username, colleague.username}
    for foreign in (other_partner, volunteers):
        assert partner_api.get(reverse("api:report", args=[foreign.pk])).status_code == 404
    detail = partner_api.get(reverse("api:report", args=[ours[1].pk]))
    assert detail.status_code == 200 and detail.json()["id"] == ours[1].pk
    assert detail.json()["url"].endswith(reverse("api:report", args=[ours[1].pk]))


def test_each_report_says_where_it_is_and_what_became_of_it(partner_api, partner):
    officer, liaison = UserFactory(role=Role.OFFICER), UserFactory(role=Role.LIAISON)
    received = ReportFactory(reporter=partner)
    assessed = ReportFactory(reporter=partner)
    Report.objects.filter(pk=assessed.pk).update(score_status=Report.ScoreStatus.SCORED)
    dismissed = ReportFactory(reporter=partner)
    casework.case_dismiss(
        case=dismissed.case,
        officer=officer,
        reason="OFFICER-ONLY: looks like satire from a known account",
        note_for_volunteers="This post is satire and not hateful.",
    )
    referred = ReportFactory(reporter=partner)
    referral = casework.case_refer(
        case=referred.case,
        officer=officer,
        force=Force.objects.get(slug="west-yorkshire-police"),
        offences=Offence.objects.all()[:1],
        summary="FORCE-ONLY summary with the poster's details",
        note_for_volunteers="Sent to the police.",
    )
    casework.case_add_note(case=referred.case, officer=officer, note="OFFICER-ONLY note on the case")
    casework.referral_acknowledge(referral=referral, liaison=liaison)
    casework.referral_accept(referral=referral, liaison=liaison, crime_reference="13/123456/26")
    casework.referral_record_outcome(
        referral=referral, liaison=liaison, outcome_group=Referral.OutcomeGroup.CHARGED, outcome="FORCE-ONLY details"
    )

    rows = {row["id"]: row for row in listed(partner_api)}
    assert rows[received.pk]["status"] == "received" and rows[received.pk]["status_label"] == "Received"
    assert rows[received.pk]["outcome"] == {"decision": "", "reason": "", "police_outcome": ""}
    assert rows[assessed.pk]["status"] == "being_assessed"
    assert rows[dismissed.pk]["status"] == "decided"
    assert rows[dismissed.pk]["outcome"] == {
        "decision": "Dismissed",
        "reason": "This post is satire and not hateful.",
        "police_outcome": "",
    }
    assert rows[referred.pk]["status"] == "referred"
    assert rows[referred.pk]["outcome"] == {
        "decision": "Referred to a police force",
        "reason": "Sent to the police.",
        "police_outcome": "Police charged or summonsed someone.",
    }
    body = partner_api.get(reverse("api:reports")).content.decode()
    for private in ("OFFICER-ONLY", "FORCE-ONLY", "13/123456/26", officer.username, liaison.username, "score"):
        assert private not in body, private


def test_a_partner_without_an_organisation_sees_only_their_own():
    alone = UserFactory(role=Role.PARTNER, partner_organisation=None)
    mine = ReportFactory(reporter=alone)
    ReportFactory(reporter=UserFactory(role=Role.PARTNER, partner_organisation=None))
    client = APIClient()
    client.force_authenticate(alone)
    assert [row["id"] for row in listed(client)] == [mine.pk]


def test_a_partner_signed_in_on_the_web_reads_the_api_too(client, partner):
    ReportFactory(reporter=partner)
    client.force_login(partner)
    response = client.get(reverse("api:reports"))
    assert response.status_code == 200 and response.json()["count"] == 1


def test_the_list_is_paginated_and_its_queries_do_not_grow_with_it(partner_api, partner):
    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            listed(partner_api)
        return len(queries)

    ReportFactory(reporter=partner)
    listed(partner_api)  # the token's first use is written once; later requests within the minute are reads
    few = queries_for_a_page()
    for _ in range(12):
        ReportFactory(reporter=partner)
    assert queries_for_a_page() == few <= 5  # the token, the permissions (2), the count, the page
    for _ in range(50):
        ReportFactory(reporter=partner)
    page = partner_api.get(reverse("api:reports")).json()
    assert page["count"] == 63 and len(page["results"]) == 50 and page["next"]


def test_reading_is_limited_apart_from_sending(partner_api, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"partner-intake": "5/minute", "partner-read": "2/minute"}
    )
    reads = [partner_api.get(reverse("api:reports")).status_code for _ in range(3)]
    assert reads == [200, 200, 429]
    sent = partner_api.post(
        reverse("api:reports"),
        {
            "post_url": "https://x.com/a/status/7",
            "captured_text": "They should all be driven out.",
            "categories": ["race"],
        },
        format="json",
    )
    assert sent.status_code == 201, "sending has its own allowance"


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.ADMIN])
def test_other_roles_are_refused_by_session(client, role, partner):
    report = ReportFactory(reporter=partner)
    sign_in_verified(client, UserFactory(role=role))
    for url in (reverse("api:reports"), reverse("api:report", args=[report.pk])):
        response = client.get(url)
        assert response.status_code == 403, (role, url)
        assert "partner account" in response.json()["detail"]


def test_a_volunteers_token_and_no_token_are_refused(partner):
    report = ReportFactory(reporter=partner)
    volunteer = APIClient()
    volunteer.credentials(HTTP_AUTHORIZATION=f"Token {token_held_by(UserFactory(role=Role.VOLUNTEER))}")
    anonymous = APIClient()
    for url in (reverse("api:reports"), reverse("api:report", args=[report.pk])):
        assert volunteer.get(url).status_code == 403
        assert anonymous.get(url).status_code == 401


def test_a_report_is_sent_for_the_organisation_the_partner_had_when_it_arrived(partner_api, partner, organisation):
    sent = partner_api.post(
        reverse("api:reports"),
        {"post_url": "https://x.com/a/status/8", "captured_text": "Out with them all.", "categories": ["race"]},
        format="json",
    )
    assert sent.status_code == 201, sent.content
    assert Report.objects.get(pk=sent.json()["id"]).partner_organisation == organisation


def test_an_account_moved_to_another_organisation_leaves_its_reports_behind(partner, organisation):
    stays = UserFactory(role=Role.PARTNER, partner_organisation=organisation)
    elsewhere = PartnerOrganisationFactory(name="Elsewhere")
    joined = UserFactory(role=Role.PARTNER, partner_organisation=elsewhere)
    sent_for_us = ReportFactory(reporter=partner)
    partner.partner_organisation = elsewhere
    partner.save(update_fields=["partner_organisation"])

    def seen_by(user) -> list[int]:
        client = APIClient()
        client.force_authenticate(user)
        return [row["id"] for row in listed(client)]

    assert seen_by(stays) == [sent_for_us.pk], "the organisation keeps what it sent"
    assert seen_by(joined) == [], "the new organisation gains nothing"
    assert seen_by(partner) == []


def test_a_volunteer_given_an_organisation_by_mistake_shows_it_none_of_their_reports(partner_api, organisation):
    volunteer = UserFactory(role=Role.VOLUNTEER, partner_organisation=organisation)
    theirs = ReportFactory(reporter=volunteer)
    assert listed(partner_api) == []
    assert partner_api.get(reverse("api:report", args=[theirs.pk])).status_code == 404


def test_reports_sent_without_an_organisation_stay_their_senders_once_one_is_set(organisation):
    alone = UserFactory(role=Role.PARTNER, partner_organisation=None)
    before = ReportFactory(reporter=alone)
    alone.partner_organisation = organisation
    alone.save(update_fields=["partner_organisation"])
    colleague = UserFactory(role=Role.PARTNER, partner_organisation=organisation)
    client = APIClient()
    client.force_authenticate(alone)
    assert [row["id"] for row in listed(client)] == [before.pk]
    client.force_authenticate(colleague)
    assert listed(client) == []


def test_the_limit_counts_the_account_whatever_token_it_uses(partner, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"partner-intake": "5/minute", "partner-read": "2/minute"}
    )
    clients = []
    for name in ("Case system", "Spreadsheet"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {partner_token(partner, name=name)}")
        clients.append(client)
    reads = [client.get(reverse("api:reports")).status_code for client in (*clients, clients[1])]
    assert reads == [200, 200, 429], "two tokens of one account share its allowance"
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {partner_token()}")
    assert other.get(reverse("api:reports")).status_code == 200, "another account has its own"


def test_reports_sent_before_the_organisation_was_stored_are_given_the_senders_today(partner, organisation):
    """The upgrade's backfill (reports/migrations/0007): a partner's reports take its organisation; a
    volunteer's stay without one even when an admin gave the volunteer an organisation by mistake."""
    from importlib import import_module

    from django.apps import apps

    from_partner = ReportFactory(reporter=partner)
    volunteer = UserFactory(role=Role.VOLUNTEER, partner_organisation=organisation)
    volunteer.groups.add(*partner.groups.all())  # with the partner role too: the profile still wins
    from_volunteer = ReportFactory(reporter=volunteer)
    from_officer = ReportFactory(reporter=UserFactory(role=Role.OFFICER, partner_organisation=organisation))
    Report.objects.update(partner_organisation=None)

    import_module("reports.migrations.0007_report_partner_organisation").sent_for(apps, None)
    stored = dict(Report.objects.values_list("pk", "partner_organisation"))
    assert stored == {from_partner.pk: organisation.pk, from_volunteer.pk: None, from_officer.pk: None}

"""One table of operations (triage/operations.py): the pages and the API offer the same ones, under one name each,
with the same rules; the API has one endpoint per operation, and the old multiplexed ones are deprecated aliases."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import ReportFactory
from triage.models import Case, Referral
from triage.operations import CASE_OPERATIONS, REFERRAL_OPERATIONS

pytestmark = pytest.mark.django_db


def test_every_operation_has_one_name_on_the_page_and_in_the_api():
    for name, operation in CASE_OPERATIONS.items():
        assert reverse("triage:case-action", args=[1, name]) == f"/triage/cases/1/{name}/"
        assert reverse(f"api:case-{name}", args=[1]) == f"/api/v1/cases/1/{name}/"
        assert operation.on == "case" and operation.form is not None
    for name, operation in REFERRAL_OPERATIONS.items():
        assert reverse("liaison:referral-action", args=[1, name]) == f"/liaison/referrals/1/{name}/"
        assert reverse(f"api:referral-{name}", args=[1]) == f"/api/v1/referrals/1/{name}/"
        assert operation.on == "referral"
    assert not {name for name in [*CASE_OPERATIONS, *REFERRAL_OPERATIONS] if "_" in name}, "one spelling: hyphens"


def test_the_schema_states_what_each_operation_needs(api, api_officer):
    schema = api.get(reverse("schema"), {"format": "json"}).json()
    paths = schema["paths"]

    def needs(path: str) -> set[str]:
        reference = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return set(schema["components"]["schemas"][reference.rsplit("/", 1)[1]].get("properties", {}))

    assert needs("/api/v1/cases/{id}/refer/") == {"force", "offences", "summary", "note_for_volunteers", "categories"}
    assert needs("/api/v1/cases/{id}/dismiss/") == {"reason", "note_for_volunteers"}
    assert needs("/api/v1/referrals/{id}/outcome/") == {"outcome_group", "outcome"}
    assert paths["/api/v1/cases/{id}/decisions/"]["post"]["deprecated"] is True
    assert paths["/api/v1/referrals/{id}/answer/"]["post"]["deprecated"] is True
    assert not paths["/api/v1/cases/{id}/refer/"]["post"].get("deprecated")


def test_an_operation_s_endpoint_refuses_as_the_page_does_and_changes_nothing(api, api_officer, client, sign_in):
    case = ReportFactory().case
    refused = api.post(reverse("api:case-refer", args=[case.pk]), {"summary": "Threats"}, format="json")
    assert refused.status_code == 400 and refused.json() == {"detail": "Choose the force."}
    dismissed = api.post(reverse("api:case-dismiss", args=[case.pk]), {}, format="json")
    assert dismissed.status_code == 400
    sign_in(Role.OFFICER)
    shown = client.post(reverse("triage:case-action", args=[case.pk, "dismiss"]), {"dismiss-reason": ""})
    assert shown.status_code == 200 and "This field is required." in shown.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW
    assert not Referral.objects.filter(case=case).exists()


def test_an_operation_s_endpoint_carries_it_out_with_the_page_s_service(api, api_officer):
    case = ReportFactory().case
    referred = api.post(
        reverse("api:case-refer", args=[case.pk]),
        {"force": "kent-police", "offences": ["mca-s1"], "summary": "Threats", "categories": ["race"]},
        format="json",
    )
    assert referred.status_code == 200 and referred.json()["status"] == "referred"
    assert "Deprecation" not in referred
    referral = Referral.objects.get(case=case)
    assert referral.force.slug == "kent-police"
    assert list(Case.objects.get(pk=case.pk).categories.values_list("slug", flat=True)) == ["race"]


def test_a_liaison_answers_through_each_answer_s_own_endpoint(api, kent_referral, liaison_of):
    api.force_authenticate(liaison_of("kent-police"))
    acknowledged = api.post(reverse("api:referral-acknowledge", args=[kent_referral.pk]), format="json")
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"
    bad = api.post(reverse("api:referral-accept", args=[kent_referral.pk]), {"crime_reference": "no!"}, format="json")
    assert bad.status_code == 400 and "crime_reference" in bad.json()
    accepted = api.post(
        reverse("api:referral-accept", args=[kent_referral.pk]), {"crime_reference": "KE/9/26"}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_the_old_endpoints_still_answer_and_say_they_are_deprecated(api, api_officer, kent_referral, liaison_of):
    case = ReportFactory().case
    old = api.post(
        reverse("api:case-decisions", args=[case.pk]),
        {"decision": "no_action", "reason": "Not for the Hub."},
        format="json",
    )
    assert old.status_code == 200 and old.json()["status"] == Case.Status.NO_ACTION
    assert old["Deprecation"].startswith("@") and int(old["Deprecation"][1:]) > 0
    assert old["Link"] == f'<{reverse("api:case-no-action", args=[case.pk])}>; rel="successor-version"'

    api.force_authenticate(liaison_of("kent-police"))
    answered = api.post(reverse("api:referral-answer", args=[kent_referral.pk]), {"step": "acknowledge"}, format="json")
    assert answered.status_code == 200 and "Deprecation" in answered
    assert (
        answered["Link"] == f'<{reverse("api:referral-acknowledge", args=[kent_referral.pk])}>; rel="successor-version"'
    )


def test_the_old_endpoints_refusals_say_they_are_deprecated_too_and_their_schema_keeps_its_fields(api, api_officer):
    case = ReportFactory().case
    no_choice = api.post(reverse("api:case-decisions", args=[case.pk]), {}, format="json")
    assert no_choice.status_code == 400 and "decision" in no_choice.json() and "Deprecation" in no_choice
    too_long = api.post(
        reverse("api:case-decisions", args=[case.pk]), {"decision": "note", "note": "n" * 4001}, format="json"
    )
    assert too_long.status_code == 400 and "note" in too_long.json() and "Deprecation" in too_long
    assert too_long["Link"] == f'<{reverse("api:case-note", args=[case.pk])}>; rel="successor-version"'

    schema = api.get(reverse("schema"), {"format": "json"}).json()["components"]["schemas"]
    assert {"decision", "reason", "note", "force", "offences", "summary", "outcome"} <= set(
        schema["CaseDecision"]["properties"]
    )
    assert {"step", "crime_reference", "reason", "outcome_group"} <= set(schema["ReferralAnswer"]["properties"])

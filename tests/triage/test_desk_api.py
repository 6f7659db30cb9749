"""The cases and referrals API: the same visibility and rules as the pages."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import Case, CaseEvent, Referral

pytestmark = pytest.mark.django_db


def test_cases_list_takes_the_queue_filters_and_refuses_bad_ones(api, api_officer):
    ReportFactory(platform="reddit", threat_of_violence=True)
    ReportFactory(platform="x")
    body = api.get(reverse("api:cases"), {"platform": "reddit"}).json()
    assert body["count"] == 1
    case = body["results"][0]
    assert case["severity"] == ["threat_of_violence"] and case["priority_reasons"][0] == "threat of violence"
    assert case["priority_level"] in {"low", "medium", "high", "urgent"}
    assert api.get(reverse("api:cases"), {"band": "enormous"}).status_code == 400


def test_the_case_list_runs_a_fixed_number_of_queries(api, api_officer, django_assert_max_num_queries):
    for _ in range(20):
        ReportFactory()
    with django_assert_max_num_queries(8) as few:
        api.get(reverse("api:cases"))
    for _ in range(20):
        ReportFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get(reverse("api:cases"))


def test_case_detail_names_volunteers_by_pseudonym(api, api_officer):
    report = ReportFactory()
    body = api.get(reverse("api:case", args=[report.case_id])).json()
    assert body["reports"][0]["reported_by"] == report.reporter.volunteer.pseudonym
    assert report.reporter.username not in str(body)
    assert body["timeline"][0]["kind"] == "reported"


def test_claiming_through_the_api_and_the_loser_gets_409_naming_the_holder(api, api_officer):
    case = ReportFactory().case
    other = UserFactory(role=Role.OFFICER)
    casework.case_claim(case=case, officer=other)
    response = api.post(reverse("api:case-claim", args=[case.pk]))
    assert response.status_code == 409 and response.json()["detail"] == f"{other.username} is working on this case."
    assert api.delete(reverse("api:case-claim", args=[case.pk])).status_code == 409


def test_decisions_through_the_api_follow_the_same_rules(api, api_officer):
    case = ReportFactory().case
    url = reverse("api:case-decisions", args=[case.pk])
    missing = api.post(url, {"decision": "dismiss"}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["detail"]
    assert api.post(url, {"decision": "refer", "summary": "x"}, format="json").json()["detail"] == "Choose the force."
    referred = api.post(
        url,
        {
            "decision": "refer",
            "force": "kent-police",
            "offences": ["mca-s1"],
            "summary": "Threats",
            "categories": ["race"],
        },
        format="json",
    )
    assert referred.status_code == 200 and referred.json()["status"] == "referred"
    assert Referral.objects.get(case=case).force.slug == "kent-police"
    assert list(Case.objects.get(pk=case.pk).categories.values_list("slug", flat=True)) == ["race"]


def test_a_note_for_volunteers_over_the_limit_is_refused_through_the_api(api, api_officer):
    case = ReportFactory().case
    url = reverse("api:case-decisions", args=[case.pk])
    longest = "n" * Case.NOTE_FOR_VOLUNTEERS_MAX_LENGTH
    decision = {"decision": "dismiss", "reason": "Not hateful in context."}

    too_long = api.post(url, {**decision, "note_for_volunteers": longest + "n"}, format="json")
    assert too_long.status_code == 400 and "note_for_volunteers" in too_long.json()
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW

    assert api.post(url, {**decision, "note_for_volunteers": longest}, format="json").status_code == 200
    assert Case.objects.get(pk=case.pk).note_for_volunteers == longest


def test_the_timeline_cannot_be_altered_through_the_api(api, api_officer):
    case = ReportFactory().case
    casework.case_add_note(case=case, officer=api_officer, note="original")
    before = list(CaseEvent.objects.filter(case=case).values_list("kind", "note"))
    for method in ("put", "patch", "delete"):
        assert (
            getattr(api, method)(reverse("api:case", args=[case.pk]), {"timeline": []}, format="json").status_code
            == 405
        )
    assert api.put(reverse("api:case-decisions", args=[case.pk]), {}, format="json").status_code == 405
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", "note")) == before


def test_a_liaison_asking_for_another_forces_referral_by_id_gets_404(api, kent_referral, liaison_of):
    api.force_authenticate(liaison_of("essex-police"))
    assert api.get(reverse("api:referrals")).json()["count"] == 0
    assert api.get(reverse("api:referral", args=[kent_referral.pk])).status_code == 404
    answer = api.post(reverse("api:referral-answer", args=[kent_referral.pk]), {"step": "acknowledge"}, format="json")
    assert answer.status_code == 404
    assert api.get(reverse("api:cases")).status_code == 403
    assert api.get(reverse("api:case", args=[kent_referral.case_id])).status_code == 403


def test_a_liaison_answers_for_their_force_through_the_api(api, kent_referral, liaison_of):
    api.force_authenticate(liaison_of("kent-police"))
    url = reverse("api:referral-answer", args=[kent_referral.pk])
    assert api.post(url, {"step": "accept"}, format="json").status_code == 400
    accepted = api.post(url, {"step": "accept", "crime_reference": "KE/9/26"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    package = api.get(reverse("api:referral", args=[kent_referral.pk])).json()
    assert package["referral"]["crime_reference"] == "KE/9/26"
    assert Case.objects.get(pk=kent_referral.case_id).status == Case.Status.REFERRED

"""A force's answer: the crime reference is checked, said back and correctable with a reason; the outcome is a
Home Office outcome group, counted in the statistics and told to every reporter in plain words."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import CaseEvent, Offence, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def kent_liaison(liaison_of):
    return liaison_of("kent-police")


@pytest.fixture
def accepted(kent_referral, kent_liaison):
    """Kent's referral, accepted with a reference."""
    return casework.referral_accept(referral=kent_referral, liaison=kent_liaison, crime_reference="46/1234/26")


def events(referral) -> list[str]:
    return list(CaseEvent.objects.filter(case=referral.case_id).values_list("note", flat=True))


# The rule ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["12/34567/26", "WM-2026-0042", "abcdef", "A" * 40, "  KE/4471/26  "])
def test_references_as_forces_write_them_are_accepted(typed):
    assert casework.crime_reference_clean(typed) == typed.strip()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("x", "That is 1 character long"),
        ("12/3", "That is 4 characters long"),
        ("A" * 41, "That is 41 characters long"),
        ("12 34567 26", "cannot contain spaces"),
        ("12/34567/26;", "cannot contain “;”"),
        ("١٢٣٤٥٦٧", "cannot contain"),  # digits, but not the ones forces' systems use
        ("", "Give the force's crime reference number"),
    ],
)
def test_anything_else_is_refused_with_the_reason(typed, said):
    with pytest.raises(casework.CaseWorkError, match=said) as refused:
        casework.crime_reference_clean(typed)
    assert "for example 12/34567/26" in str(refused.value) or not typed


# Accepting on the page and through the API ---------------------------------------------------------------------


def test_a_bad_reference_on_the_page_is_refused_beside_the_field_with_what_was_typed(
    client, kent_referral, kent_liaison
):
    sign_in_verified(client, kent_liaison)
    url = reverse("liaison:referral-action", args=[kent_referral.pk, "accept"])
    before = events(kent_referral)
    response = client.post(url, {"crime_reference": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "That is 1 character long" in page and 'value="x"' in page
    assert response.context["forms"]["accept"].errors["crime_reference"]
    assert Referral.objects.get(pk=kent_referral.pk).status == Referral.Status.SENT
    assert events(kent_referral) == before

    response = client.post(url, {"crime_reference": "12/34567/26"}, follow=True)
    page = response.content.decode()
    assert "Crime reference 12/34567/26 recorded — check it matches your force&#x27;s system" in page
    assert 'id="crime-reference"' in page and "Correct the crime reference" in page
    assert Referral.objects.get(pk=kent_referral.pk).crime_reference == "12/34567/26"


def test_the_api_refuses_a_bad_reference_by_the_same_rule(kent_referral, kent_liaison):
    api = APIClient()
    api.force_authenticate(kent_liaison)
    url = reverse("api:referral-answer", args=[kent_referral.pk])
    refused = api.post(url, {"step": "accept", "crime_reference": "x"}, format="json")
    assert refused.status_code == 400
    assert "That is 1 character long" in refused.json()["crime_reference"][0]
    assert api.post(url, {"step": "accept", "crime_reference": "12 34"}, format="json").status_code == 400
    assert Referral.objects.get(pk=kent_referral.pk).status == Referral.Status.SENT
    accepted = api.post(url, {"step": "accept", "crime_reference": "12/34567/26"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["crime_reference"] == "12/34567/26"


# Correcting it ----------------------------------------------------------------------------------------------


def test_the_liaison_corrects_the_reference_with_a_reason_on_the_timeline_and_in_the_audit_log(
    client, accepted, kent_liaison
):
    sign_in_verified(client, kent_liaison)
    url = reverse("liaison:referral-action", args=[accepted.pk, "correct-reference"])

    no_reason = client.post(url, {"correction-crime_reference": "46/1243/26", "correction-reason": ""})
    assert no_reason.status_code == 200 and 'value="46/1243/26"' in no_reason.content.decode()
    bad = client.post(url, {"correction-crime_reference": "x", "correction-reason": "Typo"})
    assert "That is 1 character long" in bad.content.decode()
    same = client.post(url, {"correction-crime_reference": "46/1234/26", "correction-reason": "Typo"})
    assert "already 46/1234/26" in same.content.decode()
    assert Referral.objects.get(pk=accepted.pk).crime_reference == "46/1234/26"

    done = client.post(
        url, {"correction-crime_reference": "46/1243/26", "correction-reason": "Two digits swapped"}, follow=True
    )
    assert "Crime reference corrected to 46/1243/26" in done.content.decode()
    assert Referral.objects.get(pk=accepted.pk).crime_reference == "46/1243/26"
    event = CaseEvent.objects.filter(case=accepted.case_id).last()
    assert (event.kind, event.actor) == (CaseEvent.Kind.REFERRAL_UPDATED, kent_liaison)
    assert "from 46/1234/26 to 46/1243/26: Two digits swapped" in event.note
    entry = AuditEvent.objects.filter(action=AuditEvent.Action.REFERRAL_STEP, actor=kent_liaison).first()
    assert entry.detail["old_crime_reference"] == "46/1234/26"
    assert entry.detail["new_crime_reference"] == "46/1243/26"
    assert entry.detail["event"] == event.pk


def test_the_correction_through_the_api(accepted, kent_liaison):
    api = APIClient()
    api.force_authenticate(kent_liaison)
    url = reverse("api:referral-answer", args=[accepted.pk])
    assert api.post(url, {"step": "correct_reference", "crime_reference": "46/1243/26"}).status_code == 400
    bad = api.post(url, {"step": "correct_reference", "crime_reference": "4", "reason": "Typo"})
    assert bad.status_code == 400 and "crime_reference" in bad.json()
    done = api.post(url, {"step": "correct_reference", "crime_reference": "46/1243/26", "reason": "Typo"})
    assert done.status_code == 200 and done.json()["crime_reference"] == "46/1243/26"


def test_only_the_forces_liaison_may_correct_and_only_once_there_is_a_reference(
    client, accepted, kent_referral, liaison_of, sign_in
):
    essex = liaison_of("essex-police")
    with pytest.raises(casework.CaseWorkError, match="Only a liaison of the force"):
        casework.referral_correct_crime_reference(
            referral=accepted, liaison=essex, crime_reference="46/9999/26", reason="Mine now"
        )
    form = {"correction-crime_reference": "46/9999/26", "correction-reason": "Mine now"}
    url = reverse("liaison:referral-action", args=[accepted.pk, "correct-reference"])
    sign_in_verified(client, essex)
    assert client.post(url, form).status_code == 404
    api = APIClient()
    api.force_authenticate(essex)
    answer = reverse("api:referral-answer", args=[accepted.pk])
    assert (
        api.post(answer, {"step": "correct_reference", "crime_reference": "46/9999/26", "reason": "x"}).status_code
        == 404
    )
    for role in (Role.OFFICER, Role.VOLUNTEER, Role.ADMIN):
        person = UserFactory(role=role)
        sign_in_verified(client, person)
        assert client.post(url, form).status_code == 403, role
        api.force_authenticate(person)
        refused = api.post(answer, {"step": "correct_reference", "crime_reference": "46/9999/26", "reason": "x"})
        assert refused.status_code == 403, role
    assert Referral.objects.get(pk=accepted.pk).crime_reference == "46/1234/26"

    sent = casework.case_refer(
        case=ReportFactory().case,
        officer=UserFactory(role=Role.OFFICER),
        force=accepted.force,
        offences=accepted.offences.all(),
        summary="Another",
    )
    with pytest.raises(casework.CaseWorkError, match="no crime reference yet"):
        casework.referral_correct_crime_reference(
            referral=sent, liaison=liaison_of("kent-police"), crime_reference="46/9999/26", reason="Early"
        )


# The outcome ------------------------------------------------------------------------------------------------


def test_the_outcome_is_an_outcome_group_and_ongoing_is_not_final(client, accepted, kent_liaison):
    sign_in_verified(client, kent_liaison)
    url = reverse("liaison:referral-action", args=[accepted.pk, "outcome"])
    missing = client.post(url, {"outcome": "Interviewed under caution on 3 May"})
    page = missing.content.decode()
    assert "Choose the outcome your force recorded." in page and "Interviewed under caution on 3 May" in page

    client.post(url, {"outcome_group": "ongoing", "outcome": "Suspect interviewed"})
    referral = Referral.objects.get(pk=accepted.pk)
    assert (referral.status, referral.outcome_group) == (Referral.Status.ACCEPTED, "ongoing")
    assert "investigation ongoing" in client.get(reverse("liaison:referral", args=[accepted.pk])).content.decode()

    client.post(url, {"outcome_group": "charged", "outcome": "Charged on 9 June"})
    referral = Referral.objects.get(pk=accepted.pk)
    assert (referral.status, referral.outcome_group, referral.outcome) == ("closed", "charged", "Charged on 9 June")
    assert events(accepted)[-1] == "Outcome from Kent Police: Charged or summonsed. Charged on 9 June"


def test_the_api_records_the_outcome_group(accepted, kent_liaison):
    api = APIClient()
    api.force_authenticate(kent_liaison)
    url = reverse("api:referral-answer", args=[accepted.pk])
    assert api.post(url, {"step": "outcome", "outcome": "Charged"}).status_code == 400
    assert api.post(url, {"step": "outcome", "outcome_group": "hanged"}).status_code == 400
    done = api.post(url, {"step": "outcome", "outcome_group": "caution", "outcome": "Adult caution"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["outcome_group"]) == ("closed", "caution")


def test_statistics_count_the_outcome_groups_on_the_page_and_in_the_csv(client, sign_in, kent_liaison):
    officer = sign_in(Role.OFFICER)
    force = kent_liaison.liaison.force
    for group in ("charged", "charged", "caution", "ongoing"):
        referral = casework.case_refer(
            case=ReportFactory().case, officer=officer, force=force, offences=Offence.objects.all()[:1], summary="s"
        )
        casework.referral_accept(referral=referral, liaison=kent_liaison, crime_reference="46/1234/26")
        casework.referral_record_outcome(referral=referral, liaison=kent_liaison, outcome_group=group)
    # Answered in words before the groups existed: counted apart.
    Referral.objects.filter(pk=referral.pk).update(outcome_group="", outcome="Words only", outcome_at=timezone.now())

    page = client.get(reverse("triage:stats")).content.decode()
    assert "What forces did with referrals (outcome groups)" in page
    exported = client.get(reverse("triage:stats-csv", args=["referral-outcomes"])).content.decode()
    lines = exported.splitlines()
    assert lines[0] == "outcome,referrals"
    assert "charged or summonsed,2" in lines and "caution,1" in lines and "investigation ongoing,0" in lines
    assert "recorded in words only (before the outcome groups),1" in lines
    assert len(lines) == 1 + len(Referral.OutcomeGroup) + 1


# What the reporters read -------------------------------------------------------------------------------------


def test_every_reporter_reads_the_final_outcome_in_plain_words(client, sign_in, accepted, kent_liaison):
    first = sign_in(Role.VOLUNTEER)
    first_report = ReportFactory(reporter=first, case=accepted.case)
    second_report = ReportFactory(case=accepted.case)
    elsewhere = ReportFactory(reporter=first)
    casework.referral_record_outcome(referral=accepted, liaison=kent_liaison, outcome_group="ongoing")
    page = client.get(reverse("reports:mine")).content.decode()
    assert "Police are still investigating. This is not the final outcome" in page

    casework.referral_record_outcome(
        referral=accepted, liaison=kent_liaison, outcome_group="charged", outcome="PC Jones charged Mr Smith"
    )
    for reporter, report in ((first, first_report), (second_report.reporter, second_report)):
        sign_in_verified(client, reporter)
        response = client.get(reverse("reports:mine"))
        page = response.content.decode()
        shown = {item.pk: item.police_outcome for item in response.context["reports"]}
        assert shown[report.pk] == "Police charged or summonsed someone."
        assert "What the police did:</strong> Police charged or summonsed someone." in page
        assert "still investigating" not in page
        for private in ("46/1234/26", "PC Jones", "Mr Smith", kent_liaison.username):
            assert private not in page, private
    sign_in_verified(client, first)
    assert {item.pk: item.police_outcome for item in client.get(reverse("reports:mine")).context["reports"]}[
        elsewhere.pk
    ] == ""


def test_an_outcome_given_in_words_before_the_groups_is_not_shown_to_volunteers(client, sign_in, accepted):
    volunteer = sign_in(Role.VOLUNTEER)
    ReportFactory(reporter=volunteer, case=accepted.case)
    Referral.objects.filter(pk=accepted.pk).update(
        status=Referral.Status.CLOSED, outcome="Charged - Mr Smith", outcome_at=timezone.now()
    )
    page = client.get(reverse("reports:mine")).content.decode()
    assert "What the police did" not in page and "Mr Smith" not in page
    assert Referral.objects.get(pk=accepted.pk).outcome == "Charged - Mr Smith"

"""Merging cases through the case page (with its confirmation step) and through the API."""

import pytest
from django.urls import reverse

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(sign_in):
    return sign_in(Role.OFFICER)


@pytest.fixture
def pair():
    """Two cases of one X status, opened under the old key (the handle spelt two ways)."""
    return [ReportFactory(post_url=f"https://x.com/{handle}/status/1790000000000000001").case
            for handle in ("HatefulHandle99", "hatefulhandle99")]  # fmt: skip


def merge_form(into, reason="Same status, handle spelt differently.", **extra):
    return {"merge-into": str(into), "merge-reason": reason, **extra}


def test_the_case_page_offers_the_merge_and_a_merged_case_links_to_the_survivor(client, officer, pair):
    merged, survivor = pair
    page = client.get(reverse("triage:case", args=[merged.pk])).content.decode()
    assert "Merge into another case" in page and reverse("triage:case-merge", args=[merged.pk]) in page

    decisions_url = reverse("triage:case-merge", args=[merged.pk])
    confirm = client.post(decisions_url, merge_form(survivor.pk))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert f"Merge case {merged.pk} into case {survivor.pk}?" in text
    assert "https://x.com/HatefulHandle99/status/1790000000000000001" in text
    assert "https://x.com/hatefulhandle99/status/1790000000000000001" in text
    assert Case.objects.get(pk=merged.pk).status == Case.Status.NEW, "nothing happens before the confirmation"

    done = client.post(decisions_url, merge_form(survivor.pk, step="merge"))
    assert done.status_code == 302 and done["Location"] == reverse("triage:case", args=[survivor.pk])
    assert Case.objects.get(pk=merged.pk).merged_into_id == survivor.pk
    assert Case.objects.get(pk=survivor.pk).reporter_count == 2

    closed_page = client.get(reverse("triage:case", args=[merged.pk])).content.decode()
    link = f'class="alert-link" href="{reverse("triage:case", args=[survivor.pk])}">case {survivor.pk}</a>'
    assert f"This case was merged into <a {link}" in closed_page
    survivor_page = client.get(reverse("triage:case", args=[survivor.pk])).content.decode()
    assert f'<a href="{reverse("triage:case", args=[merged.pk])}">case {merged.pk}</a>' in survivor_page
    assert "Merge into another case" not in closed_page, "a merged case cannot be merged again"


@pytest.mark.parametrize(
    ("into", "message"),
    [
        ("", "Give the number of the case to merge this one into."),
        ("twelve", "Give the case number in digits, for example 1234."),
        ("999999", "There is no case 999999."),
        ("99999999999999999999999", "There is no case with that number."),
        ("self", "A case cannot be merged into itself"),
        ("closed", "a case can only be merged into an open case"),
    ],
)
def test_a_mistake_or_refusal_comes_back_on_the_case_page_with_what_was_typed(client, officer, pair, into, message):
    merged, survivor = pair
    if into == "self":
        into = str(merged.pk)
    elif into == "closed":
        casework.case_dismiss(case=survivor, officer=officer, reason="Spam")
        into = str(survivor.pk)
    events = list(CaseEvent.objects.values_list("pk", flat=True))
    for step in ("", "merge"):
        response = client.post(
            reverse("triage:case-merge", args=[merged.pk]), merge_form(into, "My reason, kept.", step=step)
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page
        assert "My reason, kept." in page and f'value="{into}"' in page
        assert response.context["forms"]["merge"].is_bound
    assert Case.objects.get(pk=merged.pk).status == Case.Status.NEW
    assert list(CaseEvent.objects.values_list("pk", flat=True)) == events


def test_a_case_closed_meanwhile_is_refused_on_its_page_with_the_reason(client, officer, pair):
    merged, survivor = pair
    casework.case_dismiss(case=merged, officer=UserFactory(role=Role.OFFICER), reason="Spam")
    response = client.post(reverse("triage:case-merge", args=[merged.pk]), merge_form(survivor.pk, step="merge"))
    assert response.status_code == 200
    assert "only an open case can be merged" in response.content.decode()
    assert Case.objects.get(pk=merged.pk).status == Case.Status.DISMISSED


def test_checking_a_merge_records_a_read_of_the_other_case(client, officer, pair):
    merged, survivor = pair
    client.post(reverse("triage:case-merge", args=[merged.pk]), merge_form(survivor.pk))
    read = AuditEvent.objects.get(action=AuditEvent.Action.CASE_VIEWED, object_id=str(survivor.pk))
    assert read.actor == officer and read.summary == "Merge check"


def test_going_back_from_the_confirmation_keeps_what_was_typed(client, officer, pair):
    merged, survivor = pair
    response = client.post(
        reverse("triage:case-merge", args=[merged.pk]), merge_form(survivor.pk, "Kept reason", step="change")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Kept reason" in page and f'value="{survivor.pk}"' in page
    assert Case.objects.get(pk=merged.pk).status == Case.Status.NEW


def test_a_case_held_by_another_officer_is_refused_on_the_page(client, officer, pair):
    merged, survivor = pair
    holder = UserFactory(role=Role.OFFICER)
    casework.case_claim(case=merged, officer=holder)
    response = client.post(reverse("triage:case-merge", args=[merged.pk]), merge_form(survivor.pk, step="merge"))
    assert f"{holder.username} is working on this case." in response.content.decode()
    assert Case.objects.get(pk=merged.pk).status == Case.Status.NEW


# --- API --------------------------------------------------------------------------------------------------


def test_merging_through_the_api(api, api_officer, pair):
    merged, survivor = pair
    response = api.post(reverse("api:case-merge", args=[merged.pk]), {"into": survivor.pk, "reason": "One status."})
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == survivor.pk and response.json()["reporter_count"] == 2
    assert Case.objects.get(pk=merged.pk).status == Case.Status.MERGED
    audit = AuditEvent.objects.get(action=AuditEvent.Action.CASE_MERGED)
    assert audit.actor == api_officer
    closed = api.get(reverse("api:case", args=[merged.pk])).json()
    assert (closed["status"], closed["merged_into"]) == ("merged", survivor.pk)
    assert [event["kind"] for event in closed["timeline"]][-1] == "merged_into"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"into": "self", "reason": "x"}, "detail", "cannot be merged into itself"),
        ({"into": "closed", "reason": "x"}, "detail", "only be merged into an open case"),
        ({"into": 999999, "reason": "x"}, "into", "There is no case 999999."),
        ({"into": "other"}, "reason", "required"),
        ({"reason": "x"}, "into", "required"),
    ],
)
def test_a_refused_merge_through_the_api_is_400_with_the_reason(api, api_officer, pair, body, field, message):
    merged, survivor = pair
    if body.get("into") == "self":
        body["into"] = merged.pk
    elif body.get("into") == "closed":
        casework.case_dismiss(case=survivor, officer=api_officer, reason="Spam")
        body["into"] = survivor.pk
    elif body.get("into") == "other":
        body["into"] = survivor.pk
    response = api.post(reverse("api:case-merge", args=[merged.pk]), body, format="json")
    assert response.status_code == 400
    found = response.json()[field]
    assert message in (found if isinstance(found, str) else " ".join(found))
    assert Case.objects.get(pk=merged.pk).status == Case.Status.NEW


def test_the_schema_states_what_a_merge_needs(api, api_officer):
    schema = api.get(reverse("schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/cases/{id}/merge/"]["post"]
    assert operation["operationId"] == "case_merge"
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][request]["required"]) == {"into", "reason"}
    assert {"200", "400", "403", "404"} <= set(operation["responses"])

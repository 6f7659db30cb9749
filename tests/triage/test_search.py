"""The desk's full-text search: what it finds a case by, what it must not find, and that it reads its index."""

import pytest
from django.db import connection
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from tests.triage.test_queue import QUEUE_PAGE_QUERIES
from triage import casework, merging, selectors
from triage.models import CaseSearch, Force, ForceLiaison, Offence
from triage.retention import report_redact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgresql")]


@pytest.fixture
def officer():
    return UserFactory(role=Role.OFFICER)


def found(viewer, text: str) -> list[int]:
    return list(selectors.case_list(viewer=viewer, status="any", q=text).values_list("pk", flat=True))


def test_a_case_is_found_by_its_text_handle_and_the_volunteers_notes(officer):
    case = ReportFactory(captured_text="Send them all back where they came from", author_handle="@angry_patriot88").case
    noted = ReportFactory(captured_text="Something else", notes="Posted again under a second account").case
    ReportFactory(captured_text="Lovely weather today")
    assert found(officer, "came from") == [case.pk]
    assert found(officer, "ANGRY_PATRIOT88") == [case.pk]
    assert found(officer, "@angry_patriot88") == [case.pk]
    assert found(officer, "second account") == [noted.pk]
    assert found(officer, '"where they came"') == [case.pk]
    assert found(officer, "came -weather") == [case.pk]


def test_a_case_is_found_by_an_officers_note_and_a_forces_crime_reference(officer):
    case = ReportFactory(captured_text="A post").case
    assert found(officer, "ringleader") == []
    casework.case_add_note(case=case, officer=officer, note="Possibly the ringleader of the group")
    assert found(officer, "ringleader") == [case.pk]

    force = Force.objects.get(slug="kent-police")
    liaison = UserFactory(role=Role.LIAISON)
    ForceLiaison.objects.create(user=liaison, force=force)
    referral = casework.case_refer(
        case=case, officer=officer, force=force, offences=Offence.objects.all()[:1], summary="For Kent."
    )
    casework.referral_accept(referral=referral, liaison=liaison, crime_reference="KE/4471/26")
    assert found(officer, "KE/4471/26") == [case.pk]
    assert found(officer, "ke/4471/26") == [case.pk]
    casework.referral_correct_crime_reference(
        referral=referral, liaison=liaison, crime_reference="WM-2026-0042", reason="Typed the wrong one"
    )
    assert found(officer, "KE/4471/26") == []
    assert found(officer, "WM-2026-0042") == [case.pk]


def test_a_search_looks_through_closed_cases_unless_a_status_is_chosen(client, sign_in):
    officer = sign_in(Role.OFFICER)
    closed = ReportFactory(captured_text="An old matter of vandalism").case
    casework.case_dismiss(case=closed, officer=officer, reason="Not for us")
    open_one = ReportFactory(captured_text="A new matter of vandalism").case

    def queue(**params):
        return {case.pk for case in client.get(reverse("triage:queue"), params).context["cases"]}

    assert queue(q="vandalism") == {closed.pk, open_one.pk}
    assert queue(q="vandalism", status="open") == {open_one.pk}
    assert queue() == {open_one.pk}, "without a search the queue is still the open cases"


def test_redacted_words_are_no_longer_found(officer):
    report = ReportFactory(
        captured_text="An old hateful post about my neighbour", author_handle="oldhandle", notes="Also on Telegram"
    )
    assert found(officer, "neighbour") == [report.case_id]
    casework.case_dismiss(case=report.case, officer=officer, reason="Old")
    report_redact(report=report)
    assert found(officer, "neighbour") == [] and found(officer, "oldhandle") == []
    assert found(officer, "telegram") == [], "the volunteer's notes go with the rest"
    assert found(officer, "retention") == [] and found(officer, "redacted") == [], "nor by the placeholder"


def test_merged_reports_are_found_on_the_case_they_moved_to(officer):
    moved = ReportFactory(captured_text="The quick brown fox")
    survivor = ReportFactory(captured_text="Another post").case
    merging.case_merge(case=moved.case, into=survivor, officer=officer, reason="The same post")
    assert found(officer, "brown fox") == [survivor.pk]


def test_no_one_but_an_officer_finds_anything(officer):
    ReportFactory(captured_text="Findable words here")
    for role in (Role.VOLUNTEER, Role.LIAISON, Role.ADMIN, Role.PARTNER):
        assert found(UserFactory(role=role), "findable") == []
    assert len(found(officer, "findable")) == 1


@pytest.mark.parametrize("odd", ['"unclosed', "a & | ! ( :*", "-", "or", "the", "'; drop table x; --", "\\"])
def test_any_query_answers_without_an_error(client, sign_in, odd):
    sign_in(Role.OFFICER)
    ReportFactory(captured_text="Some text")
    response = client.get(reverse("triage:queue"), {"q": odd})
    assert response.status_code == 200


def test_the_queue_and_the_api_search_with_the_same_filter(client, sign_in, api, api_officer):
    sign_in(Role.OFFICER)
    wanted = ReportFactory(captured_text="They are vermin", author_handle="hater").case
    ReportFactory(captured_text="Nothing to see")
    response = client.get(reverse("triage:queue"), {"q": "vermin"})
    assert [case.pk for case in response.context["cases"]] == [wanted.pk]
    listed = api.get(reverse("api:cases"), {"q": "vermin"}).json()
    assert [case["id"] for case in listed["results"]] == [wanted.pk]


def test_a_search_on_the_queue_runs_a_fixed_number_of_queries(client, sign_in, django_assert_max_num_queries):
    sign_in(Role.OFFICER)
    for index in range(20):
        ReportFactory(captured_text=f"Searchable post number {index}")
    # As the queue without a search: the search is part of the page's one query.
    with django_assert_max_num_queries(QUEUE_PAGE_QUERIES):
        response = client.get(reverse("triage:queue"), {"q": "searchable"})
    assert len(response.context["cases"]) == 20


def test_the_search_reads_the_gin_index(officer):
    for index in range(30):
        ReportFactory(captured_text=f"Filler post {index}")
    ReportFactory(captured_text="A needle in the haystack")
    query = selectors.case_list(viewer=officer, q="needle")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # With a few rows a scan of the table or its key is cheapest; forbidding both shows whether the index can
        # answer the search at all, that is whether the query's expression is the one indexed.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_search_document_idx" in plan, plan
    assert CaseSearch.objects.count() == 31

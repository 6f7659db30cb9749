"""The officers' desk through its pages: queue filters and counts, bulk closing, decisions on the case page,
referral packages, the liaison portal and statistics."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.roles import Role
from reports.models import Category
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from triage import casework, stats
from triage.models import Case, CaseEvent, Force, Offence, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(sign_in):
    return sign_in(Role.OFFICER)


def queue_ids(client, **params) -> list[int]:
    response = client.get(reverse("triage:queue"), params)
    assert response.status_code == 200
    return [case.pk for case in response.context["cases"]]


def test_each_filter_narrows_the_queue(client, officer):
    other = UserFactory(role=Role.OFFICER)
    threat = ReportFactory(threat_of_violence=True, categories=[Category.objects.get(slug="disability")]).case
    reddit = ReportFactory(platform="reddit").case
    high = ReportFactory().case
    Case.objects.filter(pk=high.pk).update(score=0.9)
    mine = ReportFactory().case
    casework.case_claim(case=mine, officer=officer)
    theirs = ReportFactory().case
    casework.case_claim(case=theirs, officer=other)
    breached = ReportFactory().case
    casework.case_report_to_platform(case=breached, officer=officer)
    Case.objects.filter(pk=breached.pk).update(platform_reported_at=timezone.now() - timedelta(hours=30))
    closed = ReportFactory().case
    casework.case_dismiss(case=closed, officer=officer, reason="Spam")

    everything_open = set(queue_ids(client))
    assert closed.pk not in everything_open and len(everything_open) == 6
    assert queue_ids(client, category="disability") == [threat.pk]
    assert queue_ids(client, platform="reddit") == [reddit.pk]
    assert queue_ids(client, band="very_high") == [high.pk]
    assert queue_ids(client, flag="threat_of_violence") == [threat.pk]
    assert queue_ids(client, breached="on") == [breached.pk]
    assert queue_ids(client, holder="me") == [mine.pk]
    assert theirs.pk not in queue_ids(client, holder="unassigned")
    assert queue_ids(client, status="dismissed") == [closed.pk]
    assert closed.pk in queue_ids(client, status="any")


def test_sorting_by_age_and_by_reporters(client, officer):
    old = ReportFactory().case
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=5))
    busy = ReportFactory().case
    ReportFactory(case=busy)
    ReportFactory(case=busy)
    assert queue_ids(client, sort="age")[0] == old.pk
    assert queue_ids(client, sort="reports")[0] == busy.pk


def test_a_mistaken_filter_is_named_and_the_others_still_apply(client, officer):
    ReportFactory(platform="reddit")
    response = client.get(reverse("triage:queue"), {"platform": "reddit", "band": "enormous"})
    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["cases"]) == 1


def test_the_queue_shows_counts_per_status_and_keeps_filters_across_pages(client, officer):
    for _ in range(27):
        ReportFactory(platform="reddit")
    ReportFactory()
    response = client.get(reverse("triage:queue"), {"platform": "reddit"})
    page = response.content.decode()
    assert response.context["paginator"].count == 27
    assert "platform=reddit&amp;page=2" in page
    assert dict((status, count) for status, _, count in response.context["status_counts"])["new"] == 28


def test_the_queue_answers_in_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    for index in range(30):
        ReportFactory(threat_of_violence=index % 2 == 0)
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("triage:queue"))
    for _ in range(30):
        ReportFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("triage:queue"), {"sort": "reports"})


def test_bulk_closing_with_no_reason_keeps_the_ticks_and_closes_nothing(client, officer):
    cases = [ReportFactory().case for _ in range(3)]
    response = client.post(reverse("triage:queue"), {"cases": [cases[0].pk, cases[1].pk], "action": "dismissed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    assert f'value="{cases[0].pk}" id="select-{cases[0].pk}" checked' in page
    assert not Case.objects.filter(status="dismissed").exists()
    response = client.post(
        reverse("triage:queue"),
        {"cases": [cases[0].pk, cases[1].pk], "action": "dismissed", "reason": "Spam from one account"},
    )
    assert response.status_code == 302
    assert set(Case.objects.filter(status="dismissed").values_list("pk", flat=True)) == {cases[0].pk, cases[1].pk}


def test_the_queue_is_a_table_and_a_list_of_cards_with_no_id_twice(client, officer):
    cases = [ReportFactory().case for _ in range(2)]
    page = client.get(reverse("triage:queue")).content.decode()
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "no id appears twice"
    assert "{#" not in page and "{%" not in page
    for case in cases:
        assert f'id="select-{case.pk}"' in page and f'id="card-select-{case.pk}"' in page
        assert page.count(reverse("triage:claim", args=[case.pk])) == 2, "a claim button in the row and in the card"


def test_a_case_ticked_in_both_its_row_and_its_card_is_closed_once(client, officer):
    case = ReportFactory().case
    response = client.post(
        reverse("triage:queue"),
        {"cases": [case.pk, case.pk], "action": "dismissed", "reason": "Spam from one account"},
        follow=True,
    )
    assert "Closed 1 case." in response.content.decode()
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DISMISSED).count() == 1


def test_claiming_from_the_case_page_and_being_told_when_another_holds_it(client, officer):
    case = ReportFactory().case
    other = UserFactory(role=Role.OFFICER)
    casework.case_claim(case=case, officer=other)
    response = client.post(reverse("triage:claim", args=[case.pk]), follow=True)
    assert f"{other.username} is working on this case." in response.content.decode()
    assert Case.objects.get(pk=case.pk).claimed_by == other


def test_a_decision_without_its_reason_comes_back_with_the_text_kept(client, officer):
    case = ReportFactory().case
    response = client.post(
        reverse("triage:case-action", args=[case.pk, "dismiss"]),
        {"dismiss-reason": "", "dismiss-note_for_volunteers": "Thanks, this one is not hateful."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page and "Thanks, this one is not hateful." in page
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("dismiss", {"reason": "Not hateful in context."}),
        ("no-action", {"reason": "Offensive, not criminal."}),
        ("refer", {"force": "kent-police", "offences": ["mca-s1"], "summary": "Threats to a named imam."}),
    ],
)
def test_every_decision_that_takes_a_note_for_volunteers_holds_it_to_one_limit(client, officer, action, fields):
    case = ReportFactory().case
    if action == "refer":
        fields = {
            **fields,
            "force": Force.objects.get(slug=fields["force"]).pk,
            "offences": [Offence.objects.get(slug=slug).pk for slug in fields["offences"]],
        }
    url = reverse("triage:case-action", args=[case.pk, action])
    longest = "n" * Case.NOTE_FOR_VOLUNTEERS_MAX_LENGTH

    too_long = {f"{action}-{name}": value for name, value in {**fields, "note_for_volunteers": longest + "n"}.items()}
    response = client.post(url, too_long)
    assert response.status_code == 200
    assert f"at most {Case.NOTE_FOR_VOLUNTEERS_MAX_LENGTH} characters" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW

    at_the_limit = {f"{action}-{name}": value for name, value in {**fields, "note_for_volunteers": longest}.items()}
    assert client.post(url, at_the_limit).status_code == 302
    assert Case.objects.get(pk=case.pk).note_for_volunteers == longest


def test_a_referral_from_the_case_page(client, officer):
    case = ReportFactory().case
    force = Force.objects.get(slug="kent-police")
    response = client.post(
        reverse("triage:case-action", args=[case.pk, "refer"]),
        {"refer-force": force.pk, "refer-summary": "Threats to a named imam."},
    )
    assert response.status_code == 200 and "Choose at least one suspected offence." in response.content.decode()
    assert "Threats to a named imam." in response.content.decode()
    offence = Offence.objects.get(slug="mca-s1")
    response = client.post(
        reverse("triage:case-action", args=[case.pk, "refer"]),
        {"refer-force": force.pk, "refer-offences": [offence.pk], "refer-summary": "Threats to a named imam."},
    )
    assert response.status_code == 302
    referral = Referral.objects.get(case=case)
    assert referral.force == force and list(referral.offences.all()) == [offence]
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    assert "Referred to a police force" in page and reverse("triage:referral", args=[referral.pk]) in page


def test_the_case_page_shows_priority_reasons_timeline_and_notes(client, officer):
    case = ReportFactory(threat_of_violence=True).case
    client.post(reverse("triage:case-action", args=[case.pk, "note"]), {"note-note": "Account created yesterday."})
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    assert "threat of violence" in page
    assert "Account created yesterday." in page and f"by {officer.username}" in page
    assert "Reported</strong> by V-" in page


def test_the_referral_package_names_volunteers_only_by_pseudonym(client, officer):
    volunteer = UserFactory(role=Role.VOLUNTEER, first_name="Amira", last_name="Khan", email="amira@example.org")
    report = ReportFactory(reporter=volunteer, captured_text="post text as captured")
    referral = casework.case_refer(
        case=report.case,
        officer=officer,
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Summary for Kent.",
    )
    package = client.get(reverse("triage:referral-json", args=[referral.pk]))
    assert package["Content-Disposition"] == f'attachment; filename="referral-{referral.pk}.json"'
    data = json.loads(package.content)
    assert data["evidence"][0]["text_as_captured"] == "post text as captured"
    assert data["evidence"][0]["evidence_sha256"] == report.evidence_sha256
    assert data["evidence"][0]["stored_evidence_matches"] is True
    assert [event["what"] for event in data["timeline"]][-1] == "Referred to a force"
    printable = client.get(reverse("triage:referral", args=[referral.pk])).content.decode()
    for shown in (package.content.decode(), printable):
        assert volunteer.username not in shown and "Amira" not in shown and "amira@" not in shown
        assert volunteer.volunteer.pseudonym in shown


def test_a_liaison_sees_only_their_forces_referrals(client, kent_referral, liaison_of):
    sign_in_verified(client, liaison_of("essex-police"))
    assert kent_referral.pk not in [r.pk for r in client.get(reverse("liaison:referrals")).context["referrals"]]
    for name in ("liaison:referral", "liaison:package-json", "triage:referral", "triage:referral-json"):
        assert client.get(reverse(name, args=[kent_referral.pk])).status_code == 404, name
    response = client.post(reverse("liaison:referral-action", args=[kent_referral.pk, "acknowledge"]))
    assert response.status_code == 404
    assert Referral.objects.get(pk=kent_referral.pk).status == Referral.Status.SENT
    assert client.get(reverse("triage:queue")).status_code == 403
    assert client.get(reverse("triage:case", args=[kent_referral.case_id])).status_code == 403


def test_a_liaison_acknowledges_accepts_and_records_the_outcome(client, kent_referral, liaison_of):
    sign_in_verified(client, liaison_of("kent-police"))
    page = client.get(reverse("liaison:referrals")).content.decode()
    assert f"Referral {kent_referral.pk}" in page
    client.post(reverse("liaison:referral-action", args=[kent_referral.pk, "acknowledge"]))
    response = client.post(
        reverse("liaison:referral-action", args=[kent_referral.pk, "accept"]), {"crime_reference": ""}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    client.post(reverse("liaison:referral-action", args=[kent_referral.pk, "accept"]), {"crime_reference": "KE/123/26"})
    client.post(
        reverse("liaison:referral-action", args=[kent_referral.pk, "outcome"]),
        {"outcome_group": "charged", "outcome": "Charged"},
    )
    referral = Referral.objects.get(pk=kent_referral.pk)
    assert (referral.status, referral.crime_reference, referral.outcome) == ("closed", "KE/123/26", "Charged")
    assert CaseEvent.objects.filter(case=referral.case, kind="referral_updated").count() == 3


def test_statistics_draw_each_figure_and_export_it(client, officer):
    report = ReportFactory(platform="reddit")
    casework.case_report_to_platform(case=report.case, officer=officer)
    casework.case_record_platform_outcome(case=report.case, officer=officer, outcome="removed")
    page = client.get(reverse("triage:stats")).content.decode()
    for title in ("Reports and new cases per day", "Reports by platform", "Time from a case opening"):
        assert title in page
    assert page.count("<canvas ") == len(stats.TABLES) - 1  # no referral yet: that figure says so instead
    csv = client.get(reverse("triage:stats-csv", args=["takedowns"]), {"days": 7})
    assert csv["Content-Type"].startswith("text/csv")
    assert "removed within 24 h,1" in csv.content.decode()
    assert client.get(reverse("triage:stats-csv", args=["nonsense"])).status_code == 404


def test_a_reporter_sees_the_officers_question_and_answers_it_on_their_own_page(client, sign_in):
    volunteer = sign_in(Role.VOLUNTEER)
    report = ReportFactory(reporter=volunteer)
    someone_else = ReportFactory()
    question = casework.case_request_info(
        case=report.case, officer=UserFactory(role=Role.OFFICER), question="Did the post tag anyone?"
    )
    hidden = casework.case_request_info(
        case=someone_else.case, officer=UserFactory(role=Role.OFFICER), question="Not for you"
    )
    page = client.get(reverse("reports:mine")).content.decode()
    assert "Did the post tag anyone?" in page and "Not for you" not in page
    assert "More information requested" in page

    empty = client.post(reverse("reports:mine"), {"question": question.pk, "answer": "  "})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    assert client.post(reverse("reports:mine"), {"question": hidden.pk, "answer": "x"}).status_code == 404

    response = client.post(reverse("reports:mine"), {"question": question.pk, "answer": "Yes, a local councillor."})
    assert response.status_code == 302
    assert Case.objects.get(pk=report.case_id).status == Case.Status.NEW
    assert "You answered:</strong> Yes, a local councillor." in client.get(reverse("reports:mine")).content.decode()


def test_statistics_csv_never_hands_a_spreadsheet_a_formula(client, officer):
    Category.objects.create(slug="formula", name='=HYPERLINK("http://x")')
    ReportFactory(categories=[Category.objects.get(slug="formula")])
    exported = client.get(reverse("triage:stats-csv", args=["by-category"])).content.decode()
    assert "'=HYPERLINK" in exported and "\n=HYPERLINK" not in exported

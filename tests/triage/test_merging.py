"""Merging two cases about one post or one incident: what moves, what is worked out again, what is refused."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from hubsite.models import AuditEvent
from hubsite.roles import Role
from reports.models import Category, CounterSpeech, Report
from tests.factories import ReportFactory, UserFactory
from triage import casework, merging
from triage.intake import counter_speech_log, report_submit
from triage.models import Case, CaseEvent, InfoRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(role=Role.OFFICER)


def submit(link, *, reporter=None, category="race", **flags):
    return report_submit(
        reporter=reporter or UserFactory(role=Role.VOLUNTEER),
        post_url=link,
        captured_text="They should all be thrown out.",
        categories=[Category.objects.get(slug=category)],
        **flags,
    ).report


def kinds(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def state(*cases) -> list:
    """Everything a merge could change about these cases, to compare before and after a refusal."""
    return [
        (
            Case.objects.filter(pk=case.pk).values().get(),
            sorted(Case.reported_categories.through.objects.filter(case=case).values_list("category_id", flat=True)),
            list(CaseEvent.objects.filter(case=case).values_list("pk", "kind", "note")),
            sorted(Report.objects.filter(case=case).values_list("pk", flat=True)),
            sorted(CounterSpeech.objects.filter(case=case).values_list("pk", flat=True)),
            sorted(InfoRequest.objects.filter(case=case).values_list("pk", flat=True)),
        )
        for case in cases
    ] + [AuditEvent.objects.filter(action=AuditEvent.Action.CASE_MERGED).count()]


@pytest.fixture
def two_cases():
    """One post opened twice (before links were compared by post id): a threat on one, two reporters on the other."""
    first = submit("https://example.org/forum/thread/ABC", category="race")
    second = submit("https://example.org/forum/thread/abc", category="anti-muslim", threat_of_violence=True)
    also = submit("https://example.org/forum/thread/abc", category="anti-muslim")
    assert first.case_id != second.case_id == also.case_id
    return first.case, second.case


def test_a_merge_moves_the_reports_and_works_out_the_survivor_again(two_cases, officer):
    merged, survivor = two_cases
    Report.objects.filter(case=survivor).update(score=0.4)
    Report.objects.filter(case=merged).update(score=0.9)
    reply = counter_speech_log(
        volunteer=UserFactory(role=Role.VOLUNTEER),
        post_url="https://example.org/forum/thread/ABC",
        reply_url="https://example.org/forum/reply/1",
        replied_at=timezone.now(),
    )
    question = casework.case_request_info(case=merged, officer=officer, question="Where was it posted?")
    priority_before = Case.objects.get(pk=survivor.pk).priority

    result = merging.case_merge(case=merged, into=survivor, officer=officer, reason="The same thread, twice.")

    assert result.pk == survivor.pk
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert Report.objects.filter(case=survivor).count() == 3 and not Report.objects.filter(case=merged).exists()
    assert survivor.reporter_count == 3
    assert survivor.score == 0.9, "the highest of the reports it now holds"
    assert survivor.threat_of_violence
    assert set(survivor.reported_categories.values_list("slug", flat=True)) == {"race", "anti-muslim"}
    assert survivor.last_reported_at == Report.objects.filter(case=survivor).latest("created_at").created_at
    assert survivor.priority > priority_before, "a third reporter and a higher score"
    assert CounterSpeech.objects.get(pk=reply.pk).case == survivor
    assert InfoRequest.objects.get(pk=question.pk).case == survivor, "the volunteers still see and answer it"
    assert merged.status == Case.Status.MERGED and merged.merged_into == survivor
    assert not merged.is_open and merged.reporter_count == 0
    assert not merged.reported_categories.exists() and merged.score is None

    merged_note = CaseEvent.objects.get(case=merged, kind=CaseEvent.Kind.MERGED_INTO)
    survivor_note = CaseEvent.objects.get(case=survivor, kind=CaseEvent.Kind.MERGED)
    assert f"Merged into case {survivor.pk}" in merged_note.note and "The same thread, twice." in merged_note.note
    assert f"Case {merged.pk} was merged into this case" in survivor_note.note
    assert merged_note.actor == survivor_note.actor == officer
    audit = AuditEvent.objects.get(action=AuditEvent.Action.CASE_MERGED)
    assert (audit.actor, audit.object_id, audit.detail["into"]) == (officer, str(merged.pk), survivor.pk)
    assert len(audit.detail["reports_moved"]) == 1 and audit.detail["counter_speech_moved"] == 1


def test_later_reports_and_replies_of_the_merged_post_join_the_survivor(two_cases, officer):
    merged, survivor = two_cases
    merging.case_merge(case=merged, into=survivor, officer=officer, reason="Same post.")
    late = submit("https://example.org/forum/thread/ABC")
    assert late.case_id == survivor.pk
    reply = counter_speech_log(
        volunteer=UserFactory(role=Role.VOLUNTEER),
        post_url="https://example.org/forum/thread/ABC",
        reply_url="https://example.org/forum/reply/2",
        replied_at=timezone.now(),
    )
    assert reply.case_id == survivor.pk
    assert Case.objects.get(pk=survivor.pk).reporter_count == 4


def test_a_volunteer_who_reported_both_keeps_the_second_report_on_the_merged_case(officer):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    first = submit("https://example.org/p/ONE", reporter=volunteer)
    second = submit("https://example.org/p/one", reporter=volunteer, doxxing=True)
    other = submit("https://example.org/p/one")
    merging.case_merge(case=second.case, into=first.case, officer=officer, reason="Same post.")
    assert Report.objects.get(pk=second.pk).case_id == second.case_id, "one report per volunteer per case"
    assert Report.objects.get(pk=other.pk).case_id == first.case_id
    merged = Case.objects.get(pk=second.case_id)
    assert merged.reporter_count == 1 and merged.doxxing
    assert merged.note_for_volunteers == merging.KEPT_REPORT_NOTE
    assert Report.objects.get(pk=second.pk).outcome_for_reporter() == (
        "Merged into another case",
        merging.KEPT_REPORT_NOTE,
    )
    assert f"Report {second.pk} stayed here" in CaseEvent.objects.get(case=merged, kind="merged_into").note
    assert Case.objects.get(pk=first.case_id).reporter_count == 2


def test_a_report_left_on_a_merged_case_follows_the_survivors_retention(officer, settings):
    from triage.retention import reports_due_for_redaction, retention_apply

    volunteer = UserFactory(role=Role.VOLUNTEER)
    first = submit("https://example.org/p/TWO", reporter=volunteer)
    second = submit("https://example.org/p/two", reporter=volunteer)
    merging.case_merge(case=second.case, into=first.case, officer=officer, reason="Same post.")
    assert not reports_due_for_redaction(now=timezone.now() + timedelta(days=5000)).exists(), "survivor still open"
    casework.case_dismiss(case=first.case, officer=officer, reason="Not hateful after all.")
    later = timezone.now() + timedelta(days=settings.RETENTION_DISMISSED_DAYS + 1)
    assert set(reports_due_for_redaction(now=later).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert retention_apply(now=later) == 2
    note = CaseEvent.objects.get(case=second.case, kind=CaseEvent.Kind.REDACTED).note
    assert f"case {first.case_id}, which this case was merged into" in note


def test_a_case_merged_into_a_case_that_is_merged_in_turn_points_at_the_last(officer):
    one, two, three = (submit(link).case for link in ["https://e.org/A", "https://e.org/a1", "https://e.org/a2"])
    merging.case_merge(case=one, into=two, officer=officer, reason="Same incident.")
    merging.case_merge(case=two, into=three, officer=officer, reason="Same incident.")
    assert Case.objects.get(pk=one.pk).merged_into_id == three.pk
    assert submit("https://e.org/A").case_id == three.pk


def test_two_x_cases_of_one_status_opened_before_the_fix_can_be_merged(officer):
    """Cases opened under the old key: the two spellings of the handle as two posts."""
    cases = [ReportFactory(post_url=f"https://x.com/{handle}/status/77").case for handle in ["Hate", "hate"]]
    survivor = merging.case_merge(case=cases[1], into=cases[0], officer=officer, reason="One status.")
    assert survivor.reporter_count == 2


@pytest.mark.parametrize(
    ("prepare", "expected"),
    [
        pytest.param(lambda m, s, o, other: {"into": m}, "cannot be merged into itself", id="into itself"),
        pytest.param(lambda m, s, o, other: {"reason": " "}, "Give a reason", id="no reason"),
        pytest.param(
            lambda m, s, o, other: casework.case_dismiss(case=s, officer=o, reason="Not hateful") and {},
            "is closed (dismissed): a case can only be merged into an open case",
            id="into a closed case",
        ),
        pytest.param(
            lambda m, s, o, other: casework.case_no_further_action(case=m, officer=o, reason="Old") and {},
            "only an open case can be merged",
            id="a closed case",
        ),
        pytest.param(
            lambda m, s, o, other: casework.case_claim(case=m, officer=other) and {},
            "is working on this case",
            id="held by another",
        ),
        pytest.param(
            lambda m, s, o, other: casework.case_claim(case=s, officer=other) and {},
            "is working on case",
            id="into a case held by another",
        ),
        pytest.param(
            lambda m, s, o, other: casework.case_report_to_platform(case=m, officer=o) and {},
            "waiting for the platform's answer",
            id="platform clock running",
        ),
    ],
)
def test_a_refused_merge_says_why_and_changes_nothing(two_cases, officer, prepare, expected):
    merged, survivor = two_cases
    given = {"case": merged, "into": survivor, "officer": officer, "reason": "Same post."}
    given.update(prepare(merged, survivor, officer, UserFactory(role=Role.OFFICER)) or {})
    before = state(merged, survivor)
    with pytest.raises(casework.CaseWorkError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        merging.case_merge(**given)
    assert state(merged, survivor) == before


def test_merging_into_a_merged_case_names_where_it_went(officer):
    one, two, three = (submit(link).case for link in ["https://e.org/B", "https://e.org/b1", "https://e.org/b2"])
    merging.case_merge(case=two, into=three, officer=officer, reason="Same incident.")
    before = state(one, two, three)
    with pytest.raises(casework.CaseWorkError, match=f"merge into case {three.pk} instead"):
        merging.case_merge(case=one, into=Case.objects.get(pk=two.pk), officer=officer, reason="Same.")
    with pytest.raises(casework.CaseWorkError, match=f"already been merged into case {three.pk}"):
        merging.case_merge(case=Case.objects.get(pk=two.pk), into=one, officer=officer, reason="Same.")
    assert state(one, two, three) == before


def test_the_officer_holding_a_case_may_merge_it(two_cases, officer):
    merged, survivor = two_cases
    casework.case_claim(case=merged, officer=officer)
    casework.case_claim(case=survivor, officer=officer)
    merging.case_merge(case=merged, into=survivor, officer=officer, reason="Same post.")
    assert Case.objects.get(pk=merged.pk).status == Case.Status.MERGED


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_officers_merging_one_pair_opposite_ways_at_once_merge_it_once(postgresql, reference_data):
    cases = [ReportFactory().case, ReportFactory().case]
    officers = [UserFactory(role=Role.OFFICER) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def merge(index):
        try:
            barrier.wait()
            merging.case_merge(case=cases[index], into=cases[1 - index], officer=officers[index], reason="Same post.")
            outcomes.append("merged")
        except casework.CaseWorkError as refusal:
            outcomes.append(str(refusal))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("merged") == 1, outcomes
    statuses = sorted(Case.objects.filter(pk__in=[case.pk for case in cases]).values_list("status", flat=True))
    assert statuses == ["merged", "new"]
    assert Report.objects.filter(case__status="new").count() == 2


def test_a_repeated_submission_after_its_case_was_merged_returns_the_first_report(officer):
    import uuid

    volunteer, key = UserFactory(role=Role.VOLUNTEER), uuid.uuid4()
    race = Category.objects.get(slug="race")

    def send():
        return report_submit(
            reporter=volunteer, post_url="https://e.org/C", captured_text="t", categories=[race], submission_key=key
        )

    first = send()
    survivor = submit("https://e.org/c").case
    merging.case_merge(case=first.report.case, into=survivor, officer=officer, reason="Same post.")
    again = send()
    assert (again.report.pk, again.created, again.report.case_id) == (first.report.pk, False, survivor.pk)

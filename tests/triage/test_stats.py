"""The statistics' reads (triage/stats.py): each figure's rows, in a number of queries that does not grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from triage import casework, stats
from triage.models import Case, Force, Offence

pytestmark = pytest.mark.django_db

# Queries per figure: one aggregate each, two for reports and cases per day.
QUERIES = {slug: 2 if slug == "per-day" else 1 for slug in stats.TABLES}


def _activity(n: int) -> None:
    """``n`` cases of each kind the figures count: reported, decided, sent to a platform, referred, answered."""
    officer = UserFactory(role=Role.OFFICER)
    force, offences = Force.objects.first(), Offence.objects.all()[:1]
    for index in range(n):
        case = ReportFactory(platform=["x", "reddit", "facebook"][index % 3]).case
        casework.case_report_to_platform(case=case, officer=officer)
        casework.case_record_platform_outcome(case=case, officer=officer, outcome="removed")
        referral = casework.case_refer(case=case, officer=officer, force=force, offences=offences, summary="For you.")
        referral.outcome_group, referral.outcome_at = "charged", timezone.now()
        referral.save(update_fields=["outcome_group", "outcome_at"])


def _figures_queries(since, until) -> dict[str, int]:
    counts = {}
    for slug, build in stats.TABLES.items():
        with CaptureQueriesContext(connection) as captured:
            build(since, until)
        counts[slug] = len(captured.captured_queries)
    return counts


def test_each_figure_is_read_in_the_same_few_queries_whatever_the_activity():
    until = timezone.localdate()
    since = until - timedelta(days=29)
    _activity(1)
    assert _figures_queries(since, until) == QUERIES
    _activity(5)
    assert _figures_queries(since, until) == QUERIES


def test_the_statistics_page_asks_no_more_of_the_database_for_more_activity(
    client, sign_in, django_assert_max_num_queries
):
    sign_in(Role.OFFICER)
    _activity(1)
    # Signing in and the page's own reads, the navigation bar's count of unread notifications, and the figures.
    with django_assert_max_num_queries(9 + sum(QUERIES.values())) as few:
        assert client.get(reverse("triage:stats")).status_code == 200
    _activity(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("triage:stats"))


def test_takedowns_count_each_platform_answer_and_each_wait():
    officer = UserFactory(role=Role.OFFICER)
    now = timezone.now()
    answers = [
        ("removed", timedelta(hours=2)),  # removed within 24 h
        ("removed", timedelta(hours=30)),  # removed after 24 h
        ("still_up", timedelta(hours=3)),
        ("refused", timedelta(hours=3)),
        ("", None),  # no answer, past 24 h
        ("", None),  # no answer yet, within 24 h
    ]
    for index, (outcome, after) in enumerate(answers):
        case = ReportFactory().case
        reported_at = now - timedelta(hours=2 if index == len(answers) - 1 else 40)
        casework.case_report_to_platform(case=case, officer=officer)
        Case.objects.filter(pk=case.pk).update(
            platform_reported_at=reported_at,
            platform_outcome=outcome,
            platform_outcome_at=reported_at + after if after else None,
        )
    today = timezone.localdate()
    rows = stats.platform_takedowns(today - timedelta(days=6), today).rows
    assert rows == [
        ["removed within 24 h", 1],
        ["removed after 24 h", 1],
        ["still up", 1],
        ["refused", 1],
        ["no answer, past 24 h", 1],
        ["no answer yet, within 24 h", 1],
    ]

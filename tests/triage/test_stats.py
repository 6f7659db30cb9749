"""The statistics (triage/stats.py and its page): each figure's rows for the period chosen, in a number of queries
that does not grow; the period's rules; the page's charts drawn from the tables' own figures; the CSV."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hubsite.roles import Role
from reports.models import Report
from tests.factories import ReportFactory, UserFactory
from triage import casework, stats
from triage.models import Case, Force, Offence, Referral

pytestmark = pytest.mark.django_db

# Queries per figure: one aggregate each, two for reports and cases per day.
QUERIES = {slug: 2 if slug == "per-day" else 1 for slug in stats.TABLES}
# Signing in and the page's own reads, and the navigation bar's count of unread notifications: the figures come on top.
PAGE_QUERIES = 9


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
    with django_assert_max_num_queries(PAGE_QUERIES + sum(QUERIES.values())) as few:
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


def test_the_statistics_page_with_days_of_its_own_asks_no_more_of_the_database(
    client, sign_in, django_assert_max_num_queries
):
    sign_in(Role.OFFICER)
    today = timezone.localdate()
    days = {"since": (today - timedelta(days=100)).isoformat(), "until": today.isoformat()}
    _activity(1)
    with django_assert_max_num_queries(PAGE_QUERIES + sum(QUERIES.values())) as few:
        assert client.get(reverse("triage:stats"), days).status_code == 200
    _activity(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("triage:stats"), days)


# The period: a preset, or days of the reader's own -------------------------------------------------------------

TODAY = date(2026, 3, 15)


def test_a_preset_is_the_last_days_up_to_today_and_anything_else_the_default():
    assert stats.period_preset(7, today=TODAY) == stats.Period(date(2026, 3, 9), TODAY, preset=7)
    assert stats.period_preset(90, today=TODAY).days == 90
    assert stats.period_preset(12, today=TODAY) == stats.period_preset(stats.DEFAULT_PERIOD, today=TODAY)


@pytest.mark.parametrize(
    ("since", "until", "field", "message"),
    [
        (date(2026, 3, 16), date(2026, 3, 16), "since", "The first day cannot be after today (15 March 2026)."),
        (date(2026, 3, 1), date(2026, 3, 16), "until", "The last day cannot be after today (15 March 2026)"),
        (date(2026, 3, 10), date(2026, 3, 9), "until", "The last day must be the same as the first day or after it."),
        (date(2025, 3, 13), TODAY, "until", "Choose at most 366 days: from 13 March 2025 to 15 March 2026 is 368"),
    ],
)
def test_a_range_that_cannot_be_shown_is_refused_with_the_reason(since, until, field, message):
    with pytest.raises(stats.PeriodError) as refused:
        stats.period_between(since, until, today=TODAY)
    assert refused.value.field == field and refused.value.message.startswith(message)


def test_a_range_of_one_day_or_of_a_whole_year_is_shown():
    assert stats.period_between(TODAY, TODAY, today=TODAY).days == 1
    year = stats.period_between(TODAY - timedelta(days=stats.MAX_PERIOD_DAYS - 1), TODAY, today=TODAY)
    assert year.days == stats.MAX_PERIOD_DAYS and year.preset is None


def test_each_figure_counts_only_the_days_asked_for():
    officer = UserFactory(role=Role.OFFICER)
    force, offences = Force.objects.first(), Offence.objects.all()[:1]
    today = timezone.localdate()
    then = timezone.now() - timedelta(days=10)
    for when in (then, timezone.now()):
        case = ReportFactory(platform="reddit").case
        casework.case_report_to_platform(case=case, officer=officer)
        casework.case_refer(case=case, officer=officer, force=force, offences=offences, summary="For you.")
        Report.objects.filter(case=case).update(created_at=when)
        Case.objects.filter(pk=case.pk).update(created_at=when, platform_reported_at=when)
        Referral.objects.filter(case=case).update(sent_at=when)
    earlier = (today - timedelta(days=12), today - timedelta(days=8))
    recent = (today - timedelta(days=6), today)
    for since, until in (earlier, recent):
        assert stats.by_platform(since, until).rows == [["Reddit", 1]]
        per_day = stats.per_day(since, until).rows
        assert len(per_day) == (until - since).days + 1
        assert sum(row[1] for row in per_day) == 1 and sum(row[2] for row in per_day) == 1
        assert stats.referrals_by_force(since, until).rows[0][1] == 1
        assert sum(row[1] for row in stats.platform_takedowns(since, until).rows) == 1


# The page and its downloads for the period chosen ---------------------------------------------------------------


def _embedded_charts(page: str) -> dict[str, dict]:
    """Each chart's data as the page embeds it for the script (json_script), by figure."""
    found = re.findall(r'<script id="([\w-]+)-data" type="application/json">(.*?)</script>', page, re.S)
    return {slug: json.loads(data) for slug, data in found}


def test_each_chart_is_drawn_from_its_table_s_own_figures(client, sign_in):
    sign_in(Role.OFFICER)
    _activity(4)
    today = timezone.localdate()
    since = today - timedelta(days=20)
    response = client.get(reverse("triage:stats"), {"since": since.isoformat()})
    page = response.content.decode()
    charts = _embedded_charts(page)
    assert set(charts) == set(stats.TABLES)
    # Canvas and data written by the include the admin's charts use too, so the two cannot drift apart.
    assert [t.name for t in response.templates].count("triage/chart_canvas.html") == len(stats.TABLES)
    for slug, build in stats.TABLES.items():
        table, chart = build(since, today), charts[slug]
        assert chart["fullLabels"] == [str(row[0]) for row in table.rows]
        assert [series["values"] for series in chart["series"]] == [
            [row[column] for row in table.rows] for column in table.chart_columns
        ]
        assert [series["name"] for series in chart["series"]] == [table.columns[c] for c in table.chart_columns]
        # The same figures in the table a screen reader reads.
        for row in table.rows:
            assert f'<th scope="row">{row[0]}</th>' in page
        assert f'id="{slug}-chart" role="img" aria-label="' in page
    assert charts["referrals"]["stacked"] and len(charts["referrals"]["series"]) == len(Referral.Status)
    assert charts["per-day"]["kind"] == "line" and len(charts["per-day"]["labels"]) == 21
    assert f"From {since:%-d %b %Y} to {today:%-d %b %Y} (21 days)." in page


def test_the_page_keeps_what_was_typed_and_says_what_is_wrong_beside_it(client, sign_in):
    sign_in(Role.OFFICER)
    today = timezone.localdate()
    cases = [
        ({"since": "2026-02-10", "until": "2026-02-01"}, "The last day must be the same as the first day or after it."),
        ({"until": "2026-02-01"}, "Give the first day as well as the last."),
        ({"since": "31/02/2026"}, "Give the first day as a date, for example 2026-03-01."),
        ({"since": (today + timedelta(days=1)).isoformat()}, "The first day cannot be after today"),
        ({"since": (today - timedelta(days=400)).isoformat()}, "Choose at most 366 days"),
        ({"days": "12"}, "Choose the last 7, 30 or 90 days, or give the first and last day."),
    ]
    for typed, message in cases:
        response = client.get(reverse("triage:stats"), typed)
        page = response.content.decode()
        assert response.status_code == 200
        assert message in page, typed
        for name, value in typed.items():
            if name != "days":
                assert f'name="{name}" value="{value}"' in page, typed
        assert "<canvas" not in page and "The figures are shown once the days above are put right." in page


def test_a_preset_fills_the_days_in_ready_to_be_changed(client, sign_in):
    sign_in(Role.OFFICER)
    today = timezone.localdate()
    page = client.get(reverse("triage:stats"), {"days": 7}).content.decode()
    assert f'name="since" value="{today - timedelta(days=6):%Y-%m-%d}"' in page
    assert f'name="until" value="{today:%Y-%m-%d}"' in page
    assert 'href="?days=7" aria-current="page"' in page
    assert 'href="/triage/stats/by-platform.csv?days=7"' in page


def test_the_csv_of_days_of_one_s_own_holds_those_days_only(client, sign_in):
    sign_in(Role.OFFICER)
    _activity(2)
    today = timezone.localdate()
    since = today - timedelta(days=3)
    page = client.get(reverse("triage:stats"), {"since": since.isoformat(), "until": today.isoformat()})
    link = f"/triage/stats/per-day.csv?since={since.isoformat()}&amp;until={today.isoformat()}"
    assert f'href="{link}"' in page.content.decode()

    exported = client.get(link.replace("&amp;", "&"))
    assert exported["Content-Disposition"] == f'attachment; filename="per-day-{since}-to-{today}.csv"'
    lines = exported.content.decode().splitlines()
    assert lines == ["day,reports,new cases", *(f"{since + timedelta(days=n)},0,0" for n in range(3)), f"{today},2,2"]


def test_the_csv_refuses_days_it_cannot_show_and_says_why(client, sign_in):
    sign_in(Role.OFFICER)
    refused = client.get(reverse("triage:stats-csv", args=["per-day"]), {"since": "2026-02-10", "until": "2026-02-01"})
    assert refused.status_code == 400
    assert refused.content.decode() == "The last day must be the same as the first day or after it."

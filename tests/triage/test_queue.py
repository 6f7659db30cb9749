import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import ReportFactory
from triage.casework import case_priority_refresh
from triage.models import Case

pytestmark = pytest.mark.django_db

# The queue page's queries, whatever the number of cases: 7 are signing in (the session, read and its first write
# in a savepoint, the person, their permissions and their second step); one reads the officer's saved filters, one
# the navigation bar's count of unread notifications; the rest are the page's own. A search adds none.
QUEUE_PAGE_QUERIES = 16


@pytest.fixture
def officer(sign_in):
    return sign_in(Role.OFFICER)


def make_case(score, text="post"):
    report = ReportFactory(captured_text=text)
    Case.objects.filter(pk=report.case_id).update(score=score)
    case_priority_refresh(case_ids=[report.case_id])
    return report.case_id


def test_queue_lists_open_cases_by_priority_an_unscored_one_in_the_middle(client, officer):
    low, unscored, high = make_case(0.2), make_case(None), make_case(0.9)
    closed = make_case(0.99)
    Case.objects.filter(pk=closed).update(status=Case.Status.NO_ACTION)
    cases = list(client.get(reverse("triage:queue")).context["cases"])
    assert [case.pk for case in cases] == [high, unscored, low]


def test_queue_is_paginated(client, officer):
    for index in range(30):
        make_case(index / 100)
    first = client.get(reverse("triage:queue"))
    assert len(first.context["cases"]) == 25
    assert first.context["paginator"].count == 30
    second = client.get(reverse("triage:queue"), {"page": 2})
    assert len(second.context["cases"]) == 5
    assert client.get(reverse("triage:queue"), {"page": 9}).status_code == 404


def test_queue_runs_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    for index in range(20):
        make_case(index / 100)
    with django_assert_max_num_queries(QUEUE_PAGE_QUERIES):
        client.get(reverse("triage:queue"))


def test_queue_shows_score_bands_not_bare_numbers(client, officer):
    make_case(0.93, text="very bad post")
    page = client.get(reverse("triage:queue")).content.decode()
    assert "Very high" in page and "0.93" not in page


def test_case_page_shows_the_report_and_a_pseudonym_not_the_volunteer(client, officer):
    report = ReportFactory(captured_text="<b>evidence</b> text", author_handle="@poster")
    page = client.get(reverse("triage:case", args=[report.case_id])).content.decode()
    assert "&lt;b&gt;evidence&lt;/b&gt; text" in page
    assert "@poster" in page
    assert report.reporter.volunteer.pseudonym in page
    assert report.reporter.username not in page
    assert report.reporter.email not in page


def test_unknown_case_is_404(client, officer):
    assert client.get(reverse("triage:case", args=[999999])).status_code == 404


def test_case_page_highlights_what_raised_and_lowered_the_score_and_names_the_likely_group(client, officer):
    from reports.models import Report

    text = "Honestly <they> are not people, they are vermin\u202e"
    report = ReportFactory(captured_text=text)
    vermin = text.index("vermin")
    Report.objects.filter(pk=report.pk).update(
        score=0.91,
        score_status=Report.ScoreStatus.SCORED,
        model_version="v-test",
        category_scores={"race": 0.12, "anti-muslim": 0.88, "misogyny": 0.4},
        explanation=[
            {"start": 9, "end": 15, "weight": 0.4},
            {"start": 20, "end": 23, "weight": -0.8},
            {"start": vermin, "end": vermin + 6, "weight": 2.1},
        ],
    )
    page = client.get(reverse("triage:case", args=[report.case_id])).content.decode()
    assert (
        'Honestly <mark class="pushed-up">&lt;they&gt;<span class="visually-hidden"> (raised the score)</span></mark>'
        in page
    )
    assert '<mark class="pushed-down">not<span class="visually-hidden"> (lowered the score)</span></mark>' in page
    assert '<mark class="pushed-up">vermin<span class="visually-hidden">' in page
    assert "[U+202E]" in page and "\u202e" not in page
    assert "“vermin”, “&lt;they&gt;”" in page  # strongest first
    assert "Anti-Muslim (very high); Misogyny (sex or gender) (medium)" in page
    assert "Race or ethnicity" not in page.split("Seems to target")[1].split("</dd>")[0]
    assert "0.91" not in page

"""Submissions that race each other on PostgreSQL: one row, no stray file, a clear answer for the loser."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from hubsite.roles import Role
from reports.evidence import Screenshot
from reports.models import Category, Report
from tests.factories import UserFactory
from triage.intake import DuplicateReport, report_submit
from triage.models import Case


def race(times: int, submit) -> list:
    """Run ``submit(i)`` in ``times`` threads released together; return each result or exception."""
    barrier = threading.Barrier(times)
    results: list = [None] * times

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = submit(index)
        except Exception as error:  # collected and asserted on below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_at_once_from_two_taps_stores_one_report(postgresql, reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    volunteer = UserFactory(role=Role.VOLUNTEER)
    race_category = Category.objects.get(slug="race")
    key = uuid.uuid4()
    results = race(
        4,
        lambda index: report_submit(
            reporter=volunteer, post_url="https://x.com/a/status/1", captured_text="same post",
            categories=[race_category], submission_key=key,
            screenshot=Screenshot(png=b"\x89PNG fake", width=1, height=1),
        ),
    )  # fmt: skip
    assert not [result for result in results if isinstance(result, Exception)], results
    assert sum(result.created for result in results) == 1
    assert len({result.report.pk for result in results}) == 1
    assert Report.objects.count() == 1 and Case.objects.count() == 1
    assert len(list(tmp_path.rglob("*.png"))) == 1, "the losers' screenshots are not left behind"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_post_sent_at_once_by_one_person_is_one_report_and_the_rest_are_told(postgresql, reference_data):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    race_category = Category.objects.get(slug="race")
    results = race(
        4,
        lambda index: report_submit(
            reporter=volunteer, post_url=f"https://x.com/a/status/2?utm_source={index}", captured_text="same post",
            categories=[race_category], submission_key=uuid.uuid4(),
        ),
    )  # fmt: skip
    created = [result for result in results if not isinstance(result, Exception)]
    assert len(created) == 1
    assert all(isinstance(result, DuplicateReport) for result in results if isinstance(result, Exception)), results
    assert Report.objects.count() == 1 and Case.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_many_people_reporting_one_post_at_once_share_one_case(postgresql, reference_data):
    volunteers = [UserFactory(role=Role.VOLUNTEER) for _ in range(4)]
    race_category = Category.objects.get(slug="race")
    results = race(
        4,
        lambda index: report_submit(
            reporter=volunteers[index], post_url="https://x.com/a/status/3", captured_text="same post",
            categories=[race_category],
        ),
    )  # fmt: skip
    assert not [result for result in results if isinstance(result, Exception)], results
    assert Case.objects.get().reporter_count == 4, "each joining report counted, none lost to a race"

"""The queue benchmark's seeding: cases and reports as report_submit would leave them."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from reports.models import Report
from triage.models import Case

pytestmark = pytest.mark.django_db


def test_seeding_leaves_cases_as_joining_reports_would(capsys):
    call_command("seed_queue_bench", cases=40, reports=100, volunteers=30)
    assert Case.objects.count() == 40 and Report.objects.count() == 100
    counted = dict(Report.objects.values_list("case").annotate(n=Count("reporter", distinct=True)))
    assert all(case.reporter_count == counted[case.pk] for case in Case.objects.all())
    for case in Case.objects.prefetch_related("reported_categories", "reports__categories")[:10]:
        tagged = {category for report in case.reports.all() for category in report.categories.all()}
        assert set(case.reported_categories.all()) == tagged
    assert not Case.objects.filter(status__in=Case.OPEN_STATUSES, priority_reasons=[]).exists()
    assert "reports 100 / 100" in capsys.readouterr().out, "progress is shown"


def test_seeding_refuses_a_database_that_holds_reports():
    call_command("seed_queue_bench", cases=5, reports=5, volunteers=5)
    with pytest.raises(CommandError, match="scratch database"):
        call_command("seed_queue_bench", cases=5, reports=5, volunteers=5)

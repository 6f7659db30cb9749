"""reports/migrations/0008: reports redacted before redaction cleared notes lose them; no other report does."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from reports.models import Report
from tests.factories import ReportFactory

migration = import_module("reports.migrations.0008_redacted_reports_lose_their_notes")


@pytest.mark.django_db
def test_only_redacted_reports_lose_their_notes():
    redacted = ReportFactory(notes="Posted by J. Smith, who says the same every day")
    Report.objects.filter(pk=redacted.pk).update(redacted_at=timezone.now())
    kept = ReportFactory(notes="Seen twice this week")

    migration.clear_notes(apps, None)

    notes = dict(Report.objects.values_list("pk", "notes"))
    assert notes == {redacted.pk: "", kept.pk: "Seen twice this week"}

"""Only an active volunteer may report now; until this release an applicant who had done the training could.
Every profile was made an applicant and stayed one, so each applicant who has reported, or has passed a module
that unlocks reporting (the induction; one now lapsed too: renewing it is training, not approval), is made active
here: nobody who could report yesterday is refused today. An applicant with neither could not report before and
waits for an admin, as a new volunteer does."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def activate(apps, schema_editor):
    profiles = apps.get_model("volunteers", "VolunteerProfile")
    records = apps.get_model("volunteers", "TrainingRecord")
    reports = apps.get_model("reports", "Report")
    profiles.objects.filter(status="applicant").filter(
        Q(Exists(records.objects.filter(volunteer_id=OuterRef("user_id"), passed=True, module__unlocks_reporting=True)))
        | Q(Exists(reports.objects.filter(reporter_id=OuterRef("user_id"))))
    ).update(status="active")


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0002_seed_modules"), ("reports", "0006_report_redacted_at")]

    operations = [migrations.RunPython(activate, migrations.RunPython.noop)]

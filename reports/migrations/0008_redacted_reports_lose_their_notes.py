"""Redaction under the retention schedule now clears the volunteer's notes too: volunteers often quote the post or
name who posted it there. Reports redacted before that lose their notes here, as they would have then."""

from django.db import migrations


def clear_notes(apps, schema_editor):
    apps.get_model("reports", "Report").objects.filter(redacted_at__isnull=False).exclude(notes="").update(notes="")


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_report_partner_organisation")]

    operations = [migrations.RunPython(clear_notes, migrations.RunPython.noop)]

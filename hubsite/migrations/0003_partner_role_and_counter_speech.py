"""The partner role (community organisations sending reports through the API),
counter-speech logging for volunteers, and the admins' hold on the force list."""

from django.db import migrations

from hubsite.migrations._grants import role_grants_add

GRANTS = {
    "partner": [("reports", "report", "submit_report_via_api", "Can send reports through the partner API")],
    "volunteer": [("reports", "counterspeech", "log_counter_speech", "Can log counter-speech")],
    "admin": [
        ("triage", "force", "add_force", "Can add force"),
        ("triage", "force", "change_force", "Can change force"),
        ("triage", "force", "view_force", "Can view force"),
        ("reports", "counterspeech", "view_counterspeech", "Can view counter speech"),
    ],
}


def grant(apps, schema_editor):
    role_grants_add(apps, GRANTS)


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="partner").delete()


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0002_roles"), ("reports", "0001_initial"), ("triage", "0001_initial")]
    operations = [migrations.RunPython(grant, revoke)]

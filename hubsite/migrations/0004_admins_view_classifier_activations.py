"""Admins see who activated which classifier version and when."""

from django.db import migrations

from hubsite.migrations._grants import role_grants_add, role_grants_remove

GRANTS = {
    "admin": [
        ("triage", "classifieractivation", "view_classifieractivation", "Can view classifier activation"),
    ],
}


def grant(apps, schema_editor):
    role_grants_add(apps, GRANTS)


def revoke(apps, schema_editor):
    role_grants_remove(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0003_partner_role_and_counter_speech"), ("triage", "0003_case_categories_activations")]
    operations = [migrations.RunPython(grant, revoke)]

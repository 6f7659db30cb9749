"""Admins keep the offence list and the liaison users' forces, and read referrals and timelines."""

from django.db import migrations

from hubsite.migrations._grants import role_grants_add, role_grants_remove

GRANTS = {
    "officer": [("triage", "case", "view_statistics", "Can see the Hub's statistics")],
    "admin": [
        ("triage", "case", "view_statistics", "Can see the Hub's statistics"),
        ("triage", "offence", "add_offence", "Can add offence"),
        ("triage", "offence", "change_offence", "Can change offence"),
        ("triage", "offence", "view_offence", "Can view offence"),
        ("triage", "forceliaison", "add_forceliaison", "Can add force liaison"),
        ("triage", "forceliaison", "change_forceliaison", "Can change force liaison"),
        ("triage", "forceliaison", "delete_forceliaison", "Can delete force liaison"),
        ("triage", "forceliaison", "view_forceliaison", "Can view force liaison"),
        ("triage", "referral", "view_referral", "Can view referral"),
        ("triage", "caseevent", "view_caseevent", "Can view case event"),
    ],
}


def grant(apps, schema_editor):
    role_grants_add(apps, GRANTS)


def revoke(apps, schema_editor):
    role_grants_remove(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0004_admins_view_classifier_activations"), ("triage", "0005_casework_data")]
    operations = [migrations.RunPython(grant, revoke)]

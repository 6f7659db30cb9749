"""Admins keep volunteers' profiles, the training modules and the training records."""

from django.db import migrations

from hubsite.migrations._grants import model_grants, role_grants_add, role_grants_remove

MODELS = [("volunteerprofile", "volunteer profile"), ("trainingmodule", "training module"), ("trainingrecord", "training record")]
GRANTS = {"admin": model_grants("volunteers", MODELS, ("add", "change", "view"))}


def grant(apps, schema_editor):
    role_grants_add(apps, GRANTS)


def revoke(apps, schema_editor):
    role_grants_remove(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0005_casework_permissions"), ("volunteers", "0002_seed_modules")]
    operations = [migrations.RunPython(grant, revoke)]

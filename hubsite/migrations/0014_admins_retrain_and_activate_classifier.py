"""Admins may start a retraining of the classifier, follow it, and activate a version from the admin
(triage/classifier_services.py); each of these is audited."""

from django.db import migrations

from hubsite.migrations._grants import role_grants_add, role_grants_remove

GRANTS = {
    "admin": [
        ("triage", "classifiertraining", "add_classifiertraining", "Can add classifier training"),
        ("triage", "classifiertraining", "view_classifiertraining", "Can view classifier training"),
        ("triage", "classifierversion", "activate_classifierversion", "Can make a classifier version the active one"),
    ],
}


def grant(apps, schema_editor):
    role_grants_add(apps, GRANTS)


def revoke(apps, schema_editor):
    role_grants_remove(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("hubsite", "0013_audit_classifier_training"),
        ("triage", "0014_classifiertraining"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

"""Admins may start a retraining of the classifier, follow it, and activate a version from the admin
(triage/classifier_services.py); each of these is audited."""

from django.db import migrations

GRANTS = [
    ("triage", "classifiertraining", "add_classifiertraining", "Can add classifier training"),
    ("triage", "classifiertraining", "view_classifiertraining", "Can view classifier training"),
    ("triage", "classifierversion", "activate_classifierversion", "Can make a classifier version the active one"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="admin")
    for app_label, model, codename, name in GRANTS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if group:
        codenames = [codename for _, _, codename, _ in GRANTS]
        group.permissions.remove(*apps.get_model("auth", "Permission").objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("hubsite", "0013_audit_classifier_training"),
        ("triage", "0014_classifiertraining"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

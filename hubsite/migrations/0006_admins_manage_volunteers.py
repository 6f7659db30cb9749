"""Admins keep volunteers' profiles, the training modules and the training records."""

from django.db import migrations

MODELS = [("volunteerprofile", "volunteer profile"), ("trainingmodule", "training module"), ("trainingrecord", "training record")]
ACTIONS = ("add", "change", "view")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="admin")
    for model, label in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="volunteers", model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {label}"}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if group:
        codenames = [f"{action}_{model}" for model, _ in MODELS for action in ACTIONS]
        group.permissions.remove(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0005_casework_permissions"), ("volunteers", "0002_seed_modules")]
    operations = [migrations.RunPython(grant, revoke)]

"""Admins see who activated which classifier version and when."""

from django.db import migrations

GRANTS = {
    "admin": [
        ("triage", "classifieractivation", "view_classifieractivation", "Can view classifier activation"),
    ],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for role, permissions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model, codename, name in permissions:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if group:
        group.permissions.remove(*Permission.objects.filter(codename="view_classifieractivation"))


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0003_partner_role_and_counter_speech"), ("triage", "0003_case_categories_activations")]
    operations = [migrations.RunPython(grant, revoke)]

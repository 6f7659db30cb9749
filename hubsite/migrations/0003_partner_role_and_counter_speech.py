"""The partner role (community organisations sending reports through the API),
counter-speech logging for volunteers, and the admins' hold on the force list."""

from django.db import migrations

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
    apps.get_model("auth", "Group").objects.filter(name="partner").delete()


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0002_roles"), ("reports", "0001_initial"), ("triage", "0001_initial")]
    operations = [migrations.RunPython(grant, revoke)]

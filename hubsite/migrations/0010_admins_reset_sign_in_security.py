"""Admins may see and remove people's authenticator devices and backup codes (a lost phone), and lift a
brute-force pause; each removal is audited (hubsite/admin_security.py)."""

from django.db import migrations

GRANTS = [
    ("otp_totp", "totpdevice", "TOTP device"),
    ("otp_static", "staticdevice", "static device"),
    ("axes", "accessattempt", "access attempt"),
]
ACTIONS = ("view", "delete")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="admin")
    for app_label, model, label in GRANTS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {label}"}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if group:
        codenames = [f"{action}_{model}" for _, model, _ in GRANTS for action in ACTIONS]
        group.permissions.remove(*apps.get_model("auth", "Permission").objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("hubsite", "0009_alter_auditevent_action"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

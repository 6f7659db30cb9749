"""Admins may see and remove people's authenticator devices and backup codes (a lost phone), and lift a
brute-force pause; each removal is audited (hubsite/admin_security.py)."""

from django.db import migrations

from hubsite.migrations._grants import model_grants, role_grants_add, role_grants_remove

ACTIONS = ("view", "delete")
GRANTS = {
    "admin": [
        *model_grants("otp_totp", [("totpdevice", "TOTP device")], ACTIONS),
        *model_grants("otp_static", [("staticdevice", "static device")], ACTIONS),
        *model_grants("axes", [("accessattempt", "access attempt")], ACTIONS),
    ],
}


def grant(apps, schema_editor):
    role_grants_add(apps, GRANTS)


def revoke(apps, schema_editor):
    role_grants_remove(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("hubsite", "0009_alter_auditevent_action"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

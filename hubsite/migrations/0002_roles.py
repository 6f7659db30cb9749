"""Create the four roles as groups with their permissions.

Permissions are normally created after all migrations have run, so this
migration creates the ones it needs itself (the later automatic pass finds
them present and leaves them alone).
"""

from django.db import migrations

from hubsite.migrations._grants import role_grants_add

ROLE_PERMISSIONS = {
    "volunteer": [("reports", "report", "submit_report", "Can report a post")],
    "officer": [("triage", "case", "work_queue", "Can work the officers' queue and read cases")],
    "liaison": [("triage", "case", "liaise_for_force", "Can act as a force's liaison for referrals")],
    "admin": [
        ("hubsite", "user", "add_user", "Can add user"),
        ("hubsite", "user", "change_user", "Can change user"),
        ("hubsite", "user", "view_user", "Can view user"),
        ("auth", "group", "view_group", "Can view group"),
        ("reports", "category", "add_category", "Can add category"),
        ("reports", "category", "change_category", "Can change category"),
        ("reports", "category", "view_category", "Can view category"),
        ("reports", "report", "view_report", "Can view report"),
        ("triage", "case", "view_case", "Can view case"),
        ("triage", "classifierversion", "view_classifierversion", "Can view classifier version"),
    ],
}


def create_roles(apps, schema_editor):
    role_grants_add(apps, ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hubsite", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
        ("triage", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]

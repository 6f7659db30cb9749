"""Admins keep the offence list and the liaison users' forces, and read referrals and timelines."""

from django.db import migrations

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
        codenames = [codename for _, _, codename, _ in GRANTS["admin"]]
        group.permissions.remove(*Permission.objects.filter(codename__in=codenames))
    officer = apps.get_model("auth", "Group").objects.filter(name="officer").first()
    if officer:
        officer.permissions.remove(*Permission.objects.filter(codename="view_statistics"))


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0004_admins_view_classifier_activations"), ("triage", "0005_casework_data")]
    operations = [migrations.RunPython(grant, revoke)]

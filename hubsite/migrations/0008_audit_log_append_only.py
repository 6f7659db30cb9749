"""The audit log is append-only in PostgreSQL itself, and admins may read it.

The trigger refuses any UPDATE, and any DELETE unless the retention purge has
set hub.audit_purge for its own transaction (hubsite.audit.audit_purge).
"""

from django.db import migrations

# "%%" because the statement goes through the driver's parameter formatting, which turns it into "%".
FORBID_CHANGES = """
CREATE OR REPLACE FUNCTION hubsite_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('hub.audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: %% refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER hubsite_auditevent_append_only
    BEFORE UPDATE OR DELETE ON hubsite_auditevent
    FOR EACH ROW EXECUTE FUNCTION hubsite_auditevent_append_only();
"""
ALLOW_CHANGES = """
DROP TRIGGER IF EXISTS hubsite_auditevent_append_only ON hubsite_auditevent;
DROP FUNCTION IF EXISTS hubsite_auditevent_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID_CHANGES)


def allow_changes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_CHANGES)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="hubsite", model="auditevent")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_auditevent", defaults={"name": "Can view audit event"}
    )
    Group.objects.get_or_create(name="admin")[0].permissions.add(permission)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if group:
        group.permissions.remove(*apps.get_model("auth", "Permission").objects.filter(codename="view_auditevent"))


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0007_audit_log")]
    operations = [migrations.RunPython(append_only, allow_changes), migrations.RunPython(grant, revoke)]

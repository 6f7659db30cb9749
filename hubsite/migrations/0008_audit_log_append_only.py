"""The audit log is append-only in PostgreSQL itself, and admins may read it.

The trigger refuses any UPDATE, and any DELETE unless the retention purge has
set hub.audit_purge for its own transaction (hubsite.audit.audit_purge).
"""

from django.db import migrations

from hubsite.migrations._grants import role_grants_add, role_grants_remove

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
GRANTS = {"admin": [("hubsite", "auditevent", "view_auditevent", "Can view audit event")]}


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID_CHANGES)


def allow_changes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_CHANGES)


def grant(apps, schema_editor):
    role_grants_add(apps, GRANTS)


def revoke(apps, schema_editor):
    role_grants_remove(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0007_audit_log")]
    operations = [migrations.RunPython(append_only, allow_changes), migrations.RunPython(grant, revoke)]

"""Admins keep partner organisations and issue and revoke their API tokens; the plain-text tokens go.

DRF's ``authtoken`` table kept each token as it is sent, so anyone who could read the database or a backup of
it could act as a partner. Those tokens are not carried over into the hashed ones: their text has sat in the
database and its backups, so it cannot be trusted as a secret any more. The table is dropped and the
partners are issued new tokens (docs/partners.md says so).
"""

from django.db import migrations

from hubsite.migrations._grants import model_grants, role_grants_add, role_grants_remove

MODELS = [("partnerorganisation", "partner organisation"), ("partnertoken", "partner token")]
GRANTS = {"admin": model_grants("hubsite", MODELS, ("add", "change", "view"))}
PLAIN_TOKENS = "authtoken_token"


def grant(apps, schema_editor):
    role_grants_add(apps, GRANTS)


def revoke(apps, schema_editor):
    role_grants_remove(apps, GRANTS)


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if PLAIN_TOKENS not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(PLAIN_TOKENS)}")
        # So that Django does not take the app's table for present should the app ever be installed again.
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0015_partner_organisations_and_tokens")]
    operations = [
        migrations.RunPython(grant, revoke),
        # One way: the old tokens' text is gone with the table and cannot come back.
        migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop),
    ]

"""Usernames are unique ignoring case, as the database now enforces.

Accounts that already differ only in capitals would stop the constraint being made: the migration names them
and stops first, so an admin can rename one of each pair and run it again, rather than read a bare database
error.
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def refuse_clashing_usernames(apps, schema_editor):
    User = apps.get_model("hubsite", "User")
    clashes = (
        User.objects.annotate(folded=Lower("username"))
        .values("folded")
        .annotate(accounts=models.Count("pk"))
        .filter(accounts__gt=1)
        .values_list("folded", flat=True)
    )
    clashing = sorted(clashes)
    if clashing:
        raise RuntimeError(
            "Some accounts have usernames that differ only in capitals; rename one of each, then migrate again: "
            + ", ".join(clashing)
        )


class Migration(migrations.Migration):
    dependencies = [("hubsite", "0017_signed_in_sessions_and_account_audit")]

    operations = [
        migrations.RunPython(refuse_clashing_usernames, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                Lower("username"),
                name="hubsite_user_username_unique_ignoring_case",
                violation_error_message="That username is taken (perhaps in other capitals): choose another.",
            ),
        ),
    ]

"""case_open_facts_idx becomes a CoveringIndex (hubsite/indexes.py): the same index on every database, declared
so that SQLite runs no longer warn (models.W040) that it has no INCLUDE columns.

Only Django's record of the model changes: PostgreSQL already has the index with its INCLUDE columns, SQLite
already has it without them, and CoveringIndex creates exactly that, so the database is left as it is.
"""

from django.db import migrations, models

import hubsite.indexes

OPEN = ("new", "info_requested", "reported_to_platform")
COVERING = (
    "platform",
    "claimed_by",
    "threat_of_violence",
    "incitement",
    "doxxing",
    "targets_individual",
    "target_is_child",
)


class Migration(migrations.Migration):
    dependencies = [("triage", "0011_referral_outcomes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="case", name="case_open_facts_idx"),
                migrations.AddIndex(
                    model_name="case",
                    index=hubsite.indexes.CoveringIndex(
                        condition=models.Q(("status__in", OPEN)),
                        covering=COVERING,
                        fields=["score"],
                        name="case_open_facts_idx",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]

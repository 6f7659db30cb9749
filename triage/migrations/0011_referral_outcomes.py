from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("triage", "0010_case_merge")]

    operations = [
        # Set when the event is written; adding the column with its default rewrites no row, so the
        # append-only trigger on the timeline is not involved.
        migrations.AddField(
            model_name="caseevent",
            name="for_force",
            field=models.BooleanField(default=False, verbose_name="shared with the force"),
        ),
        migrations.AddField(
            model_name="referral",
            name="outcome_group",
            field=models.CharField(
                blank=True,
                choices=[
                    ("charged", "Charged or summonsed"),
                    ("caution", "Caution"),
                    ("community_resolution", "Community resolution"),
                    ("penalty_notice", "Penalty notice"),
                    ("taken_into_consideration", "Taken into consideration"),
                    ("not_in_public_interest", "Not in the public interest"),
                    ("evidential_difficulties", "Evidential difficulties"),
                    ("suspect_not_identified", "Suspect not identified"),
                    ("transferred", "Transferred to another force"),
                    ("ongoing", "Investigation ongoing"),
                ],
                max_length=24,
            ),
        ),
    ]

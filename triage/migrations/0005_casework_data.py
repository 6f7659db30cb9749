"""Fill the new case columns from existing reports, seed the offence list, and make the
timeline append-only in PostgreSQL itself.

The trigger refuses UPDATE and DELETE of any timeline row, whatever code sends them.
TRUNCATE is left to the table's owner (the test runner empties tables with it).
"""

from django.db import migrations
from django.db.models import Count, Exists, OuterRef

SEVERITY_FLAGS = ("threat_of_violence", "incitement", "doxxing", "targets_individual", "target_is_child")

OFFENCES = [
    ("poa-part-3", "Public Order Act 1986, Part 3: stirring up racial hatred"),
    ("poa-part-3a", "Public Order Act 1986, Part 3A: stirring up hatred on grounds of religion or sexual orientation"),
    ("mca-s1", "Malicious Communications Act 1988, s.1"),
    ("ca-s127", "Communications Act 2003, s.127"),
    ("pha-1997", "Protection from Harassment Act 1997"),
    ("cda-aggravated", "Crime and Disorder Act 1998: racially or religiously aggravated offence"),
    ("osa-threatening", "Online Safety Act 2023: threatening communications"),
]

# "%%" because the statement goes through the driver's parameter formatting, which turns it into "%".
FORBID_CHANGES = """
CREATE OR REPLACE FUNCTION triage_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case events are append-only: %% refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER triage_caseevent_append_only
    BEFORE UPDATE OR DELETE ON triage_caseevent
    FOR EACH ROW EXECUTE FUNCTION triage_caseevent_append_only();
"""
ALLOW_CHANGES = """
DROP TRIGGER IF EXISTS triage_caseevent_append_only ON triage_caseevent;
DROP FUNCTION IF EXISTS triage_caseevent_append_only();
"""


def backfill(apps, schema_editor):
    Case = apps.get_model("triage", "Case")
    Report = apps.get_model("reports", "Report")
    for case in Case.objects.annotate(
        reporters=Count("reports__reporter", distinct=True),
        **{f"any_{flag}": Exists(Report.objects.filter(case=OuterRef("pk"), **{flag: True})) for flag in SEVERITY_FLAGS},
    ).iterator():
        first = Report.objects.filter(case=case).order_by("created_at").first()
        last = Report.objects.filter(case=case).order_by("-created_at").first()
        Case.objects.filter(pk=case.pk).update(
            reporter_count=case.reporters,
            platform=first.platform if first else "",
            last_reported_at=last.created_at if last else None,
            **{flag: getattr(case, f"any_{flag}") for flag in SEVERITY_FLAGS},
        )


def seed_offences(apps, schema_editor):
    Offence = apps.get_model("triage", "Offence")
    for position, (slug, name) in enumerate(OFFENCES):
        Offence.objects.get_or_create(slug=slug, defaults={"name": name, "position": position * 10})


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID_CHANGES)


def allow_changes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_CHANGES)


class Migration(migrations.Migration):
    dependencies = [("triage", "0004_casework"), ("reports", "0004_report_category_scores_explanation")]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(seed_offences, migrations.RunPython.noop),
        migrations.RunPython(append_only, allow_changes),
    ]

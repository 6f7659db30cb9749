from django.conf import settings
from django.core.management.base import BaseCommand

from triage.retention import reports_due_for_redaction, retention_apply


class Command(BaseCommand):
    help = (
        "Redact the text, handle and screenshot of reports whose case closed longer ago than the retention "
        "schedule allows (RETENTION_DISMISSED_DAYS, RETENTION_PLATFORM_DAYS, RETENTION_REFERRED_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say how many are due; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        self.stdout.write(
            f"Schedule: dismissed or no further action {settings.RETENTION_DISMISSED_DAYS} days, removed by the "
            f"platform {settings.RETENTION_PLATFORM_DAYS} days, referred {settings.RETENTION_REFERRED_DAYS} days."
        )
        due = reports_due_for_redaction().count()
        if dry_run:
            self.stdout.write(f"{due} reports are due for redaction; nothing changed (--dry-run).")
            return

        def progress(done: int, total: int) -> None:
            if done == total or done % 100 == 0:
                self.stdout.write(f"  redacted {done:,} of {total:,}")

        redacted = retention_apply(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Redacted {redacted} reports; each is on its case's timeline and in the audit log.")
        )

"""Queue again every report still waiting for a score (what beat's sweep does every few minutes)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from triage.tasks import reports_requeue_unscored


class Command(BaseCommand):
    help = "Queue for scoring the reports still unscored after a while (default: SCORING_REQUEUE_AFTER_MINUTES)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=int(settings.SCORING_REQUEUE_AFTER.total_seconds() // 60),
            help="Only reports saved at least this many minutes ago (0: all of them).",
        )

    def handle(self, *args, older_than_minutes: int, **options) -> None:
        queued = reports_requeue_unscored(older_than=timedelta(minutes=older_than_minutes))
        self.stdout.write(f"Queued {queued} unscored report{'s' if queued != 1 else ''} for scoring.")

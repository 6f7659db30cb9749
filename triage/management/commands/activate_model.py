"""Switch the active classifier version, atomically; running workers pick it up for their next report."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.models import ClassifierVersion


class Command(BaseCommand):
    help = (
        "Make a stored model version the active one. A version that measures worse than the active one "
        "on the dev measures (Stormfront, Davidson, ToxiGen, the functional suite) is refused unless --force "
        "is given with a --reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", nargs="?", help="The version to activate.")
        parser.add_argument("--list", action="store_true", help="List the stored versions and stop.")
        parser.add_argument("--force", action="store_true", help="Activate even if it measures worse.")
        parser.add_argument("--reason", default="", help="Why; required with --force, kept in the history.")

    def handle(self, *args, version: str | None, list: bool, force: bool, reason: str, **options) -> None:
        from triage.classifier.registry import ActivationRefused, activate_version

        if list or not version:
            self._list()
            if not version and not list:
                raise CommandError("Name the version to activate: manage.py activate_model VERSION.")
            return
        if force and not reason.strip():
            raise CommandError("--force needs a --reason, kept in the activation history.")
        self.stdout.write(f"Checking {version} against the active model on the dev measures...")
        try:
            record = activate_version(version, by=getpass.getuser(), force=force, reason=reason.strip())
        except ActivationRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Model {record.version} is now active."))

    def _list(self) -> None:
        for record in ClassifierVersion.objects.order_by("-created_at"):
            functional = record.functional
            self.stdout.write(
                f"{'*' if record.is_active else ' '} {record.version}  {record.feature_set:<16} "
                f"held-out ROC-AUC {record.held_out.get('hateful', {}).get('roc_auc', 'n/a')}  "
                f"functional macro-F1 {functional.get('macro_f1', 'n/a')}  by {record.trained_by or '?'}"
            )

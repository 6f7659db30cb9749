import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from wiring.subject_access import volunteer_subject_access


class Command(BaseCommand):
    help = "Write everything the Hub holds about one volunteer to a JSON file (a subject access request)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--output", help="Where to write it (default: subject-access-<username>.json).")

    def handle(self, *args, username: str, output: str | None, **options):
        volunteer = get_user_model().objects.filter(username=username).first()
        if volunteer is None:
            raise CommandError(f"No one has the username {username!r}: check the spelling in the admin's user list.")
        path = Path(output or f"subject-access-{username}.json")
        held = volunteer_subject_access(volunteer)
        path.write_text(json.dumps(held, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path}: {len(held['reports'])} reports, {len(held['training'])} training records, "
                f"{len(held['audit_log'])} audit entries. The export is recorded in the audit log."
            )
        )

from django.conf import settings
from django.core.management.base import BaseCommand

from hubsite.audit import audit_purge


class Command(BaseCommand):
    help = "Remove audit-log entries older than AUDIT_RETENTION_DAYS (the purge itself is recorded)."

    def handle(self, *args, **options):
        self.stdout.write(f"Removing audit entries older than {settings.AUDIT_RETENTION_DAYS} days...")
        removed = audit_purge()
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} audit entries."))

"""Periodic housekeeping of the Hub itself."""

import logging
from datetime import timedelta

from django.conf import settings

from hubsite.audit import audit_purge
from hubsite.periodic import periodic_job

logger = logging.getLogger(__name__)


@periodic_job(
    lock="purge-audit-log",
    queue=settings.HOUSEKEEPING_QUEUE,
    soft_time_limit=timedelta(minutes=55),
    time_limit=timedelta(hours=1),
)
def purge_audit_log() -> None:
    """Remove audit entries past their retention."""
    removed = audit_purge()
    logger.info("Removed %s audit entries past their retention", removed)

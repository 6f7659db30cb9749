"""Periodic housekeeping of the Hub itself."""

import logging

from celery import shared_task

from hubsite.audit import audit_purge
from hubsite.locks import run_alone

logger = logging.getLogger(__name__)


@shared_task
def purge_audit_log() -> None:
    """Remove audit entries past their retention. One run at a time across workers."""
    with run_alone("purge-audit-log", timeout=3600) as mine:
        if not mine:
            logger.info("Another audit purge is running; skipping this one")
            return
        removed = audit_purge()
    logger.info("Removed %s audit entries past their retention", removed)

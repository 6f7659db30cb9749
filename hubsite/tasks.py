"""Periodic housekeeping of the Hub itself."""

import logging

from celery import shared_task
from django.core.cache import cache

from hubsite.audit import audit_purge

logger = logging.getLogger(__name__)


@shared_task
def purge_audit_log() -> None:
    """Remove audit entries past their retention. One run at a time across workers."""
    if not cache.add("lock:purge-audit-log", "held", timeout=3600):
        logger.info("Another audit purge is running; skipping this one")
        return
    try:
        removed = audit_purge()
    finally:
        cache.delete("lock:purge-audit-log")
    logger.info("Removed %s audit entries past their retention", removed)

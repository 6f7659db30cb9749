"""Periodic housekeeping of volunteers' data."""

import logging

from celery import shared_task
from django.conf import settings

from volunteers.services import import_uploads_purge

logger = logging.getLogger(__name__)


@shared_task
def purge_abandoned_imports() -> None:
    """Delete training files uploaded for an import that was never confirmed."""
    removed = import_uploads_purge(older_than=settings.IMPORT_UPLOAD_MAX_AGE)
    if removed:
        logger.info("Deleted %s uploaded training files never imported", removed)

"""Periodic housekeeping of volunteers' data."""

import logging
from datetime import timedelta

from django.conf import settings

from hubsite.periodic import periodic_job
from volunteers.services import import_uploads_purge

logger = logging.getLogger(__name__)


@periodic_job(
    lock="purge-abandoned-imports",
    queue=settings.HOUSEKEEPING_QUEUE,
    soft_time_limit=timedelta(minutes=4),
    time_limit=timedelta(minutes=5),
)
def purge_abandoned_imports() -> None:
    """Delete training files uploaded for an import that was never confirmed."""
    removed = import_uploads_purge(older_than=settings.IMPORT_UPLOAD_MAX_AGE)
    if removed:
        logger.info("Deleted %s uploaded training files never imported", removed)

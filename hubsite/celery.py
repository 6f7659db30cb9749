"""The Hub's Celery application; configuration comes from Django settings."""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubsite.settings")

app = Celery("hubsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@worker_process_init.connect
def load_the_active_model(**kwargs) -> None:
    """Load the active model as each worker process starts, so the first reports after a start or restart do
    not wait seconds for it. A model that cannot be loaded is logged here and handled when a report comes."""
    from django.db import connections

    from triage.classifier.registry import active_scorer

    try:
        active_scorer()
    except Exception:  # noqa: BLE001 (a worker must start whatever the model's state; scoring reports it)
        logger.warning("The active model could not be loaded at start; reports wait until it can", exc_info=True)
    finally:
        connections.close_all()

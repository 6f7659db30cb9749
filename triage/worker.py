"""What a Celery worker process does as it starts: load the active scoring model. Connected to Celery's
``worker_process_init`` by ``TriageConfig.ready``."""

from __future__ import annotations

import logging
import threading

from django.db import connections

from triage.classifier.registry import active_scorer

logger = logging.getLogger(__name__)


def warm_up_model() -> None:
    """Load the active model into this process. A model that cannot be loaded is logged here and handled when
    a report comes. Uses, then closes, a database connection of its own thread."""
    try:
        active_scorer()
    except Exception:  # noqa: BLE001 (a worker must start whatever the model's state; scoring reports it)
        logger.warning("The active model could not be loaded at start; reports wait until it can", exc_info=True)
    finally:
        connections.close_all()


def load_the_active_model(**kwargs) -> threading.Thread:
    """Each worker process loads the active model as it starts, so the first reports after a start or restart
    do not wait seconds for it. In a thread: a pool process must report itself up within seconds, whatever
    the model's size or the database's answer time; a report that comes meanwhile waits for this load."""
    loader = threading.Thread(target=warm_up_model, name="load-model", daemon=True)
    loader.start()
    return loader

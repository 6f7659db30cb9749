"""The Hub's Celery application; configuration comes from Django settings. Each app connects its own worker
hooks (triage/worker.py loads the scoring model as a worker process starts)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubsite.settings")

app = Celery("hubsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

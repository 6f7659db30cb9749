from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage"

    def ready(self):
        from celery.signals import worker_process_init

        from triage import checks  # noqa: F401 (registers the system checks)
        from triage.worker import load_the_active_model

        worker_process_init.connect(load_the_active_model, dispatch_uid="triage-load-the-active-model")

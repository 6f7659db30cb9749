from django.apps import AppConfig


class WiringConfig(AppConfig):
    name = "wiring"
    verbose_name = "Wiring"

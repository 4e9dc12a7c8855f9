from __future__ import annotations

from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "nabij.web.monitor"
    label = "monitor"
    verbose_name = "Monitor: doelen en toelichtingen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nabij.web.monitor import hooks, perms  # noqa: F401 - perms registers rules
        from nabij.web.regio import registry

        registry.add_monitor(hooks.with_targets_and_notes)

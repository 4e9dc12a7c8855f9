from __future__ import annotations

from django.apps import AppConfig


class OverlegConfig(AppConfig):
    name = "nabij.web.overleg"
    label = "overleg"
    verbose_name = "Resultaatverplichtend overleg"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nabij.web.overleg import hooks, perms  # noqa: F401 - perms registers rules
        from nabij.web.regio import registry

        registry.add_panel(hooks.region_panel, order=10)
        registry.add_aggregates(hooks.region_counts)
        registry.add_search(hooks.search)

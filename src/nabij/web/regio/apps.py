from __future__ import annotations

from django.apps import AppConfig


class RegioConfig(AppConfig):
    name = "nabij.web.regio"
    label = "regio"
    verbose_name = "Regio's en partijen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nabij.web.regio import perms  # noqa: F401 - registers the rules permissions

from __future__ import annotations

from django.apps import AppConfig


class CasusConfig(AppConfig):
    name = "nabij.web.casus"
    label = "casus"
    verbose_name = "Loket: zaken, thuiszitters en vrijstellingen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nabij.web.casus import demo, hooks, perms, returns  # noqa: F401 - perms: rules
        from nabij.web.regio import registry
        from nabij.web.regio.access import register_area
        from nabij.web.regio.roles import Role

        register_area("casus", {Role.REGIOCOORDINATOR, Role.LOKET, Role.DEELNEMER})
        registry.add_panel(hooks.region_panel, order=20)
        registry.add_aggregates(hooks.region_counts)
        registry.add_search(hooks.search)
        registry.add_demo(demo.load_demo_cases)
        registry.add_register(returns.monitor_feed)
        registry.add_nav("Loket", "casus:home")

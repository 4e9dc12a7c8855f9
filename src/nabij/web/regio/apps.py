from __future__ import annotations

from django.apps import AppConfig


def quiet_last_login(sender, user, **kwargs) -> None:
    """Django's ``update_last_login`` without a history record: a login is not a change of
    the user (the user history records what an administrator changed)."""
    from django.utils import timezone

    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)


class RegioConfig(AppConfig):
    name = "nabij.web.regio"
    label = "regio"
    verbose_name = "Regio's en partijen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from nabij.web.regio import perms  # noqa: F401 - registers the rules permissions

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(quiet_last_login, dispatch_uid="update_last_login")

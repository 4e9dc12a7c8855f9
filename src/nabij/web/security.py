"""Security headers and login throttling."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline scripts/styles, no framing) and Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def client_address(request: HttpRequest) -> str:
    """The peer address (no X-Forwarded-For trust: the app serves on loopback)."""
    return request.META.get("REMOTE_ADDR", "") or "onbekend"


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form that refuses after too many recent failures for the user name or
    the address, and records each failure (``regio.LoginFailure``)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Onjuiste gebruikersnaam of wachtwoord.",
        "inactive": "Dit account is niet actief.",
        "throttled": "Te veel mislukte inlogpogingen. Probeer het over %(minutes)s minuten "
                     "opnieuw.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # no autofocus: keyboard users start at the skip link like on every other page
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].label = "Gebruikersnaam"
        self.fields["password"].label = "Wachtwoord"

    def clean(self):
        from nabij.web.regio.models import LoginFailure

        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = client_address(self.request) if self.request else ""
        since = timezone.now() - timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
        recent = LoginFailure.objects.filter(at__gte=since)
        if (recent.filter(username=username).count() >= settings.LOGIN_MAX_FAILURES
                or recent.filter(address=address).count() >= 4 * settings.LOGIN_MAX_FAILURES):
            raise ValidationError(self.error_messages["throttled"], code="throttled",
                                  params={"minutes": settings.LOGIN_WINDOW_SECONDS // 60})
        try:
            return super().clean()
        except ValidationError:
            LoginFailure.objects.create(username=username[:150], address=address[:64])
            raise


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its error in Dutch (Django 5.2's Dutch catalogue lacks
    this message; the other validators are translated)."""

    def get_error_message(self) -> str:
        return f"Dit wachtwoord is te kort: gebruik minstens {self.min_length} tekens."

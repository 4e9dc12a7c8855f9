"""URL configuration. Every pattern here needs an entry in the access matrix
(``tests/web/matrix_*.py``); the matrix test fails for a pattern without one."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from nabij.web.regio import urls as regio_urls
from nabij.web.regio import views as regio_views
from nabij.web.security import ThrottledAuthenticationForm

urlpatterns = [
    path("", regio_views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(
        authentication_form=ThrottledAuthenticationForm,
        redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("zoeken/", regio_views.search, name="zoeken"),
    path("regio/", include("nabij.web.regio.urls")),
    path("gebruikers/", include(regio_urls.user_patterns)),
    path("", include("nabij.web.overleg.urls")),
]

# Apps of other modules mount themselves when installed (see settings.INSTALLED_APPS).
for _app, _prefix in (("nabij.web.casus", "casus/"), ("nabij.web.monitor", "monitor/")):
    try:
        __import__(_app + ".urls")
    except ModuleNotFoundError:
        continue
    urlpatterns.append(path(_prefix, include(_app + ".urls")))

handler403 = "nabij.web.errors.forbidden"
handler404 = "nabij.web.errors.not_found"

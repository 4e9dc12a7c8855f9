from __future__ import annotations

from django.urls import path

from nabij.web.regio import members, views

app_name = "regio"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("<int:pk>/", views.region_detail, name="detail"),
    path("<int:pk>/partijen/", views.parties, name="parties"),
    path("<int:pk>/historie/", views.history, name="history"),
    path("<int:pk>/leden/", members.region_members, name="members"),
]

user_patterns = ([
    path("", members.user_list, name="list"),
    path("nieuw/", members.user_new, name="new"),
    path("historie/", members.user_history, name="history"),
    path("<int:pk>/", members.user_detail, name="detail"),
    path("<int:pk>/actief/", members.user_active, name="active"),
    path("<int:pk>/wachtwoord/", members.user_reset, name="reset"),
    path("lidmaatschap/<int:pk>/rol/", members.membership_role, name="membership_role"),
    path("lidmaatschap/<int:pk>/beeindigen/", members.membership_end, name="membership_end"),
    path("activeren/<uidb64>/<token>/", members.Activate.as_view(), name="activate"),
], "gebruikers")
"""User management, mounted at ``/gebruikers/`` (namespace ``gebruikers``); entries in the
access matrix: ``tests/web/matrix_users.py``."""

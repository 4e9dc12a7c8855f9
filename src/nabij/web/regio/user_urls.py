"""URLs of user management (``/gebruikers/``). Every pattern has an access-matrix entry in
``tests/web/matrix_users.py``."""

from __future__ import annotations

from django.urls import path

from nabij.web.regio import members

app_name = "gebruikers"
urlpatterns = [
    path("", members.user_list, name="list"),
    path("nieuw/", members.user_new, name="new"),
    path("historie/", members.user_history, name="history"),
    path("<int:pk>/", members.user_detail, name="detail"),
    path("<int:pk>/actief/", members.user_active, name="active"),
    path("<int:pk>/wachtwoord/", members.user_reset, name="reset"),
    path("lidmaatschap/<int:pk>/rol/", members.membership_role, name="membership_role"),
    path("lidmaatschap/<int:pk>/beeindigen/", members.membership_end, name="membership_end"),
    path("activeren/<uidb64>/<token>/", members.Activate.as_view(), name="activate"),
]

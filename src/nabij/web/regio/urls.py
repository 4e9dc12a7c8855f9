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

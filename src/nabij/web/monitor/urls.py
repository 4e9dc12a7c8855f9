from __future__ import annotations

from django.urls import path

from nabij.web.monitor import views

app_name = "monitor"
urlpatterns = [
    path("regio/<int:rpk>/", views.region_monitor, name="region"),
    path("regio/<int:rpk>/doel/nieuw/", views.target_new, name="target_new"),
    path("regio/<int:rpk>/doelen.csv", views.targets_download, name="targets_csv"),
    path("regio/<int:rpk>/toelichting/nieuw/", views.note_new, name="note_new"),
    path("doel/<int:pk>/wijzigen/", views.target_edit, name="target_edit"),
    path("doel/<int:pk>/beeindigen/", views.target_end, name="target_end"),
]

from __future__ import annotations

from django.urls import path

from nabij.web.overleg import views

app_name = "overleg"
urlpatterns = [
    path("regio/<int:rpk>/overleg/", views.register, name="register"),
    path("regio/<int:rpk>/vergaderingen/nieuw/", views.meeting_new, name="meeting_new"),
    path("regio/<int:rpk>/visie/nieuw/", views.vision_new, name="vision_new"),
    path("regio/<int:rpk>/afspraken/nieuw/", views.agreement_new, name="agreement_new"),
    path("regio/<int:rpk>/afspraken.xlsx", views.agreements_xlsx, name="agreements_xlsx"),
    path("api/regio/<int:rpk>/afspraken/", views.agreements_api, name="agreements_api"),
    path("vergadering/<int:pk>/", views.meeting_detail, name="meeting"),
    path("vergadering/<int:pk>/bewerken/", views.meeting_edit, name="meeting_edit"),
    path("vergadering/<int:pk>/agendapunt/", views.item_new, name="item_new"),
    path("vergadering/<int:pk>/agenda/", views.meeting_print, {"part": "agenda"},
         name="agenda_print"),
    path("vergadering/<int:pk>/verslag/", views.meeting_print, {"part": "verslag"},
         name="minutes_print"),
    path("afspraak/<int:pk>/", views.agreement_detail, name="agreement"),
    path("afspraak/<int:pk>/bewerken/", views.agreement_edit, name="agreement_edit"),
    path("afspraak/<int:pk>/status/", views.agreement_status, name="agreement_status"),
    path("afspraak/<int:pk>/escaleren/", views.agreement_escalate, name="agreement_escalate"),
]

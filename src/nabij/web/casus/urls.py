from __future__ import annotations

from django.urls import path

from nabij.web.casus import views

app_name = "casus"
urlpatterns = [
    path("", views.home, name="home"),
    path("regio/<int:rpk>/", views.case_list, name="list"),
    path("regio/<int:rpk>/zaken.csv", views.case_list_csv, name="list_csv"),
    path("regio/<int:rpk>/nieuw/", views.case_new, name="new"),
    path("regio/<int:rpk>/inlezen/", views.case_import, name="import"),
    path("regio/<int:rpk>/doorbraakbudget/", views.ledger, name="ledger"),
    path("regio/<int:rpk>/leeslog/", views.readlog, name="readlog"),
    path("regio/<int:rpk>/doorzettingsmacht/", views.desk, name="desk"),
    path("regio/<int:rpk>/vernietiging/", views.destruction, name="destruction"),
    path("regio/<int:rpk>/tellingen/", views.exports_page, name="exports"),
    path("regio/<int:rpk>/leerplichttelling/", views.leerplicht_export,
         name="leerplicht_export"),
    path("regio/<int:rpk>/inspectie/", views.inspectie_export, name="inspectie_export"),
    path("zaak/<int:pk>/", views.case_detail, name="detail"),
    path("zaak/<int:pk>/status/", views.case_status, name="status"),
    path("zaak/<int:pk>/advies/", views.case_advice, name="advice"),
    path("zaak/<int:pk>/besluit/", views.case_decision, name="decision"),
    path("zaak/<int:pk>/voorleggen/", views.case_escalate, name="escalate"),
    path("zaak/<int:pk>/beslissing/", views.case_ruling, name="ruling"),
    path("zaak/<int:pk>/doorbraak/", views.case_spend, name="spend"),
    path("zaak/<int:pk>/document/", views.case_document, name="document"),
    path("vernietiging/<int:pk>/goedkeuren/", views.destruction_approve,
         name="destruction_approve"),
    path("vernietiging/<int:pk>/uitvoeren/", views.destruction_execute,
         name="destruction_execute"),
]

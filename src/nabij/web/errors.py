"""Dutch error pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import render


def forbidden(request: HttpRequest, exception=None):
    return render(request, "fout.html", {"title": "Geen toegang", "text":
                  "U hebt geen toegang tot deze pagina of handeling."}, status=403)


def not_found(request: HttpRequest, exception=None):
    return render(request, "fout.html", {"title": "Niet gevonden", "text":
                  "Deze pagina bestaat niet, of u hebt er geen toegang toe."}, status=404)

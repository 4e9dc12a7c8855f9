"""A small hand-made world for the web tests: two regions, one user per role in the first.

Markers: every object of region X that only overleg members may see carries ``GEHEIM-X`` in a
visible text; the region names carry ``Regio-X``. The access tests assert that no response
shows a marker the user is not entitled to. Other apps add their own objects via a
``populate(world)`` function in their ``tests/web/matrix_*.py`` module.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from datetime import date, timedelta

ROLES = ("anoniem", "beheerder", "regiocoordinator", "deelnemer", "lezer", "loket")


@dataclass
class RegionObjects:
    region: object
    swv: object
    gemeente: object
    meeting: object
    item: object
    agreement: object
    escalation: object
    vision: object
    extra: dict = field(default_factory=dict)


@dataclass
class World:
    division: object
    regions: dict[str, RegionObjects]
    users: dict[str, object]
    created: list = field(default_factory=list)

    def delete(self) -> None:
        from django.contrib.auth import get_user_model

        from nabij.web.regio.models import Division, Organisation

        get_user_model().objects.filter(pk__in=[u.pk for u in self.users.values()]).delete()
        Division.objects.filter(pk=self.division.pk).delete()
        Organisation.objects.filter(name__startswith="Test-").delete()


def matrix_modules() -> list:
    """Every ``tests/web/matrix_*.py`` module (core and other apps)."""
    pkg = importlib.import_module(__package__)
    return [importlib.import_module(f"{__package__}.{m.name}")
            for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("matrix_")]


def _region(division, key: str) -> RegionObjects:
    from nabij.web.overleg.models import AgendaItem, Agreement, Escalation, Meeting, Vision
    from nabij.web.regio.models import Organisation, Party, Region
    from nabij.web.regio.roles import Category

    region = Region.objects.create(division=division, code=f"T-{key}", name=f"Regio-{key}",
                                   gemeenten=[{"code": f"GM9{key}", "naam": f"Gem{key}"}],
                                   measures={"leerlingen": 12000, "delen": 1})
    swv = Organisation.objects.create(name=f"Test-SWV-{key}", category=Category.SWV,
                                      code=f"TSWV{key}", sectors="PO")
    gem = Organisation.objects.create(name=f"Test-Gemeente-{key}", category=Category.GEMEENTE,
                                      code=f"TGM{key}")
    for org in (swv, gem):
        Party.objects.create(region=region, organisation=org, source=Party.Source.ATLAS)
    today = date.today()
    meeting = Meeting.objects.create(region=region, date=today - timedelta(days=30),
                                     minutes=f"Verslag GEHEIM-{key}")
    item = AgendaItem.objects.create(meeting=meeting, kind="oogo", title=f"OOGO GEHEIM-{key}")
    agreement = Agreement.objects.create(
        region=region, meeting=meeting, title=f"Afspraak GEHEIM-{key}", owner=gem,
        deadline=today - timedelta(days=5), status="open", indicator="maatstaf:delen", target=1.0)
    agreement.parties.set([swv, gem])
    esc = Escalation.objects.create(agreement=agreement, escalated_to="Bestuur",
                                    reason=f"Reden GEHEIM-{key}", decision="Doorzetten")
    vision = Vision.objects.create(region=region, adopted_on=today - timedelta(days=400),
                                   title=f"Visie GEHEIM-{key}")
    return RegionObjects(region, swv, gem, meeting, item, agreement, esc, vision)


def _users(own: RegionObjects) -> dict[str, object]:
    from django.contrib.auth import get_user_model

    from nabij.web.regio.models import Membership
    from nabij.web.regio.roles import Role

    users = {}
    orgs = {"regiocoordinator": own.swv, "deelnemer": own.gemeente, "loket": own.swv}
    for role in ROLES[1:]:
        user = get_user_model().objects.create_user(f"test-{role}", password="x" * 16)
        region = None if role == Role.BEHEERDER else own.region
        Membership.objects.create(user=user, role=role, region=region,
                                  organisation=orgs.get(role))
        users[role] = user
    return users


def build_world() -> World:
    from nabij.web.regio.models import Division

    division = Division.objects.create(
        name="Testindeling", sector="PO", viewbox="0 0 10 10",
        background_svg='<path d="M0 0L10 0L10 10Z"/>',
        measure_definitions={
            "leerlingen": {"label": "Leerlingen", "eenheid": "leerlingen", "niveau": "regio",
                           "beter": None, "gemodelleerd": False},
            "delen": {"label": "Losse delen", "eenheid": "aantal", "niveau": "regio",
                      "beter": "lager", "gemodelleerd": False}})
    regions = {k: _region(division, k) for k in ("A", "B")}
    w = World(division, regions, _users(regions["A"]))
    for mod in matrix_modules():
        populate = getattr(mod, "populate", None)
        if populate is not None:
            populate(w)
    return w

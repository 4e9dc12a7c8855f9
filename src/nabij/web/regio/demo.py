"""Demo data: the synthetic country, its status-quo regions, demo organisations, one user per
role with a fresh random password, and a living overleg in the first region."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from nabij.web.regio.models import Membership, Organisation, Party, Region
from nabij.web.regio.roles import Category, Role

DEMO_ORGS = (
    (Category.KINDEROPVANG, "Kinderopvang De Vlinder (demo)"),
    (Category.MBO, "Regiocollege (demo)"),
    (Category.HBO_WO, "Hogeschool voor Onderwijs (demo)"),
    (Category.JEUGDHULP, "Jeugdhulp Samen (demo)"),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    region: str


def load_demo(seed: int = 2024, scale: float = 0.3, progress: Callable[[str], None] | None = None
              ) -> list[DemoUser]:
    """Load the demo; returns the users with their passwords (shown once)."""
    from nabij.atlas import build_atlas
    from nabij.divisions.status_quo import status_quo
    from nabij.sources.synthetic import synthetic_country
    from nabij.web.regio.load import load_division

    say = progress or (lambda _m: None)
    say("synthetisch land genereren")
    atlas = build_atlas(synthetic_country(seed=seed, scale=scale))
    from nabij.monitor.synthetic import synthetic_history, synthetic_register

    division = status_quo(atlas, "PO")
    history = synthetic_history(atlas, seed=seed)
    div = load_division(atlas, division, progress=say, history=history,
                        register=register_observations(atlas, synthetic_register(atlas, seed)),
                        register_modelled=True)
    say("demo-organisaties en gebruikers")
    regions = list(Region.objects.filter(division=div).order_by("code")[:2])
    with transaction.atomic():
        for region in regions:
            _demo_orgs(region)
        users = _demo_users(regions)
        _demo_overleg(regions[0])
    from nabij.web.regio.registry import DEMOS

    for load in DEMOS:  # other apps' demo data (casework: open cases in the first region)
        load(atlas, regions, progress=say)
    monitor_from_registers(atlas, division, div, history, seed, say)
    return users


def register_observations(atlas, rows):
    """Register rows (layout of ``docs/monitor-register.md``) as the monitor's observations,
    read by the monitor's own reader."""
    from nabij.monitor.catalogue import load_catalogue
    from nabij.monitor.register import read_register_frame

    return read_register_frame(rows, atlas, load_catalogue(), "register")


def monitor_from_registers(atlas, division, div, history, seed: int,
                           progress: Callable[[str], None] | None = None) -> bool:
    """Where a region has its own register (the loket's cases: ``registry.add_register``), the
    monitor's thuiszitters and vrijstellingen of its gemeenten come from it; every other
    gemeente keeps the synthetic register, extended to the same last school year so the
    national line covers every period. Returns False when no region has a register."""
    from nabij.monitor.synthetic import synthetic_register
    from nabij.web.regio.load import refresh_monitor
    from nabij.web.regio.registry import REGISTERS

    regions = list(Region.objects.filter(division=div))
    feeds = [f for func in REGISTERS if (f := func(regions)) is not None and len(f.rows)]
    if not feeds:
        return False
    (progress or (lambda _m: None))("monitor: thuiszitters uit het loket")
    last = max(int(str(y)[:4]) for f in feeds for y in f.rows["schooljaar"])
    own = {g for f in feeds for g in f.gemeenten}
    synthetic = synthetic_register(atlas, seed, last_year=last)
    rows = pd.concat([synthetic[~synthetic["gemeente"].isin(own)], *[f.rows for f in feeds]],
                     ignore_index=True)
    origins = {code: (f.label, f.modelled) for f in feeds for code in f.regions}
    names = {r.code: r.name for r in regions}
    sources = ["Thuiszitters en vrijstellingen: synthetisch register (gemodelleerd)"] + [
        f"Thuiszitters en vrijstellingen van {names.get(c, c)}: {f.label}"
        for f in feeds for c in f.regions]
    refresh_monitor(div, atlas, division, history, register_observations(atlas, rows),
                    register_modelled=True, origins=origins, sources=sources)
    return True


def _demo_orgs(region: Region) -> None:
    for cat, name in DEMO_ORGS:
        org, _ = Organisation.objects.get_or_create(name=f"{name} {region.code}", category=cat)
        Party.objects.get_or_create(region=region, organisation=org)


def _user(username: str) -> tuple:
    User = get_user_model()
    password = secrets.token_urlsafe(12)
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_active = True
    user.save()
    return user, password


def _demo_users(regions: list[Region]) -> list[DemoUser]:
    own = regions[0]
    swv = Organisation.objects.filter(parties__region=own, category=Category.SWV).first()
    gem = Organisation.objects.filter(parties__region=own, category=Category.GEMEENTE).first()
    spec = [("beheerder", Role.BEHEERDER, None, None),
            ("coordinator", Role.REGIOCOORDINATOR, own, swv),
            ("deelnemer", Role.DEELNEMER, own, gem),
            ("lezer", Role.LEZER, own, None),
            ("loket", Role.LOKET, own, swv)]
    out = []
    for username, role, region, org in spec:
        user, password = _user(username)
        Membership.objects.get_or_create(user=user, role=role, region=region,
                                         defaults={"organisation": org})
        out.append(DemoUser(username, password, str(role.label),
                            region.name if region else "alle regio's"))
    return out


def _demo_overleg(region: Region) -> None:
    from nabij.web.overleg.models import AgendaItem, Agreement, Meeting

    owner = Organisation.objects.filter(parties__region=region,
                                        category=Category.GEMEENTE).first()
    if owner is None or Meeting.objects.filter(region=region).exists():
        return  # the demo agreement needs a gemeente of the region as its owner
    today = timezone.localdate()
    past = Meeting.objects.create(region=region, date=today - timedelta(days=120),
                                  location="Gemeentehuis", minutes="Kennismaking en agenda "
                                  "voor het komende jaar vastgesteld.")
    past.present.set(Organisation.objects.filter(parties__region=region)[:6])
    for i, (kind, title) in enumerate((("oogo", "Ondersteuningsplan: op overeenstemming "
                                        "gericht overleg"), ("vve", "Aanbod voorschoolse "
                                        "educatie"), ("monitor", "Eerste monitor besproken"))):
        AgendaItem.objects.create(meeting=past, kind=kind, title=title, order=i + 1)
    a = Agreement.objects.create(
        region=region, meeting=past, title="Thuiszittersaanpak vastgesteld", owner=owner,
        deadline=today + timedelta(days=90), status=Agreement.Status.LOOPT,
        deliverable="Een door alle partijen ondertekende thuiszittersaanpak.")
    a.parties.set(Organisation.objects.filter(parties__region=region)[:4])

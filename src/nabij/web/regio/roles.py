"""Roles of a membership and the organisation categories of an overleg (one vocabulary)."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """What a member may do; see ``access.AREAS`` for what each role may see."""

    BEHEERDER = "beheerder", "beheerder"
    REGIOCOORDINATOR = "regiocoordinator", "regiocoördinator"
    DEELNEMER = "deelnemer", "deelnemer"
    LEZER = "lezer", "lezer (alleen totalen)"
    LOKET = "loket", "loket"


NATIONAL_ROLES = frozenset({Role.BEHEERDER, Role.LEZER})
"""Roles that may hold a membership without a region (the whole installation)."""

COORDINATOR_GRANTS = frozenset({Role.DEELNEMER, Role.LOKET, Role.LEZER})
"""Roles a regiocoördinator may grant, change and end in its own region. Not ``beheerder``
(the whole installation) and not ``regiocoordinator``: who coordinates a region is decided by
a beheerder."""


class Category(models.TextChoices):
    """Kind of organisation taking part in an overleg."""

    GEMEENTE = "gemeente", "gemeente"
    SCHOOLBESTUUR = "schoolbestuur", "schoolbestuur"
    SWV = "swv", "samenwerkingsverband"
    KINDEROPVANG = "kinderopvang", "kinderopvang"
    MBO = "mbo", "mbo"
    HBO_WO = "hbo_wo", "hbo/wo"
    JEUGDHULP = "jeugdhulp", "jeugdhulp"
    OVERIG = "overig", "overig"


ADDABLE = (Category.KINDEROPVANG, Category.MBO, Category.HBO_WO, Category.JEUGDHULP,
           Category.OVERIG)
"""Categories a coordinator adds by hand (the others come from the atlas)."""

STATUTORY = (
    ("kinderopvang", "maatschappelijke kinderopvang"),
    ("bestuur_po", "schoolbestuur po"),
    ("bestuur_vo", "schoolbestuur vo"),
    ("bestuur_so", "schoolbestuur gespecialiseerd onderwijs (so/vso)"),
    ("mbo", "mbo"),
    ("hbo_wo", "hbo/wo"),
    ("gemeente", "gemeente"),
)
"""Verplichte deelnemers of the resultaatverplichtend overleg (advice "Over de lijnen", 2.a.ii):
kinderopvang, schoolbesturen funderend onderwijs (po, vo, so), mbo, hbo/wo and gemeenten."""


def statutory_keys(category: str, sectors: str) -> set[str]:
    """The statutory participant categories an organisation fills."""
    if category == Category.SCHOOLBESTUUR:
        return {f"bestuur_{s.strip().lower()}" for s in sectors.split(";") if s.strip()}
    return {category} if category in {k for k, _ in STATUTORY} else set()

"""Dutch-sounding names for the synthetic country (places, regions, boards, schools).

Names are made from syllables so that they sound Dutch but are (almost always) not real
places: nobody should mistake the synthetic country for the real one.
"""

from __future__ import annotations

import numpy as np

HEADS = (
    "Aal", "Ber", "Bleis", "Bol", "Borg", "Brak", "Broek", "Dal", "Damme", "Dor", "Drie", "Eek",
    "Eem", "Elde", "Elst", "Gaas", "Geer", "Gel", "Gors", "Haar", "Hal", "Hees", "Hel", "Hol",
    "Hoog", "Horn", "Kam", "Kes", "Kor", "Laar", "Lan", "Lin", "Loen", "Maar", "Mol", "Mun",
    "Nij", "Oos", "Oud", "Pey", "Raam", "Rijs", "Ros", "Sas", "Schel", "Sleen", "Sta", "Stee",
    "Ter", "Til", "Uit", "Val", "Veen", "Vel", "Ver", "Vier", "Vlie", "Vos", "Waal", "War",
    "Wes", "Wier", "Wil", "Wol", "Woud", "Zand", "Zeven", "Zwa", "Ijs", "Ees", "Ruin", "Kloos",
)
TAILS = (
    "dam", "dijk", "hoven", "wijk", "veen", "horst", "broek", "lo", "rum", "um", "ingen",
    "burg", "sum", "hout", "vliet", "drecht", "stad", "recht", "zijl", "meer", "voort",
    "waard", "mond", "berg", "beek", "hem", "kerk", "sel", "ten", "wolde", "ward", "terp",
    "haven", "donk", "rode", "plaat", "gein", "oord", "ven", "erhout",
)
ISLAND_TAILS = ("oog", "land", "sand", "ing", "ouw")
PREFIXES = ("Oud-", "Nieuw-", "Groot-", "Sint-", "Oost-", "West-", "Noord-", "Zuid-")
SCHOOL_WORDS = (
    "De Regenboog", "De Wilgen", "Het Kompas", "De Vlinder", "De Zonnewijzer", "Het Palet",
    "De Linde", "De Eik", "De Klimop", "De Fontein", "De Sterrenwacht", "Het Baken",
    "De Springplank", "De Tweemaster", "De Horizon", "De Bron", "Het Anker", "De Wingerd",
    "De Toermalijn", "De Meander", "De Kleine Prins", "Het Mozaïek", "De Vuurtoren",
    "De Boomgaard", "De Ark", "De Plantage", "Het Spectrum", "De Globe", "De Esdoorn",
    "De Notenkraker", "Het Talent", "De Uitkijk", "De Zevensprong", "De Windroos",
)
PO_PREFIX = ("Basisschool", "OBS", "CBS", "RKBS", "IKC", "PCBS", "Kindcentrum")
VO_FORMS = ("{} College", "{} Lyceum", "Scholengemeenschap {}", "{}college", "Het {} Lyceum",
            "Openbare Scholengemeenschap {}", "Christelijk College {}")


def place_names(n: int, rng: np.random.Generator, island: bool = False) -> list[str]:
    """n unique place names."""
    out: list[str] = []
    seen: set[str] = set()
    tails = ISLAND_TAILS if island else TAILS
    tries = 0
    while len(out) < n:
        tries += 1
        name = str(rng.choice(HEADS)) + str(rng.choice(tails))
        if tries > 40 * n or (len(seen) > 0.6 * len(HEADS) * len(tails) and rng.random() < 0.5):
            name = str(rng.choice(PREFIXES)) + name
        if rng.random() < 0.04 and not island:
            name = str(rng.choice(PREFIXES)) + name
        if name in seen:
            continue
        seen.add(name)
        out.append(name)
    return out


def pick(options: tuple[str, ...], rng: np.random.Generator, n: int) -> list[str]:
    """n random choices from ``options``."""
    return [options[i] for i in rng.integers(0, len(options), n)]


def school_names(kind: str, places: list[str], rng: np.random.Generator) -> list[str]:
    """One name per school location of type ``kind`` (places: the school's gemeente name)."""
    n = len(places)
    words = pick(SCHOOL_WORDS, rng, n)
    if kind == "BAO":
        pre = pick(PO_PREFIX, rng, n)
        return [f"{p} {w}" for p, w in zip(pre, words, strict=True)]
    if kind == "SBO":
        return [f"SBO {w}" for w in words]
    if kind == "SO/VSO":
        forms = ("School voor Speciaal Onderwijs {}", "Mytylschool {}", "Expertisecentrum {}",
                 "De {} (SO/VSO)", "{} Speciaal Onderwijs")
        return [f.format(w.removeprefix("De ").removeprefix("Het ")) for f, w in
                zip(pick(forms, rng, n), words, strict=True)]
    if kind == "PRO":
        return [f"Praktijkschool {p}" for p in places]
    chosen = pick(VO_FORMS, rng, n)
    return [f.format(p) for f, p in zip(chosen, places, strict=True)]


def board_names(sector: str, places: list[str], rng: np.random.Generator) -> list[str]:
    """A board name per board in ``sector`` (PO, VO, SO), after its main place."""
    forms = {
        "PO": ("Stichting Openbaar Onderwijs {}", "Vereniging voor Christelijk Onderwijs {}",
               "Stichting Katholiek Onderwijs {}", "Stichting Primair Onderwijs {}",
               "Stichting {} Scholen", "Onderwijsgroep {}", "Stichting Kindcentra {}"),
        "VO": ("Stichting Voortgezet Onderwijs {}", "Scholengroep {}", "Stichting {} Colleges",
               "Onderwijsstichting VO {}"),
        "SO": ("Stichting Speciaal Onderwijs {}", "Stichting Gespecialiseerd Onderwijs {}",
               "Expertisecentrum {}", "Stichting (V)SO {}"),
    }[sector]
    return [f.format(p) for f, p in zip(pick(forms, rng, len(places)), places, strict=True)]


def region_names(main: list[str], second: list[str | None]) -> list[str]:
    """A region name from its biggest and second-biggest place."""
    return [m if s is None else f"{m}-{s}" for m, s in zip(main, second, strict=True)]

"""Extension points through which other apps (overleg, casus, monitor) join the region pages
and the search, without the regio app importing them.

Register in your ``AppConfig.ready()``:

- :func:`add_panel` — a section on the region page (function ``(request, region) -> html|None``);
- :func:`add_aggregates` — counts shown to every member incl. a lezer, published through
  ``nabij.privacy`` (function ``(region) -> list[aggregates.CountTable]``);
- :func:`add_search` — search results (function ``(user, query) -> list[SearchHit]``); it MUST
  filter through :func:`nabij.web.regio.access.visible`.
- :func:`add_nav` — a link in the main menu (``(label, url_name)``);
- :func:`add_demo` — demo data of the app, loaded by ``nabij web --demo`` after the regions,
  organisations and users (function ``(atlas, regions) -> None``).
- :func:`add_monitor` — adds to a region's monitor indicators (function
  ``(region, list[indicators.Indicator]) -> list[indicators.Indicator]``), e.g. the targets
  and notes the ``monitor`` app keeps in the database.
- :func:`add_register` — the figures a region's own register gives the monitor (function
  ``(regions) -> RegisterFeed | None``), e.g. the loket's casework return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    region: str
    detail: str = ""


PANELS: list[tuple[int, Callable]] = []
AGGREGATES: list[Callable] = []
SEARCHES: list[Callable] = []
NAV: list[tuple[str, str]] = []
DEMOS: list[Callable] = []
MONITOR: list[Callable] = []
REGISTERS: list[Callable] = []


@dataclass(frozen=True)
class RegisterFeed:
    """Register rows (layout of ``docs/monitor-register.md``, text cells) for some regions,
    replacing every other register row of their gemeenten; ``label`` names the source and
    ``modelled`` says whether the underlying records are synthetic."""

    rows: object
    regions: tuple[str, ...]
    gemeenten: tuple[str, ...]
    label: str
    modelled: bool


def add_panel(func: Callable, order: int = 50) -> None:
    if func not in [f for _, f in PANELS]:
        PANELS.append((order, func))
        PANELS.sort(key=lambda p: p[0])


def add_aggregates(func: Callable) -> None:
    if func not in AGGREGATES:
        AGGREGATES.append(func)


def add_search(func: Callable) -> None:
    if func not in SEARCHES:
        SEARCHES.append(func)


def add_nav(label: str, url_name: str) -> None:
    if (label, url_name) not in NAV:
        NAV.append((label, url_name))


def add_demo(func: Callable) -> None:
    if func not in DEMOS:
        DEMOS.append(func)


def add_monitor(func: Callable) -> None:
    if func not in MONITOR:
        MONITOR.append(func)


def add_register(func: Callable) -> None:
    if func not in REGISTERS:
        REGISTERS.append(func)

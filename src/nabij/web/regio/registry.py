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

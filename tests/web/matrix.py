"""The access-matrix framework: one :class:`Entry` per URL pattern name.

Each ``tests/web/matrix_*.py`` module defines ``ENTRIES: dict[str, Entry]`` (and optionally
``populate(world)`` to add its objects to both regions). ``test_access_matrix.py`` fails for a
URL pattern without an entry, and visits every entry as every role (and anonymously) in the
own region ``A`` and the foreign region ``B``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

COORD, DEELNEMER, LEZER, LOKET = "regiocoordinator", "deelnemer", "lezer", "loket"
ALL_ROLES = frozenset({COORD, DEELNEMER, LEZER, LOKET})
OVERLEG = frozenset({COORD, DEELNEMER})


@dataclass(frozen=True)
class Entry:
    """Expected access to one URL pattern.

    ``allowed``: roles (besides beheerder) that may use it in their own region (or at all, for
    a pattern without region). ``kwargs``: URL arguments from the objects of a region (None:
    not bound to a region). ``methods``: what to try; ``post_allowed`` overrides ``allowed``
    for POST; ``data``: POST data from the region's objects (default: empty form).
    """

    allowed: frozenset[str]
    kwargs: Callable | None = None
    methods: tuple[str, ...] = ("GET",)
    query: str = ""
    post_allowed: frozenset[str] | None = None
    data: Callable | None = None
    public: bool = False

    def allows(self, role: str, method: str) -> bool:
        if role == "beheerder":
            return True
        roles = self.post_allowed if method == "POST" and self.post_allowed is not None \
            else self.allowed
        return role in roles


def region_kw(attr: str, param: str = "pk") -> Callable:
    """kwargs from one object of the region, e.g. ``region_kw("meeting")``."""
    return lambda objs: {param: getattr(objs, attr).pk}

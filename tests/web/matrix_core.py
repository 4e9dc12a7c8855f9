"""Access-matrix entries of the core apps (regio, overleg) and the site pages."""

from __future__ import annotations

from .matrix import ALL_ROLES, COORD, DEELNEMER, LOKET, OVERLEG, Entry, region_kw

REGION = region_kw("region")
RPK = region_kw("region", "rpk")
ONLY_COORD = frozenset({COORD})
BOTH = ("GET", "POST")

ENTRIES: dict[str, Entry] = {
    # site
    "home": Entry(ALL_ROLES),
    "login": Entry(ALL_ROLES, public=True),
    "logout": Entry(ALL_ROLES, methods=("POST",), public=True),
    "zoeken": Entry(ALL_ROLES, query="?q=GEHEIM"),
    # regio
    "regio:list": Entry(ALL_ROLES, query="?q=Regio"),
    "regio:detail": Entry(ALL_ROLES, REGION),
    "regio:parties": Entry(frozenset({COORD, DEELNEMER, LOKET}), REGION, BOTH,
                           post_allowed=ONLY_COORD),
    "regio:history": Entry(ONLY_COORD, REGION),
    # overleg
    "overleg:register": Entry(OVERLEG, RPK),
    "overleg:meeting_new": Entry(ONLY_COORD, RPK, BOTH),
    "overleg:vision_new": Entry(ONLY_COORD, RPK, BOTH),
    "overleg:agreement_new": Entry(ONLY_COORD, RPK, BOTH),
    "overleg:agreements_xlsx": Entry(OVERLEG, RPK),
    "overleg:agreements_api": Entry(OVERLEG, RPK),
    "overleg:meeting": Entry(OVERLEG, region_kw("meeting")),
    "overleg:meeting_edit": Entry(ONLY_COORD, region_kw("meeting"), BOTH),
    "overleg:item_new": Entry(ONLY_COORD, region_kw("meeting"), BOTH),
    "overleg:agenda_print": Entry(OVERLEG, region_kw("meeting")),
    "overleg:minutes_print": Entry(OVERLEG, region_kw("meeting")),
    "overleg:agreement": Entry(OVERLEG, region_kw("agreement")),
    "overleg:agreement_edit": Entry(ONLY_COORD, region_kw("agreement"), BOTH),
    # the deelnemer of the test world belongs to the organisation that owns the agreement
    "overleg:agreement_status": Entry(OVERLEG, region_kw("agreement"), ("POST",),
                                      data=lambda objs: {"status": "loopt"}),
    "overleg:agreement_escalate": Entry(ONLY_COORD, region_kw("agreement"), BOTH),
}

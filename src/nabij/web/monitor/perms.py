"""Who may change the monitor's targets and notes of a region (``rules``): its coordinator and
the beheerder. Reading goes through ``visible()`` (area ``regio``)."""

from __future__ import annotations

import rules

from nabij.web.regio.perms import beheerder, coordinates

rules.add_perm("monitor.manage", beheerder | coordinates)

"""One Dutch label per vocabulary value that users see (provenance of data)."""

from __future__ import annotations

PROVENANCE_LABELS: dict[str, str] = {
    "observed": "waargenomen",
    "modelled": "gemodelleerd",
    "mixed": "deels gemodelleerd",
}
"""Dutch label of each provenance status of :data:`nabij.tables.PROVENANCE`."""


def provenance_label(status: object) -> str:
    """``"mixed" -> "deels gemodelleerd"``; booleans: True = modelled; unknown -> as is."""
    if isinstance(status, bool):
        return PROVENANCE_LABELS["modelled" if status else "observed"]
    if isinstance(status, dict):
        status = status.get("status")
    s = str(status or "").strip().lower()
    return PROVENANCE_LABELS.get(s, s or "onbekend")

"""Dutch wording for refused file operations (``OSError.strerror`` is English)."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfquota is op",
    errno.EROFS: "de map staat alleen-lezen",
    errno.EACCES: "geen toegang (rechten)",
    errno.EPERM: "geen toestemming (rechten)",
    errno.ENOENT: "bestaat niet",
    errno.EISDIR: "is een map, geen bestand",
    errno.ENOTDIR: "is een bestand, geen map",
    errno.ENAMETOOLONG: "naam te lang",
    errno.EEXIST: "bestaat al",
}


def os_reason(e: OSError) -> str:
    """Why the system refused, in Dutch: ``"bestaat niet"``, ``"de schijf is vol"``."""
    return _REASONS.get(e.errno or 0, f"systeemfout {e.errno}" if e.errno else "systeemfout")

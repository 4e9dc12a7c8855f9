"""The one error type of casework rules: a Dutch message a user can act on."""

from __future__ import annotations

from nabij.errors import NabijError


class CaseworkError(NabijError):
    """A casework rule refuses an action (status change, decision, spend, destruction...)."""

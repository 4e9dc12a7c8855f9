from __future__ import annotations

from django import template

from nabij.casework.budget import euro as _euro

register = template.Library()


@register.filter
def euro(cents) -> str:
    """Eurocent as Dutch euro text: 123456 -> "€ 1.234,56"."""
    try:
        return _euro(int(cents))
    except (TypeError, ValueError):
        return "–"

"""Leerlingenvervoer: a calibrated cost model on the Atlas' flows and what-if analyses.

``transport_costs(atlas)`` -> :class:`TransportResult`; ``what_if(atlas, add=[Provision(...)],
close=[Closure(...)])`` -> :class:`WhatIfResult` (km, travel time and euros saved per year by
gemeente; :func:`nabij.fund.savings.savings_source` turns the savings into a fund source).
"""

from nabij.transport.cost import (
    TRANSPORT_TYPES,
    CostModel,
    CostParams,
    TransportResult,
    calibrate,
    transport_costs,
    transport_trips,
)

__all__ = [
    "TRANSPORT_TYPES",
    "CostModel",
    "CostParams",
    "TransportResult",
    "calibrate",
    "transport_costs",
    "transport_trips",
]

from nabij.transport.whatif import (  # noqa: E402
    Closure,
    Provision,
    WhatIfResult,
    parse_place,
    read_provisions,
    what_if,
)

__all__ += [
    "Closure",
    "Provision",
    "WhatIfResult",
    "parse_place",
    "read_provisions",
    "what_if",
]

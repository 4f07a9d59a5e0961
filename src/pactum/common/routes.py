"""The Frontex migratory routes (names as in Frontex's detections data) and the states on each.

The states on a route are where detections on that route are registered; the demo world uses them
to place arrivals, and screens use the names as Frontex publishes them.
"""

from __future__ import annotations

ROUTES: dict[str, tuple[str, ...]] = {
    "Central Mediterranean Route": ("IT", "MT"),
    "Eastern Mediterranean Route": ("EL", "CY", "BG"),
    "Western Mediterranean Route": ("ES",),
    "Western African Route": ("ES",),
    "Western Balkan Route": ("HU", "HR", "AT", "SI"),
    "Eastern Borders Route": ("PL", "LT", "LV", "FI", "EE"),
    "Circular Route from Albania to Greece": ("EL",),
    "Black Sea Route": ("RO", "BG"),
    "Other": ("FR", "DE", "NL", "BE"),
}

SEA_ROUTES = frozenset({
    "Central Mediterranean Route", "Western Mediterranean Route", "Western African Route",
    "Black Sea Route",
})


def route_names() -> list[str]:
    return list(ROUTES)

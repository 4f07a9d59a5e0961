"""Where the responsibility rules apply: as regards the French Republic, Regulation (EU) 2024/1351
(AMMR) applies only to its European territory (Art 76), as Regulation (EU) No 604/2013 (Dublin III)
did (Art 43). France's outermost regions (:data:`pactum.registry.local_time.REGIONS` with
``european`` false: Guadeloupe, Martinique, French Guiana, La Réunion, Mayotte, Saint-Martin) are
outside it.

Two consequences, read in the Regulations' texts (Italian versions) with Pactum's reading where
they leave a choice (docs/responsibility.md, "France's outermost regions"):

- an application made there is not one the Regulation governs (AMMR Art 16(1); Dublin III Art 3(1):
  the application made "on the territory of any one of the Member States"): no Member State
  responsible is determined for it, and the determination and the case refuse it, naming
  ``application.region``;
- an entry there (an irregular crossing, a disembarkation after search and rescue, a visa-waived
  entry, an application in an airport's transit area) is not an entry into the territory of the
  Member States as the criteria count it (AMMR Arts 31 to 33; Dublin III Arts 13 to 15): the
  engine leaves it out and its trace says why (rule ``entries_outside_territory``).

The rule is the law parameter ``ammr.territorial_scope.european_territory_of_france_only`` (AMMR
Art 76), ``dublin3.territorial_scope.european_territory_of_france_only`` (Dublin III Art 43) for
an application under Dublin III (the regime of the application's registration, AMMR Art 84).
"""

from __future__ import annotations

from datetime import date

from pactum.law import param
from pactum.registry.local_time import place_problem, region_of

from .model import Regime

#: The parameter that carries the rule, by regime.
PATHS: dict[Regime, str] = {
    "ammr": "ammr.territorial_scope.european_territory_of_france_only",
    "dublin_iii": "dublin3.territorial_scope.european_territory_of_france_only",
}

#: The Regulation of each regime as the messages name it.
NAMES: dict[Regime, str] = {"ammr": "Regulation (EU) 2024/1351 (AMMR)",
                            "dublin_iii": "Regulation (EU) No 604/2013 (Dublin III)"}


def region_problem(member_state: str, region: str | None) -> str | None:
    """Why ``region`` (ISO 3166-2) is not a region of ``member_state`` that the platform knows (the
    registry's regions with a clock of their own), or None. None given is the state's mainland."""
    if region is None:
        return None
    found = place_problem(member_state, region, None)
    return found[1] if found else None


def outside(regime: Regime, on: date, member_state: str, region: str | None) -> str | None:
    """Why ``region`` of ``member_state`` is outside the territory the regime's Regulation applies
    to, on ``on`` (the application's registration), the article cited; None where it applies (no
    region, a region of the state's European territory such as the Canary Islands, the Azores,
    Madeira)."""
    if region is None or member_state != "FR":
        return None
    r = region_of(region)
    if r is None or r.european:
        return None
    p = param(PATHS[regime], on=on)
    if not p.value:
        return None
    return (f"{region} ({r.name}) is outside the territory to which {NAMES[regime]} applies: as regards "
            f"the French Republic it applies only to its European territory ({p.reference.cite()})")


def basis(regime: Regime, on: date) -> tuple[str, str]:
    """The parameter path and the article it cites (for a trace step)."""
    p = param(PATHS[regime], on=on)
    return PATHS[regime], p.reference.cite()

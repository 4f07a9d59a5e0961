"""Which body of law applies, chosen by the legally relevant date (never today).

- ``responsibility``: the Member State responsible is determined under Dublin III for an
  application registered before the AMMR cut-over and under the AMMR from it (AMMR Art. 84); what
  happens on the cut-over day itself is a parameter of its own, because Art. 84 leaves it open.
- ``procedures``, ``screening``, ``eurodac``, ``returns``: ``pre_pact`` before the date from which
  the Pact instruments apply (12 June 2026), ``pact`` from it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pactum.law.tree import NotInForce, Param, history

Regime = Literal["dublin_iii", "ammr", "pre_pact", "pact"]
AREAS: tuple[str, ...] = ("responsibility", "procedures", "screening", "eurodac", "returns")

_PATHS = {
    "responsibility": "regimes.responsibility.ammr_from",
    "procedures": "regimes.procedures.pact_from",
    "screening": "regimes.screening.pact_from",
    "eurodac": "regimes.eurodac.pact_from",
    "returns": "regimes.returns.pact_from",
}
CUTOVER_DAY_PATH = "regimes.responsibility.cutover_day_regime"


def cutover(area: str, on: date) -> Param | None:
    """The cut-over parameter of ``area`` as in force on ``on``; ``None`` before the Pact existed
    (then the old law applies)."""
    if area not in _PATHS:
        raise ValueError(f"unknown regime area {area!r}; one of {', '.join(AREAS)}")
    try:
        return history(_PATHS[area]).at(on)
    except NotInForce:
        return None


def regime_for(area: str, on: date) -> Regime:
    """``regime_for("responsibility", registered_on)`` -> ``"dublin_iii"`` | ``"ammr"``;
    ``regime_for("procedures" | "screening" | "eurodac" | "returns", d)`` -> ``"pre_pact"`` |
    ``"pact"``."""
    if not isinstance(on, date):
        raise TypeError("regime_for(area, on): 'on' must be a date")
    cut = cutover(area, on)
    new: Regime = "ammr" if area == "responsibility" else "pact"
    old: Regime = "dublin_iii" if area == "responsibility" else "pre_pact"
    if cut is None:
        return old
    switch: date = cut.value
    if on > switch:
        return new
    if on < switch:
        return old
    if area == "responsibility":
        day_rule = history(CUTOVER_DAY_PATH).at(on).value
        return "ammr" if day_rule == "ammr" else "dublin_iii"
    return new


REGIME_NAMES: dict[str, str] = {
    "dublin_iii": "Dublin III (Regulation (EU) No 604/2013)",
    "ammr": "AMMR (Regulation (EU) 2024/1351)",
    "pre_pact": "law before the Pact on Migration and Asylum",
    "pact": "Pact on Migration and Asylum",
}

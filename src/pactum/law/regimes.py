"""Which body of law applies, chosen by the legally relevant date (never today).

- ``responsibility``: the Member State responsible is determined under Dublin III for an
  application registered before the AMMR cut-over and under the AMMR from it (AMMR Art. 84); what
  happens on the cut-over day itself is a parameter of its own, because Art. 84 leaves it open.
- ``screening``, ``eurodac``, ``returns``: ``pre_pact`` before the date from which the Pact
  instruments apply (12 June 2026), ``pact`` from it, by the date of the event.
- ``procedures``: an application's procedure is under the APR when the application was lodged from
  that date, under Directive 2013/32/EU when lodged before it (APR Art. 79(3),
  ``regimes.procedures.chosen_by``): :func:`procedures_regime` chooses it from the application's
  days, and it does not change once the application is lodged, whatever the day of a later step.
  ``regime_for("procedures", d)`` answers for a day alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pactum.law.refs import INSTRUMENTS
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
#: Which day of an application chooses its procedures regime (``lodged_on``: APR Art. 79(3)).
PROCEDURES_CHOSEN_BY_PATH = "regimes.procedures.chosen_by"


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


#: The instrument each procedures regime applies, named as citations name it.
PROCEDURES_INSTRUMENTS: dict[str, str] = {"pact": INSTRUMENTS["apr"].title,
                                          "pre_pact": INSTRUMENTS["procedures_directive"].title}
_DAY_WORDS = {"lodged_on": "lodged", "registered_on": "registered", "made_on": "made"}


@dataclass(frozen=True)
class ProceduresRegime:
    """The procedures regime of one application and why: the day that chose it (``by``: the day it
    was ``lodged_on``; before lodging ``registered_on`` or ``made_on``), that day (``on``) and the
    rule's citation (``legal_basis``, APR Art. 79(3) from the law tree)."""

    regime: Regime
    by: str
    on: date
    legal_basis: str
    #: the application was lodged: the choice no longer changes
    final: bool = False

    @property
    def instrument(self) -> str:
        return PROCEDURES_INSTRUMENTS[self.regime]

    def why(self) -> str:
        """``"lodged on 2026-06-15 (Regulation (EU) 2024/1348, Article 79(3))"``; before lodging it
        says the day stands in for the day of lodging."""
        said = f"{_DAY_WORDS[self.by]} on {self.on.isoformat()}"
        if not self.final:  # the day of lodging is not known yet
            said += (", not lodged yet: the day it is lodged decides" if self.regime == "pre_pact"
                     else ", so lodged under the same law (lodging comes later)")
        return f"{said} ({self.legal_basis})"

    def text(self) -> str:
        """The law that applies and why, in one line, as the case page and the notice say it."""
        return f"{self.instrument} ({REGIME_NAMES[self.regime]}): the application was {self.why()}"

    def as_dict(self) -> dict[str, Any]:
        return {"regime": self.regime, "name": REGIME_NAMES[self.regime], "instrument": self.instrument,
                "chosen_by": self.by, "on": self.on.isoformat(), "final": self.final,
                "legal_basis": self.legal_basis, "why": self.why(), "text": self.text()}


def procedures_regime(made_on: date, lodged_on: date | None = None,
                      registered_on: date | None = None) -> ProceduresRegime:
    """The procedures regime of an application made on ``made_on``: by the day it was lodged (APR
    Art. 79(3): the APR governs applications lodged from 12 June 2026, Directive 2013/32/EU those
    lodged before), fixed once lodged whatever the day of a later step.

    Before it is lodged the day of lodging is not known: the day it was registered stands in for it
    (lodging never comes earlier, so an application registered from the cut-over is certain to be
    lodged under the APR), else the day it was made. That is the best knowledge until lodging; an
    application made and registered before the cut-over and lodged from it moves to the APR on
    lodging. ``regimes.procedures.chosen_by`` (``lodged_on``) names the rule; set to ``made_on``
    it would choose by the day the application was made throughout."""
    if not isinstance(made_on, date):
        raise TypeError("procedures_regime(made_on, ...): 'made_on' must be a date")
    h = history(PROCEDURES_CHOSEN_BY_PATH)
    try:
        chosen = str(h.at(made_on).value)
    except NotInForce:  # before the Pact existed: the Directive, whichever day is read
        chosen = "lodged_on"
    if chosen not in ("lodged_on", "made_on"):
        raise ValueError(f"{PROCEDURES_CHOSEN_BY_PATH}: {chosen!r} is not lodged_on or made_on")
    by, on = "made_on", made_on
    if chosen == "lodged_on":
        if lodged_on is not None:
            by, on = "lodged_on", lodged_on
        elif registered_on is not None:
            by, on = "registered_on", registered_on
    return ProceduresRegime(regime=regime_for("procedures", on), by=by, on=on,
                            legal_basis=h.reference.cite(), final=lodged_on is not None)

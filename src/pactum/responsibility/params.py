"""The legal numbers the criteria use, read once per regime and date from :mod:`pactum.law`.

The engine determines a million applications in one batch, so it does not look parameters up per
application: :func:`regime_params` reads them once for a date and the result is cached. Every
number here comes from a dated, referenced parameter; none is written in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from pactum.law import NotInForce, param, regime_for
from pactum.law.regimes import REGIME_NAMES

from .model import Regime

# Parameter paths, one per legal number, by regime.
KEYS: dict[Regime, dict[str, str]] = {
    "dublin_iii": {
        "minor_age": "dublin3.responsibility_definitions.minor_age",
        "residence_document_expired": "dublin3.criteria.residence_document_expired_max",
        "visa_expired": "dublin3.criteria.visa_expired_max",
        "irregular_entry": "dublin3.criteria.irregular_entry_period",
        "irregular_stay": "dublin3.criteria.irregular_stay_min",
    },
    "ammr": {
        "minor_age": "ammr.responsibility_definitions.minor_age",
        "residence_document_expired": "ammr.criteria.residence_document_expired_max",
        "visa_expired": "ammr.criteria.visa_expired_max",
        "diploma": "ammr.criteria.diploma_max_age",
        "irregular_entry": "ammr.criteria.irregular_entry_period",
        "sar_disembarkation": "ammr.criteria.sar_disembarkation_period",
    },
}


def _months(value: Any, unit: str | None) -> int:
    if unit in ("years", "year"):
        return int(value) * 12
    if unit in ("months", "month"):
        return int(value)
    raise ValueError(f"a period in {unit!r} cannot be used as a criterion window")


@dataclass(frozen=True, slots=True)
class RegimeParams:
    """The numbers of one regime on one date, in months (ages in years), with their citations."""

    regime: Regime
    minor_age: int
    residence_document_expired_months: int
    visa_expired_months: int
    irregular_entry_months: int
    irregular_stay_months: int | None  # Dublin III only
    diploma_months: int | None  # AMMR only
    sar_months: int | None  # AMMR only
    cites: dict[str, str]
    """Parameter name -> citation of the article that sets it."""
    paths: dict[str, str]
    rendered: dict[str, tuple[str, str]]
    """Parameter name -> (path, "value unit (citation)"), for the trace."""


@lru_cache(maxsize=8192)
def regime_params(regime: Regime, on: date) -> RegimeParams:
    keys = KEYS[regime]
    values: dict[str, int] = {}
    cites: dict[str, str] = {}
    for name, path in keys.items():
        p = param(path, on=on)
        cites[name] = p.reference.cite()
        values[name] = int(p.value) if name == "minor_age" else _months(p.value, p.unit)
    return RegimeParams(
        regime=regime,
        minor_age=values["minor_age"],
        residence_document_expired_months=values["residence_document_expired"],
        visa_expired_months=values["visa_expired"],
        irregular_entry_months=values["irregular_entry"],
        irregular_stay_months=values.get("irregular_stay"),
        diploma_months=values.get("diploma"),
        sar_months=values.get("sar_disembarkation"),
        cites=cites,
        paths=dict(keys),
        rendered={n: (keys[n], f"{v} {'years' if n == 'minor_age' else 'months'} ({cites[n]})")
                  for n, v in values.items()},
    )


@lru_cache(maxsize=4096)
def regime_on(registered_on: date) -> Regime:
    """Dublin III or AMMR, by the date of first lodging/registration (AMMR Art 84)."""
    r = regime_for("responsibility", registered_on)
    if r not in ("dublin_iii", "ammr"):
        raise ValueError(f"unknown responsibility regime {r!r}")
    return r  # type: ignore[return-value]


AMMR_FROM_PATH = "regimes.responsibility.ammr_from"
CUTOVER_DAY_PATH = "regimes.responsibility.cutover_day_regime"
_ART_84 = "Regulation (EU) 2024/1351, Article 84"


@dataclass(frozen=True, slots=True)
class RegimeChoice:
    """Why this regime applies to an application registered on a date (for the trace)."""

    regime: Regime
    outcome: str
    """The regime step's outcome: "applies: AMMR (Regulation (EU) 2024/1351); the application was registered on ...", saying which side of the cut-over."""
    basis: tuple[str, ...]
    """Article 84(1) after the cut-over, 84(2) before it, Article 84 on the cut-over day itself."""
    parameters: dict[str, str]
    """The cut-over parameters the choice rests on, by path (value and citation; "unverified")."""
    on_cutover_day: bool


@lru_cache(maxsize=4096)
def regime_choice(registered_on: date) -> RegimeChoice:
    """The regime of an application registered on ``registered_on`` and the reason, as the trace
    states it. AMMR Art 84(1) covers applications registered *after* 1 July 2026, Art 84(2) those
    registered *before* it; an application registered on the cut-over day itself is neither, and
    the parameter ``regimes.responsibility.cutover_day_regime`` (unverified) decides it: the trace
    says so rather than calling it "registered after the cut-over"."""
    regime = regime_on(registered_on)
    named = REGIME_NAMES[regime]
    day = registered_on.isoformat()
    try:
        cut = param(AMMR_FROM_PATH, on=registered_on)
    except NotInForce:  # before the AMMR existed: Dublin III, no cut-over to speak of
        return RegimeChoice(regime, f"applies: {named}; the application was lodged on {day}, before the "
                            "AMMR entered into force", (), {}, False)
    switch: date = cut.value
    params = {AMMR_FROM_PATH: f"{switch.isoformat()} ({cut.cite()})"}
    if registered_on > switch:
        return RegimeChoice(regime, f"applies: {named}; the application was registered on {day}, after "
                            f"the cut-over on {switch.isoformat()}", (f"{_ART_84}(1)",), params, False)
    if registered_on < switch:
        return RegimeChoice(regime, f"applies: {named}; the application was lodged on {day}, before the "
                            f"cut-over on {switch.isoformat()}", (f"{_ART_84}(2)",), params, False)
    day_rule = param(CUTOVER_DAY_PATH, on=registered_on)
    flag = " (unverified)" if day_rule.unverified else ""
    params[CUTOVER_DAY_PATH] = f"{day_rule.value} ({day_rule.cite()}){flag}"
    return RegimeChoice(
        regime,
        f"applies: {named}; the application was registered on the cut-over day {day} itself: "
        f"Article 84(1) covers applications registered after that day and Article 84(2) those "
        f"registered before it, so neither decides, and the parameter {CUTOVER_DAY_PATH}{flag} "
        f"applies {named}",
        (_ART_84,), params, True)

"""The reception area's dated legal parameters (``reception.*`` of the law tree,
``src/pactum/law/parameters/reception.yaml``), read by the legally relevant date (the date a report
describes), never today.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from pactum.law.tree import NotInForce, ParameterHistory, UnknownParameter, tree

INSTRUMENT = "Directive (EU) 2024/1346"
CELEX = "32024L1346"
PREVIOUS_INSTRUMENT = "Directive 2013/33/EU"


@lru_cache(maxsize=1)
def histories() -> dict[str, ParameterHistory]:
    """Every ``reception.*`` parameter of the law tree."""
    return {k: v for k, v in tree().items() if k.startswith("reception.")}


def param_value(path: str, on: date) -> object:
    """The value of ``reception.<path>`` in force on ``on`` (``NotInForce`` before its first date)."""
    full = f"reception.{path}"
    try:
        return histories()[full].at(on).value
    except KeyError:
        raise UnknownParameter(f"unknown legal parameter {full!r}") from None


def directive_applies(on: date) -> bool:
    """Whether Directive (EU) 2024/1346 governs reception on ``on`` (else Directive 2013/33/EU)."""
    try:
        start = param_value("pact_from", on)
    except NotInForce:  # before the Directive existed
        return False
    assert isinstance(start, date)
    return on >= start


def contingency_plan_due(on: date) -> bool:
    """Whether a Member State must have a contingency plan in place on ``on``."""
    try:
        due = param_value("contingency_plan.first_due", on)
    except NotInForce:
        return False
    assert isinstance(due, date)
    return on >= due



def reports_from(on: date) -> date:
    """The earliest date a report may describe (``reception.reports_from``, 21 July 2015): the
    first day a governing instrument the platform holds (Directive 2013/33/EU) applies. The value
    in force on ``on`` (the report's date); before the parameter's first date, its first value."""
    try:
        value = param_value("reports_from", on)
    except NotInForce:
        value = histories()["reception.reports_from"].values[0][1]
    assert isinstance(value, date)
    return value

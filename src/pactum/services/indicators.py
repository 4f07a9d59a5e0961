"""Live indicators the platform computes, which other areas (follow-up, awareness) can cite.

An area registers ``@indicator("name", label=..., area=..., unit=..., period=...)`` on
``fn(conn, as_of) -> value``: ``unit`` names what the value counts (``applications``), ``period``
over which days (``on``: a stock on the day; ``year``: the calendar year up to the day;
``to_date``: every record up to the day), as the function computes it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Connection

IndicatorFn = Callable[[Connection, date], Any]
Period = Literal["on", "year", "to_date"]


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    area: str
    fn: IndicatorFn
    unit: str = ""
    period: Period = "on"


_INDICATORS: dict[str, Indicator] = {}


def indicator(name: str, *, label: str, area: str, unit: str = "",
              period: Period = "on") -> Callable[[IndicatorFn], IndicatorFn]:
    def register(fn: IndicatorFn) -> IndicatorFn:
        _INDICATORS[name] = Indicator(name, label, area, fn, unit, period)
        return fn

    return register


def load_all() -> dict[str, Indicator]:
    import pactum.services as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"pactum.services.{mod.name}")
    return dict(sorted(_INDICATORS.items()))


def compute(conn: Connection, name: str, as_of: date) -> Any:
    registry = load_all()
    if name not in registry:
        raise KeyError(name)
    return registry[name].fn(conn, as_of)

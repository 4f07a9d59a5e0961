"""Live indicators the platform computes, which other areas (follow-up, awareness) can cite.

An area registers ``@indicator("name", label=..., area=...)`` on ``fn(conn, as_of) -> value``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

IndicatorFn = Callable[[Connection, date], Any]


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    area: str
    fn: IndicatorFn


_INDICATORS: dict[str, Indicator] = {}


def indicator(name: str, *, label: str, area: str) -> Callable[[IndicatorFn], IndicatorFn]:
    def register(fn: IndicatorFn) -> IndicatorFn:
        _INDICATORS[name] = Indicator(name, label, area, fn)
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

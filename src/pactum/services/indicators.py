"""Live indicators the platform computes, which other areas (follow-up, awareness) can cite.

An area registers ``@indicator("name", label=..., area=..., unit=..., period=...)`` on
``fn(conn, as_of, member_state) -> value``: ``unit`` names what the value counts
(``applications``), ``period`` over which days (``on``: a stock on the day; ``year``: the calendar
year up to the day; ``to_date``: every record up to the day), as the function computes it.

``member_state`` is the scope: ``None`` counts the records of every state (the whole EU), a state
code counts that state's records only. What "the state's" records are is the indicator's to say
(in its docstring): a Dublin request awaiting a reply is the requested state's, a return alert the
issuing state's. An indicator whose figures are not by state (Frontex detections by route) is
registered with ``scoped=False``: it is always computed EU-wide, and a reader of a state's report
is told so rather than shown EU figures as the state's. ``whose`` says in a few words what a
state's records are, for the reader (``"requests {state} must answer"``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Connection

from pactum.common import states

IndicatorFn = Callable[[Connection, date, str | None], Any]
Period = Literal["on", "year", "to_date"]


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    area: str
    fn: IndicatorFn
    unit: str = ""
    period: Period = "on"
    scoped: bool = True  # False: the figures are not by state; always computed EU-wide
    whose: str = ""  # a state's records in words, ``{state}`` for its code: "requests {state} must answer"

    def records_of(self, member_state: str | None) -> str:
        """Whose records the value counts, for a reader: ``IT's (requests IT must answer)``,
        ``every state's``, or ``EU-wide (not by state)``."""
        if not self.scoped:
            return "EU-wide (not by state)"
        if member_state is None:
            return "every state's"
        return f"{member_state}'s" + (f" ({self.whose.format(state=member_state)})" if self.whose else "")

    def value(self, conn: Connection, as_of: date, member_state: str | None = None) -> Any:
        """The value for ``member_state``'s records (``None``: every state's). An indicator that
        is not scoped is computed EU-wide whatever the state: the caller shows it as such."""
        return self.fn(conn, as_of, member_state if self.scoped else None)


_INDICATORS: dict[str, Indicator] = {}


def indicator(name: str, *, label: str, area: str, unit: str = "", period: Period = "on",
              scoped: bool = True, whose: str = "") -> Callable[[IndicatorFn], IndicatorFn]:
    def register(fn: IndicatorFn) -> IndicatorFn:
        try:
            inspect.signature(fn).bind(None, None, None)
        except TypeError:
            raise TypeError(f"indicator {name!r}: {fn.__qualname__} must take (conn, as_of, member_state)") from None
        _INDICATORS[name] = Indicator(name, label, area, fn, unit, period, scoped, whose)
        return fn

    return register


def load_all() -> dict[str, Indicator]:
    import pactum.services as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"pactum.services.{mod.name}")
    return dict(sorted(_INDICATORS.items()))


def compute(conn: Connection, name: str, as_of: date, member_state: str | None = None) -> Any:
    """Indicator ``name`` on ``as_of`` over ``member_state``'s records (``None``: every state's).
    Raises ``KeyError`` for an indicator no area registers and ``ValueError`` for an unknown state
    or a state asked of an indicator that is not by state."""
    registry = load_all()
    if name not in registry:
        raise KeyError(name)
    ind = registry[name]
    if member_state is not None:
        member_state = states.member_state(member_state)
        if not ind.scoped:
            raise ValueError(f"the indicator {name!r} is EU-wide, not by state: compute it without a member state")
    return ind.fn(conn, as_of, member_state)

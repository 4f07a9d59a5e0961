"""Queries of the law area: time limits and the legal parameters in force on a date.

Both are pure computations over the shipped parameter tree (no rows are read or written), open to
every logged-in user whatever their role: a legal time limit is public law.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from pactum.common.errors import NotFound, Unauthenticated, ValidationProblem
from pactum.law import TimeLimitRequest, TimeLimitResult, parameters_in_force
from pactum.law.refs import INSTRUMENTS
from pactum.law.time_limits import KINDS, compute, variants_of
from pactum.law.tree import UnknownParameter, history
from pactum.services.auth import Principal


class ParameterPublic(BaseModel):
    path: str
    value: Any
    unit: str | None
    valid_from: date
    citation: str
    reference: dict[str, str | None]
    description: str | None
    note: str | None
    unverified: bool
    instrument_file: str


class ParametersPublic(BaseModel):
    on: date
    count: int
    parameters: list[ParameterPublic]


def _logged_in(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthenticated("log in first")
    return principal


def compute_time_limit(principal: Principal | None, request: TimeLimitRequest) -> TimeLimitResult:
    """``POST /api/v1/law/time-limits``: the time limit with its legal basis and computation."""
    _logged_in(principal)
    return compute(request)


def parameters_on(principal: Principal | None, on: date | str | None, prefix: str | None = None) -> ParametersPublic:
    """``GET /api/v1/law/parameters?on=YYYY-MM-DD``: every legal parameter in force on ``on``."""
    _logged_in(principal)
    if on is None or on == "":
        raise ValidationProblem.one("on", "give the date the parameters must be in force on (YYYY-MM-DD)")
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on)
        except ValueError:
            raise ValidationProblem.one("on", f"{on!r} is not a date (YYYY-MM-DD)") from None
    params = parameters_in_force(on, prefix=prefix or None)
    if prefix and not params:
        raise ValidationProblem.one("prefix", f"no parameter in force on {on.isoformat()} under {prefix!r}")
    out = [ParameterPublic(
        path=p.path, value=p.value, unit=p.unit, valid_from=p.valid_from, citation=p.reference.cite(),
        reference={k: v for k, v in p.reference.to_dict().items() if k != "citation"},
        description=p.description, note=p.note, unverified=p.unverified,
        instrument_file=history(p.path).source_file) for p in params]
    return ParametersPublic(on=on, count=len(out), parameters=out)


class ParameterValuePublic(BaseModel):
    valid_from: date
    value: Any
    unit: str | None


class ParameterHistoryPublic(BaseModel):
    path: str
    citation: str
    reference: dict[str, str | None]
    description: str | None
    note: str | None
    unverified: bool
    instrument_file: str
    values: list[ParameterValuePublic]


def parameter_history(principal: Principal | None, path: str) -> ParameterHistoryPublic:
    """``GET /api/v1/law/parameters/{path}``: every dated value of one parameter."""
    _logged_in(principal)
    try:
        h = history(path)
    except UnknownParameter:
        raise NotFound(f"no legal parameter {path!r}") from None
    return ParameterHistoryPublic(
        path=h.path, citation=h.reference.cite(),
        reference={k: v for k, v in h.reference.to_dict().items() if k != "citation"},
        description=h.description, note=h.note, unverified=h.unverified, instrument_file=h.source_file,
        values=[ParameterValuePublic(valid_from=d, value=v, unit=u) for d, v, u in h.values])


def time_limit_kinds() -> list[dict[str, Any]]:
    """The kinds of time limit with their variants (for forms and documentation)."""
    return [{"kind": k.kind, "title": k.title, "variants": variants_of(k.kind),
             "default_variant": k.default_variant, "needs_registration_date": k.area == "responsibility"}
            for k in sorted(KINDS.values(), key=lambda k: k.kind)]


def instruments() -> list[dict[str, str]]:
    return [{"code": i.code, "celex": i.celex, "title": i.title, "name": i.short} for i in INSTRUMENTS.values()]

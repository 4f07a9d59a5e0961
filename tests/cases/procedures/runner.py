"""Runner of the procedures routing cases (``tests/cases/procedures/*.yaml``).

Each case gives the routing input of ``POST /api/v1/procedures/routing`` (plus, optionally,
``decisions``: first-instance decision statistics that replace the shipped UNHCR data, to test the
threshold at its edge) and the expected routing. ``run(input)`` returns the routing's fields
flattened for comparison; bad input gives ``{"error": {field: message}}``. ``legal_basis`` in
``expected`` lists citations that must all appear; ``error`` the fields that must be reported;
every other field must be equal.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from pactum.common.errors import ValidationProblem
from pactum.procedures.model import RoutingInput
from pactum.procedures.recognition import DecisionStat
from pactum.procedures.routing import route
from pactum.procedures.safe_countries import (
    SafeCountryEntry,
    shipped_entries,
    validate_entry,
)
from pactum.procedures.statistics import shipped_statistics


@lru_cache(maxsize=1)
def _stats() -> tuple[DecisionStat, ...]:
    return tuple(shipped_statistics())


@lru_cache(maxsize=1)
def _lists() -> tuple[SafeCountryEntry, ...]:
    return tuple(shipped_entries())


def run(case: dict[str, Any]) -> None:
    """Route the case's input and assert the expected fields (the generic collector's contract:
    a runner that makes its own assertions returns ``None``)."""
    actual = routing_of(case["input"])
    problems = check(case["expected"], actual)
    if problems:
        raise AssertionError("\n".join(problems))


def routing_of(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    decisions = data.pop("decisions", None)
    national = data.pop("national_list", None)
    stats: tuple[DecisionStat, ...] | list[DecisionStat] = _stats()
    if decisions is not None:
        stats = [DecisionStat(int(d["year"]), d["member_state"], d["nationality"],
                              int(d.get("refugee_status", 0)), int(d.get("subsidiary_protection", 0)),
                              int(d.get("rejected", 0)), 0, "case") for d in decisions]
    lists = list(_lists()) + [validate_entry(e) for e in (national or [])]
    try:
        result = route(RoutingInput(**data), stats, lists)
    except ValidationError as e:
        return {"error": {".".join(str(p) for p in err["loc"]): err["msg"] for err in e.errors()}}
    except ValidationProblem as e:
        return {"error": dict(e.problems)}
    rr = result.recognition_rate
    return {
        "procedure": result.procedure,
        "mandatory": result.mandatory,
        "grounds": result.grounds,
        "legal_basis": result.legal_basis,
        "recognition_rate_percent": rr.get("rate_percent"),
        "reference_year": rr.get("reference_year"),
        "trace_rules": [s["rule"] for s in result.trace],
    }


def check(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Differences between the expected fields and the result (only the fields the case names).

    ``legal_basis`` in ``expected`` lists citations that must all appear; ``error`` lists the
    fields that must be reported."""
    problems: list[str] = []
    for key, want in expected.items():
        got = actual.get(key)
        if key == "legal_basis":
            wants = [want] if isinstance(want, str) else list(want)
            missing = [w for w in wants if w not in (got or [])]
            if missing:
                problems.append(f"legal_basis lacks {missing}; got {got}")
        elif key == "error":
            fields = [want] if isinstance(want, str) else list(want)
            missing = [f for f in fields if f not in (got or {})]
            if missing or got is None:
                problems.append(f"expected errors on {fields}; got {got}")
        elif got != want:
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    return problems

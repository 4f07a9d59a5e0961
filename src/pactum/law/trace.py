"""Explanation traces: every determination says which rules it tried, on which facts, with which
parameter values and under which articles (the OpenFisca tracer idea). Responsibility, routing and
time-limit computations all record their reasoning in a ``Trace``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pactum.law.refs import LegalRef


def jsonable(value: Any) -> Any:
    """Turn dates, references, parameters, enums and containers into JSON-compatible values."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, LegalRef):
        return value.cite()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Decimal):
        return str(value)
    to_trace = getattr(value, "to_trace", None)
    if callable(to_trace):
        return jsonable(to_trace())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return jsonable(model_dump(mode="json"))
    return str(value)


@dataclass
class TraceStep:
    rule: str
    legal_basis: list[str]
    facts: dict[str, Any]
    parameters: dict[str, Any]
    outcome: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "legal_basis": list(self.legal_basis),
            "facts": jsonable(self.facts),
            "parameters": jsonable(self.parameters),
            "outcome": self.outcome,
        }


@dataclass
class Trace:
    """An ordered record of rule applications.

    >>> t = Trace()
    >>> t.step(rule="residence_document", legal_basis=[ref], facts={...}, parameters={...},
    ...        outcome="applies: FR")
    >>> t.to_list()
    """

    steps: list[TraceStep] = field(default_factory=list)

    def step(
        self,
        rule: str,
        legal_basis: Iterable[LegalRef | str] = (),
        facts: Mapping[str, Any] | None = None,
        parameters: Mapping[str, Any] | None = None,
        outcome: str = "",
    ) -> TraceStep:
        s = TraceStep(
            rule=rule,
            legal_basis=[r.cite() if isinstance(r, LegalRef) else str(r) for r in legal_basis],
            facts=dict(facts or {}),
            parameters=dict(parameters or {}),
            outcome=outcome,
        )
        self.steps.append(s)
        return s

    def extend(self, other: Trace) -> None:
        self.steps.extend(other.steps)

    def legal_basis(self) -> list[str]:
        """Every article cited, in first-cited order, without repetition."""
        seen: dict[str, None] = {}
        for s in self.steps:
            for ref in s.legal_basis:
                seen.setdefault(ref, None)
        return list(seen)

    def to_list(self) -> list[dict[str, Any]]:
        return [s.to_dict() for s in self.steps]

    @classmethod
    def from_list(cls, data: Iterable[Mapping[str, Any]]) -> Trace:
        """Read back a trace stored as JSON (``to_list()``), e.g. from a case row."""
        t = cls()
        for d in data:
            t.steps.append(TraceStep(rule=str(d["rule"]), legal_basis=[str(x) for x in d.get("legal_basis", [])],
                                     facts=dict(d.get("facts", {})), parameters=dict(d.get("parameters", {})),
                                     outcome=str(d.get("outcome", ""))))
        return t

    def __len__(self) -> int:
        return len(self.steps)

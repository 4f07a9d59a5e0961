"""Runs the law cases (``tests/cases/law/*.yaml``).

``input`` is either the JSON body of ``POST /api/v1/law/time-limits`` or ``{period: {start,
amount, unit, member_state, backwards}}`` for bare Reg. 1182/71 arithmetic. The result is the JSON
the API returns (``regime``, ``starts_at``, ``ends_on``/``ends_at``, ``legal_basis``, ...), or
``{error: {field, message}}`` for input the platform refuses. ``expected.computation_mentions``
lists words the explanation must contain. The case's ``legal_basis`` must be cited by the result,
so a case fails if the right date is reached for the wrong reason.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from pactum.common.errors import ValidationProblem
from pactum.law.periods import compute_period
from pactum.law.time_limits import TimeLimitRequest, compute


def _mentions(case: dict[str, Any], computation: list[str]) -> list[str]:
    wanted = case["expected"].get("computation_mentions", [])
    text = "\n".join(computation)
    return [w for w in wanted if w in text]


def _check_basis(case: dict[str, Any], cited: list[str]) -> None:
    basis = case["legal_basis"]
    for b in [basis] if isinstance(basis, str) else basis:
        assert any(c == b or c.startswith(b + "(") for c in cited), (
            f"{case['name']}: legal basis {b!r} is not cited; cited: {cited}")


def run(case: dict[str, Any]) -> dict[str, Any]:
    data = case["input"]
    try:
        if "period" in data:
            p = data["period"]
            start = p["start"]
            if isinstance(start, str):
                start = datetime.fromisoformat(start) if "T" in start else date.fromisoformat(start)
            period = compute_period(start, p["amount"], p["unit"], p["member_state"],
                                    backwards=p.get("backwards", False))
            cited = [r.cite() for r in period.legal_basis]
            _check_basis(case, cited)
            return {"end": period.end, "starts_at": period.starts_at, "legal_basis": cited,
                    "computation_mentions": _mentions(case, period.steps)}
        request = TimeLimitRequest.model_validate(data)
        result = compute(request).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        return {"error": {"field": ".".join(str(x) for x in first["loc"]), "message": first["msg"]}}
    except ValidationProblem as exc:
        field, message = exc.problems[0]
        return {"error": {"field": field, "message": message}}
    _check_basis(case, result["legal_basis"])
    result["computation_mentions"] = _mentions(case, result["computation"])
    return result

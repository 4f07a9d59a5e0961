"""Runs a returns legal case: the terms of a return decision and, after departure, the entry ban.

``evaluate(input) -> dict`` gives the fields a case's ``expected`` names:
``voluntary_departure_days``, ``voluntary_departure_last_day``, ``entry_ban_years``, ``entry_ban_months``,
``entry_ban_ends_on`` (with ``departed_on``), or ``problems`` (``{field: message}``) when the law
refuses the decision. ``run(case)`` (called by ``tests/cases/conftest.py``) checks them itself,
because an expected objection names a phrase of the message rather than the whole message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pactum.common.errors import ValidationProblem
from pactum.returns.rules import decide_terms, entry_ban_ends_after, entry_ban_ends_on


def _d(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def evaluate(case_input: dict[str, Any]) -> dict[str, Any]:
    try:
        terms = decide_terms(
            issued_on=_d(case_input["issued_on"]),
            member_state=case_input["member_state"],
            voluntary_departure_days=case_input.get("voluntary_departure_days"),
            entry_ban_years=case_input.get("entry_ban_years"),
            grounds=list(case_input.get("grounds", [])),
            entry_ban_months=case_input.get("entry_ban_months"),
        )
    except ValidationProblem as exc:
        return {"problems": dict(exc.problems)}
    out: dict[str, Any] = {
        "voluntary_departure_days": terms.voluntary_departure_days,
        "voluntary_departure_last_day": (
            terms.voluntary_departure_last_day.isoformat()
            if terms.voluntary_departure_last_day
            else None
        ),
        "entry_ban_years": terms.entry_ban_years,
        "entry_ban_months": terms.entry_ban_months,
        "legal_basis": terms.legal_basis,
    }
    if terms.entry_ban_months and case_input.get("departed_on"):
        out["entry_ban_ends_on"] = entry_ban_ends_after(
            _d(case_input["departed_on"]),
            terms.entry_ban_months,
            case_input["member_state"],
        ).isoformat()
        if terms.entry_ban_years:  # counted in years, the same day
            assert out["entry_ban_ends_on"] == entry_ban_ends_on(
                _d(case_input["departed_on"]), terms.entry_ban_years, case_input["member_state"]).isoformat()
    return out


def check(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Each expected field equals the actual one; an expected problem is a part of the message."""
    for key, want in expected.items():
        if key == "problems":
            got = actual.get("problems")
            assert got is not None, (
                f"expected the law to refuse the decision, it gave {actual}"
            )
            for field, fragment in want.items():
                assert field in got, f"no objection on {field}: {got}"
                assert fragment in got[field], (
                    f"{field}: {got[field]!r} does not say {fragment!r}"
                )
        else:
            assert "problems" not in actual, (
                f"the law refused the decision: {actual['problems']}"
            )
            assert actual.get(key) == want, (
                f"{key}: expected {want!r}, got {actual.get(key)!r}"
            )


def run(case: dict[str, Any]) -> None:
    check(case["expected"], evaluate(case["input"]))

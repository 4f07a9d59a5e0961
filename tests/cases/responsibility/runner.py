"""Runs the responsibility legal cases (``tests/cases/responsibility/*.yaml``).

Each case gives the JSON input of ``POST /api/v1/responsibility/determinations`` (or, with
``type: cessation``, of ``POST /api/v1/responsibility/cessation``) and either the expected
``responsible_member_state``/``regime``/``criterion`` (``rule``) or ``error: <field>`` for facts the
platform must refuse. The case's ``legal_basis`` must be among the articles the determination
cites (its result or the trace), so a case fails if the right state is reached for the wrong
reason. ``expected.trace`` (optional) lists steps the explanation must hold, each ``{rule,
outcome_contains}``: a step of that rule whose outcome contains that text (what a caseworker must
read, such as a fact the rule needs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pactum.common.errors import ValidationProblem
from pactum.responsibility.determination import cessation_json, determine_json

HERE = Path(__file__).parent


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(HERE.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append((f"{path.stem}: {case['name']}", case))
    return out


def run_border_procedure(case: dict[str, Any]) -> dict[str, Any]:
    """``type: border_procedure``: the end of the obligations of the state that examined the
    application in the border procedure (AMMR Art 37(2)-(3)) as the case flow applies it: ``input``
    gives the day the decision became final (``final_on``), the day the application was registered
    in another state, the day asked (``today``) and the days take-back requests or notifications
    were sent to that state; ``expected`` the last day of the period (``ends_on``) and ``ended``
    (``new_application``, ``none_pending`` or ``null``)."""
    from datetime import date

    from pactum.responsibility.cessation import BORDER_PENDING_BASIS, border_obligations_ended, border_period

    i = case["input"]
    day = date.fromisoformat
    period = border_period(day(str(i["final_on"])), on=day(str(i["today"])))
    ended = border_obligations_ended(period, registered_on=day(str(i["registered_on"])), today=day(str(i["today"])),
                                     take_back_sent_on=[day(str(d)) for d in i.get("take_back_sent_on") or []])
    cited = {period.legal_basis} | ({BORDER_PENDING_BASIS} if ended == "none_pending" or i.get("take_back_sent_on")
                                    else set())
    assert case["legal_basis"] in cited, f"{case['name']}: {case['legal_basis']} is not cited; cited: {sorted(cited)}"
    return {"ends_on": period.ends_on.isoformat(), "period": period.length, "ended": ended}


def run(case: dict[str, Any]) -> dict[str, Any] | None:
    if case.get("type") == "border_procedure":
        return run_border_procedure(case)
    expected = case["expected"]
    fn = cessation_json if case.get("type") == "cessation" else determine_json
    keys = ("responsible_member_state", "regime", "rule") if case.get("type") == "cessation" else (
        "responsible_member_state", "regime", "criterion")
    if "error" in expected:
        try:
            fn(case["input"])
        except ValidationProblem as e:
            fields = [f for f, _ in e.problems]
            assert expected["error"] in fields, f"expected a problem on {expected['error']}, got {e.problems}"
            return None
        raise AssertionError(f"expected a 422 on {expected['error']}, the facts were accepted")
    result = fn(case["input"])
    got = {k: result[k] for k in keys}
    want = {k: expected[k] for k in keys}
    assert got == want, f"{case['name']}: expected {want}, got {got}\ntrace: {result['trace']}"
    cited = set(result["legal_basis"])
    for step in result["trace"]:
        cited.update(step["legal_basis"])
    basis = case["legal_basis"]
    assert any(c == basis or c.startswith(basis + "(") for c in cited), (
        f"{case['name']}: {basis} is not cited; cited: {sorted(cited)}")
    for want_step in expected.get("trace") or []:
        outcomes = [s["outcome"] for s in result["trace"] if s["rule"] == want_step["rule"]]
        assert any(want_step["outcome_contains"] in o for o in outcomes), (
            f"{case['name']}: no {want_step['rule']} step saying {want_step['outcome_contains']!r}; "
            f"its steps: {outcomes}")
    return None

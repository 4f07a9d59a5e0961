"""``pactum.returns.stay``: whom a return decision may be issued to, on the facts of the asylum
records (pure rules, no store)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.returns.stay import AsylumCaseFacts, ProtectionElsewhere, check_stay

D = date.fromisoformat


def case(**kw: Any) -> AsylumCaseFacts:
    base: dict[str, Any] = {"id": "asy_1", "state": "notified", "procedure": "regular", "made_on": D("2026-07-01"),
                            "pending": False, "outcome": "rejected_unfounded", "decided_on": D("2026-08-20"),
                            "negative": True}
    return AsylumCaseFacts(**{**base, **kw})


def check(*cases: AsylumCaseFacts, grounds: list[str] | None = None, asylum_case_id: str | None = None,
          elsewhere: list[ProtectionElsewhere] | None = None, issued_on: str = "2026-09-01") -> Any:
    return check_stay(issued_on=D(issued_on), member_state="IT", grounds=list(grounds or []),
                      asylum_case_id=asylum_case_id, cases=list(cases), protection_elsewhere=list(elsewhere or []))


def test_a_refugee_of_the_issuing_state_gets_no_return_decision() -> None:
    granted = case(outcome="refugee_status", negative=False, protection_granted="refugee_status")
    with pytest.raises(Conflict, match=r"granted refugee status by IT on 2026-08-20 \(asylum case asy_1\)"):
        check(granted, grounds=["illegal_stay"])
    with pytest.raises(Conflict, match="Article 2\\(1\\)"):
        check(granted, asylum_case_id="asy_1")


def test_a_pending_application_gives_the_right_to_remain() -> None:
    with pytest.raises(Conflict, match=r"is pending .*Regulation \(EU\) 2024/1348, Article 10\(1\)"):
        check(case(state="lodged", pending=True, outcome=None, decided_on=None, negative=False))
    # an application made before the Pact: the Asylum Procedures Directive's Art 9(1)
    with pytest.raises(Conflict, match="Directive 2013/32/EU, Article 9\\(1\\)"):
        check(case(state="registered", pending=True, made_on=D("2026-03-01"), outcome=None, decided_on=None,
                   negative=False))
    # decided after the day the return decision is dated: pending that day
    with pytest.raises(Conflict, match="was pending on 2026-08-10 \\(decided only on 2026-08-20\\)"):
        check(case(), asylum_case_id="asy_1", issued_on="2026-08-10")


def test_the_negative_decision_ground_goes_with_its_case() -> None:
    out = check(case(), asylum_case_id="asy_1", grounds=["illegal_stay"])
    assert out.grounds == ["illegal_stay", "negative_asylum_decision"]
    assert [s["rule"] for s in out.trace] == ["staying_illegally", "negative_asylum_decision"]
    with pytest.raises(ValidationProblem) as refused:
        check(case(), grounds=["negative_asylum_decision"])
    assert refused.value.problems[0][0] == "grounds" and "asylum_case_id: asy_1" in refused.value.problems[0][1]
    with pytest.raises(ValidationProblem) as refused:
        check(asylum_case_id="asy_9")
    assert refused.value.problems[0][0] == "asylum_case_id"


def test_protection_by_another_state_needs_an_article_6_2_ground() -> None:
    fr = [ProtectionElsewhere("FR", D("2026-06-01"))]
    with pytest.raises(Conflict, match="required to go to FR first \\(Directive 2008/115/EC, Article 6\\(2\\)\\)"):
        check(elsewhere=fr, grounds=["illegal_stay"])
    for ground in ("did_not_go_to_protecting_state", "public_security_risk"):
        out = check(elsewhere=fr, grounds=["illegal_stay", ground])
        assert out.legal_basis == ["Directive 2008/115/EC, Article 6(2)"]
        assert out.trace[-1]["rule"] == "protection_in_another_member_state"


@pytest.mark.parametrize(("decided_on", "applies"), [("2026-10-26", True), ("2026-10-27", False)])
def test_the_return_border_procedure_follows_a_rejection_within_the_border_procedure(
        decided_on: str, applies: bool) -> None:
    border = case(procedure="border", decided_on=D(decided_on), border_procedure_end=D("2026-10-26"),
                  outcome="rejected_manifestly_unfounded")
    out = check(border, asylum_case_id="asy_1", grounds=["return_border_procedure"], issued_on="2026-11-30")
    assert ("return_border_procedure" in out.grounds) is applies
    step = next(s for s in out.trace if s["rule"] == "return_border_procedure")
    assert step["outcome"].startswith("applies" if applies else "does not apply")


def test_the_return_border_procedure_needs_a_border_procedure_case() -> None:
    with pytest.raises(ValidationProblem, match="name that asylum case"):
        check(grounds=["return_border_procedure"])
    with pytest.raises(ValidationProblem, match="examined in the regular procedure"):
        check(case(), asylum_case_id="asy_1", grounds=["return_border_procedure"])


def test_protection_reached_through_a_chain_names_the_records_it_passes() -> None:
    # FR's record joined to the person's through DE's and AT's records (same-person links, a chain)
    fr = [ProtectionElsewhere("FR", D("2026-06-01"), through=("DE", "AT"))]
    with pytest.raises(Conflict, match="FR's record is joined to the person's through DE's and AT's records "
                                       "of the same person\\): they are required to go to FR first"):
        check(elsewhere=fr, grounds=["illegal_stay"])
    out = check(elsewhere=fr, grounds=["illegal_stay", "did_not_go_to_protecting_state"])
    assert out.trace[-1]["facts"]["through"] == {"FR": ["DE", "AT"]}
    assert out.trace[-1]["outcome"].endswith("(FR's record is joined to the person's through DE's and AT's records "
                                             "of the same person)")
    # a direct link says nothing of a chain
    direct = check(elsewhere=[ProtectionElsewhere("FR", D("2026-06-01"))],
                   grounds=["illegal_stay", "did_not_go_to_protecting_state"])
    assert "through" not in direct.trace[-1]["facts"] and "joined" not in direct.trace[-1]["outcome"]

"""APR Art 38(1)(e) (read in the Italian text of Regulation (EU) 2024/1348): an application made only
after seven working days from the receipt of a return decision; the examination on that ground ends
within ten working days of lodging (Art 35(1), second subparagraph). Counted as Reg. 1182/71 counts
working days, with the Member State's public holidays."""

from datetime import date

from pactum.law import param
from pactum.procedures import workflow
from pactum.procedures.model import CaseState
from pactum.procedures.return_decision_ground import examination_end, late_after_return_decision


def test_the_seven_working_days_are_in_the_law_tree_read_in_the_text() -> None:
    p = param("apr.inadmissibility.return_decision_window", on=date(2026, 11, 27))
    assert (p.value, p.unit, p.unverified) == (7, "working_days", False)
    assert p.reference.cite() == "Regulation (EU) 2024/1348, Article 38(1)(e)"
    assert "Italian version" in p.note and "d5p2rnkdz9-hub/SOSPATTO" in p.note


def test_an_italian_holiday_is_not_a_working_day_of_the_window() -> None:
    # received Friday 4 December 2026; Tuesday 8 December (Immaculate Conception) not counted
    it = late_after_return_decision(date(2026, 12, 4), date(2026, 12, 16), "IT")
    assert (it.last_day, it.late) == (date(2026, 12, 16), False)
    assert any("2026-12-08" in s for s in it.steps)
    # in Germany 8 December is a working day: the seven end on the 15th, the 16th is after them
    de = late_after_return_decision(date(2026, 12, 4), date(2026, 12, 16), "DE")
    assert (de.last_day, de.late) == (date(2026, 12, 15), True)
    assert de.legal_basis[0] == "Regulation (EU) 2024/1348, Article 38(1)(e)"


def test_the_examination_on_the_ground_ends_ten_working_days_after_lodging() -> None:
    end = examination_end(date(2026, 11, 27), "IT", date(2026, 11, 27))
    assert end.ends_on == date(2026, 12, 14)  # 8 December not counted
    assert end.legal_basis == "Regulation (EU) 2024/1348, Article 35(1)"
    assert examination_end(None, "IT", date(2026, 11, 27)).ends_on is None


def _case(state: str, **kw: object) -> workflow.Case:
    facts: dict = {"member_state": "IT", "procedure": "regular", "context": "in_territory",
                   "state": CaseState(state), "made_on": date(2026, 11, 27), "registered_on": date(2026, 11, 27),
                   "lodged_on": date(2026, 11, 27), "interview_held_on": date(2026, 11, 27), **kw}
    return workflow.Case(**facts)


def test_only_a_draft_on_the_ground_makes_the_ten_working_days_from_lodging_the_case_deadline() -> None:
    for state in ("draft_decision", "under_review"):
        dl = workflow.next_deadline(_case(state, outcome="inadmissible",
                                          inadmissibility_ground="return_decision_late_application"))
        assert dl is not None
        # lodged Friday 27 November 2026; 8 December (a holiday in Italy) not counted
        assert (dl.kind, dl.due, dl.legal_basis) == (
            "examination_admissibility_late_after_return_decision", date(2026, 12, 14),
            "Regulation (EU) 2024/1348, Article 35(1)")
        assert dl.computation[0].startswith("the draft decision rejects the application as inadmissible on the "
                                            "ground of Regulation (EU) 2024/1348, Article 38(1)(e)")
        assert "10 working days of lodging" in dl.computation[0]
    # until the authority drafts on the ground, the procedure's own time limit runs: the facts of the ground alone (the notice) do not bind the authority to examine admissibility on it
    held = workflow.next_deadline(_case("interview_held"))
    assert held is not None and (held.kind, held.due) == ("examination_regular", date(2027, 5, 27))
    other = workflow.next_deadline(_case("draft_decision", outcome="inadmissible",
                                         inadmissibility_ground="safe_third_country"))
    assert other is not None and other.kind == "examination_regular"
    decided = workflow.next_deadline(_case("decided", outcome="inadmissible", decided_on=date(2026, 11, 28),
                                           inadmissibility_ground="return_decision_late_application"))
    assert decided is None  # the examination is over once the decision is taken

"""The annual cycle runs ahead of the Regulation (AMMR Art 85): the 2026 pool's Report, pressure
decision and proposal were due by 15 October 2025, its Forum within 15 days of them and the Council's
act by 31 December 2025, under the early application of the cycle's provisions (Arts 9-15, 57). Its
steps, taken in 2025, are recorded, bound by their due dates and cite that early application; a step
dated before the cycle's provisions applied is refused."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.law import param
from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services
from pactum.solidarity import cycle as cyc
from pactum.solidarity.schemas import CycleAction, CycleCreate

AMMR = "Regulation (EU) 2024/1351"
EARLY = f"{AMMR}, Article 85"
# the first cycle as it ran: the Commission's Report, decision and proposal of 11.11.2025, the
# High-Level Forum, the Council Implementing Decision (EU) 2025/2642 of 19.12.2025
RAN_2025 = {"proposal_on": date(2025, 11, 11), "forum_on": date(2025, 11, 24), "council_act_on": date(2025, 12, 19)}


def test_the_2026_cycle_was_bound_by_its_2025_due_dates_under_the_early_application() -> None:
    due = {d["step"]: d for d in cyc.due_dates(2026, RAN_2025, date(2026, 1, 5))}
    # the Report, decision and proposal: due 15 October 2025, adopted 11 November 2025, late
    assert (due["create"]["due"], due["create"]["binding"], due["create"]["late"]) == (date(2025, 10, 15), True, True)
    # the Report, the decision and the proposal by 15 October (Arts 9(4), 11(4), 12(6), read in the Official
    # Journal text): each paragraph that sets the date, not only the articles (until 1 December 2026)
    assert due["create"]["legal_basis"] == [f"{AMMR}, Article 9(4)", f"{AMMR}, Article 11(4)", f"{AMMR}, Article 12(6)",
                                            EARLY]
    # the Forum within 15 days of the proposal (Art 13(2)); the Council's act before the end of 2025 (Art 57(1))
    assert (due["open_pledging"]["due"], due["open_pledging"]["late"]) == (date(2025, 11, 26), False)
    assert due["open_pledging"]["legal_basis"] == [f"{AMMR}, Article 13(2)", EARLY]
    assert (due["adopt"]["due"], due["adopt"]["binding"], due["adopt"]["late"]) == (date(2025, 12, 31), True, False)
    assert due["adopt"]["legal_basis"] == [f"{AMMR}, Article 57(1)", EARLY]


def test_a_step_taken_once_the_regulation_applies_cites_no_early_application() -> None:
    due = {d["step"]: d for d in cyc.due_dates(2027, {"proposal_on": date(2026, 10, 14)}, date(2026, 10, 20))}
    assert due["create"]["binding"] is True and due["create"]["late"] is False
    assert EARLY not in due["create"]["legal_basis"] and EARLY not in due["open_pledging"]["legal_basis"]
    # the day before the Regulation applies as a whole a step still rests on the early application
    assert cyc.early_application_basis(date(2026, 6, 30)) == [EARLY]
    assert cyc.early_application_basis(date(2026, 7, 1)) == []


def test_the_cycle_dates_come_from_the_law_with_their_articles() -> None:
    on = date(2025, 10, 15)  # in force for the first cycle, before the Regulation applies
    assert param("solidarity.cycle.report_by", on=on).value == "10-15"
    proposal = param("solidarity.cycle.proposal_by", on=on)
    # the proposal is adopted by 15 October each year (Art 12(6), read in the Official Journal text)
    assert (proposal.value, proposal.cite(), proposal.unverified) == ("10-15", f"{AMMR}, Article 12(6)", False)
    assert param("solidarity.cycle.report_by", on=on).cite() == f"{AMMR}, Article 9(4)"
    assert param("solidarity.cycle.forum_within", on=on).cite() == f"{AMMR}, Article 13(2)"
    assert param("solidarity.cycle.council_act_by", on=on).cite() == f"{AMMR}, Article 57(1)"
    assert param("solidarity.pool.relocations_min", on=on).value == 30000
    app = param("solidarity.cycle.application", on=on)
    # Art 85, read in the Official Journal text: Arts 7 to 15, 56 and 57 apply from 11 June 2024
    assert (app.value, app.cite(), app.unverified) == ("early", EARLY, False)
    assert cyc.first_pool_year() == 2026


def test_a_cycle_not_opened_is_overdue_from_its_2025_dates_and_none_binds_a_year_before_the_first_pool() -> None:
    late = cyc.missing_cycle(2026, date(2026, 1, 10))
    assert late is not None and late["overdue"] is True
    assert [(s["step"], s["due"], s["status"]) for s in late["steps"]] == [
        ("create", date(2025, 10, 15), "overdue"), ("adopt", date(2025, 12, 31), "overdue")]
    assert all(EARLY in s["legal_basis"] for s in late["steps"])
    assert cyc.missing_cycle(2025, date(2025, 1, 10)) is None
    assert all(not d["binding"] for d in cyc.due_dates(2025, {"proposal_on": date(2024, 11, 1)}, date(2025, 1, 10)))


@pytest.mark.parametrize("action", ["open_pledging", "adopt"])
def test_a_step_dated_before_the_cycles_provisions_applied_is_refused(action: str) -> None:
    why = cyc.step_date_problem(2026, action, date(2024, 6, 10), {}, date(2026, 1, 5))
    assert why is not None and "before the provisions of the annual cycle apply (2024-06-11" in why and EARLY in why
    assert cyc.step_date_problem(2026, action, date(2024, 6, 11), {}, date(2026, 1, 5)) is None


def test_the_first_cycle_is_recorded_in_2025_and_its_steps_cite_the_early_application(services: Services) -> None:
    got = solidarity.create_cycle(services, SYSTEM, CycleCreate(
        year=2026, proposal_on=date(2025, 11, 11),
        designations=[{"member_state": "IT", "status": "under_pressure"}]))
    got = solidarity.cycle_action(services, SYSTEM, 2026, "open_pledging",
                                  CycleAction(version=got["version"], on=date(2025, 11, 24)))
    got = solidarity.cycle_action(services, SYSTEM, 2026, "adopt", CycleAction(
        version=got["version"], on=date(2025, 12, 19),
        council_act_reference="Council Implementing Decision (EU) 2025/2642"))
    assert got["status"] == "adopted"
    due = {d["step"]: d for d in got["due_dates"]}
    assert all(d["binding"] and EARLY in d["legal_basis"] for d in due.values())
    assert due["create"]["late"] is True and not due["open_pledging"]["late"] and not due["adopt"]["late"]
    # a year before the first pool is refused, naming the first annual cycle's basis
    with pytest.raises(ValidationProblem) as exc:
        solidarity.create_cycle(services, SYSTEM, CycleCreate(year=2025, proposal_on=date(2024, 11, 1)))
    assert exc.value.problems[0][0] == "year" and "exists from 2026" in exc.value.problems[0][1]
    # the first Report by 15 October 2025 (Art 9(6)): the first pool is 2026's
    assert f"{AMMR}, Article 9(6)" in exc.value.problems[0][1]

"""Suspensions of a return decision that overlap or follow each other without a day between are one
stop of the period for voluntary departure: no day of it is counted twice (Directive 2008/115/EC Art
7(1), 13(2); CJEU C-181/16 *Gnandi*; Reg. 1182/71 Art 3(1), 3(4)). Before, only the time to appeal
against the negative asylum decision was merged with the suspensions; two suspensions were each
counted on their own. Real dates, Italian holidays: a decision of Tuesday 1 September 2026 with 30
days, last day Thursday 1 October; suspended on Friday 11 September, 21 days of it left."""

from __future__ import annotations

from datetime import date

from pactum.returns.period import AppealTime, Stop, Suspension, merged_stops, period_run

SEP_11, OCT_1 = date(2026, 9, 11), date(2026, 10, 1)


def run(*suspensions: Suspension, appeal_time: AppealTime | None = None):  # type: ignore[no-untyped-def]
    r = period_run(starts_on=date(2026, 9, 1), last_day=OCT_1, suspensions=list(suspensions), member_state="IT",
                   appeal_time=appeal_time)
    assert r is not None
    return r


def stop(began: date, lifted: date | None) -> Stop:
    return Stop(began, lifted, None, (Suspension(began, lifted),))


def spans(stops: list[Stop]) -> list[tuple[date, date | None]]:
    return [(s.began_on, s.lifted_on) for s in stops]


# --------------------------------------------------------------------------- the intervals merged


def test_overlapping_intervals_are_one() -> None:
    merged = merged_stops([stop(date(2026, 9, 11), date(2026, 10, 20)), stop(date(2026, 10, 5), date(2026, 11, 2))])
    assert spans(merged) == [(date(2026, 9, 11), date(2026, 11, 2))]
    assert [s.began_on for s in merged[0].suspensions] == [date(2026, 9, 11), date(2026, 10, 5)]


def test_an_interval_beginning_on_the_day_another_is_lifted_overlaps_it() -> None:
    merged = merged_stops([stop(date(2026, 10, 20), date(2026, 11, 2)), stop(date(2026, 9, 11), date(2026, 10, 20))])
    assert spans(merged) == [(date(2026, 9, 11), date(2026, 11, 2))] and merged[0].parts == 2


def test_a_nested_interval_changes_nothing_but_its_parts() -> None:
    merged = merged_stops([stop(date(2026, 9, 11), date(2026, 10, 30)), stop(date(2026, 10, 1), date(2026, 10, 10))])
    assert spans(merged) == [(date(2026, 9, 11), date(2026, 10, 30))] and merged[0].parts == 2


def test_adjacent_intervals_are_one() -> None:
    # lifted on 17 October, the next begun on 18 October: no day between
    merged = merged_stops([stop(date(2026, 9, 11), date(2026, 10, 17)), stop(date(2026, 10, 18), date(2026, 10, 30))])
    assert spans(merged) == [(date(2026, 9, 11), date(2026, 10, 30))]


def test_disjoint_intervals_stay_apart() -> None:
    # one day between (19 October): two stops
    merged = merged_stops([stop(date(2026, 9, 11), date(2026, 10, 17)), stop(date(2026, 10, 19), date(2026, 10, 30))])
    assert spans(merged) == [(date(2026, 9, 11), date(2026, 10, 17)), (date(2026, 10, 19), date(2026, 10, 30))]


def test_an_interval_that_lasts_takes_in_what_begins_within_it() -> None:
    merged = merged_stops([stop(date(2026, 9, 11), None), stop(date(2026, 10, 1), date(2026, 10, 10))])
    assert spans(merged) == [(date(2026, 9, 11), None)]
    merged = merged_stops([stop(date(2026, 9, 11), date(2026, 10, 20)), stop(date(2026, 10, 20), None)])
    assert spans(merged) == [(date(2026, 9, 11), None)]


def test_the_time_to_appeal_merges_as_before() -> None:
    at = AppealTime(date(2026, 9, 1), date(2026, 9, 15), "Regulation (EU) 2024/1348, Article 68(2)")
    merged = merged_stops([Stop(at.from_day, at.until, at), stop(date(2026, 9, 16), date(2026, 9, 30))])
    assert spans(merged) == [(date(2026, 9, 1), date(2026, 9, 30))] and merged[0].appeal_time == at


# --------------------------------------------------------------------------- the period they leave


def test_a_suspension_the_day_another_is_lifted_gives_no_day_twice() -> None:
    # lifted on 20 October and suspended again the same day, lifted on Monday 2 November: 21 days
    # from 3 November, Monday 23 November. Read one at a time, 20 October was counted in both
    # (22 days left at the second): Tuesday 24 November
    r = run(Suspension(SEP_11, date(2026, 10, 20)), Suspension(date(2026, 10, 20), date(2026, 11, 2)))
    assert r.ends_on == date(2026, 11, 23)
    assert r.steps == [
        "suspended on 2026-09-11, lifted on 2026-10-20; suspended on 2026-10-20, lifted on 2026-11-02: "
        "suspensions that overlap or follow each other without a day between, read as one suspension from "
        "2026-09-11 to 2026-11-02 (no day is counted twice): the period did not run until 2026-11-02, with 21 days "
        "of it left (2026-09-11 to 2026-10-01): they run from 2026-11-03, last day 2026-11-23"]
    assert r.why_moved() == "the period did not run while the decision was suspended"


def test_adjacent_suspensions_do_not_carry_a_weekend_into_the_next() -> None:
    # lifted on Saturday 17 October (alone: last day Saturday 7 November, moved to Monday 9
    # November), suspended again on the 18th, lifted on Friday 30 October: 21 days from 31 October,
    # Friday 20 November. One at a time the weekend moved into the second (23 days): Monday 23 November
    r = run(Suspension(SEP_11, date(2026, 10, 17)), Suspension(date(2026, 10, 18), date(2026, 10, 30)))
    assert r.ends_on == date(2026, 11, 20)


def test_a_nested_suspension_adds_nothing() -> None:
    # 11 September to 30 October, and 1 to 10 October within it: Friday 20 November, as the outer
    # one alone. One at a time the inner one was counted again (51 days from 11 October): 30 November
    r = run(Suspension(SEP_11, date(2026, 10, 30)), Suspension(date(2026, 10, 1), date(2026, 10, 10)))
    assert r.ends_on == run(Suspension(SEP_11, date(2026, 10, 30))).ends_on == date(2026, 11, 20)


def test_disjoint_suspensions_still_move_the_end_twice() -> None:
    r = run(Suspension(SEP_11, date(2026, 10, 20)), Suspension(date(2026, 11, 5), date(2026, 11, 20)))
    assert r.ends_on == date(2026, 11, 26) and len(r.steps) == 2
    assert r.steps[1].startswith("suspended on 2026-11-05 with 6 days of the period left")


def test_suspended_again_the_day_of_the_lifting_the_days_left_are_those_of_the_first() -> None:
    r = run(Suspension(SEP_11, date(2026, 10, 20)), Suspension(date(2026, 10, 20), None))
    assert r.paused and r.days_left == 21 and r.paused_since == date(2026, 10, 20)
    assert "read as one suspension from 2026-09-11 that lasts (no day is counted twice)" in r.steps[0]

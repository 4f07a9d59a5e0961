"""The period for voluntary departure does not run while the return decision is suspended
(Directive 2008/115/EC Art 7(1), 13(2); CJEU C-181/16 *Gnandi*): the days left when the suspension
began run again from the day after it is lifted, the last moved to a working day (Reg. 1182/71
Art 3(1), 3(4)). Real dates, Italian holidays."""

from __future__ import annotations

from datetime import date

from pactum.returns.period import Suspension, period_run, suspensions_from


def run(last: date | None, *suspensions: Suspension, starts_on: date = date(2026, 9, 1)):  # type: ignore[no-untyped-def]
    return period_run(starts_on=starts_on, last_day=last, suspensions=list(suspensions), member_state="IT")


def test_a_period_never_suspended_ends_on_the_day_the_decision_set() -> None:
    r = run(date(2026, 10, 1))
    assert r is not None and r.ends_on == date(2026, 10, 1) and not r.moved and r.steps == []
    assert r.to_dict()["legal_basis"] == ["Directive 2008/115/EC, Article 7(1)"]


def test_no_period_granted_has_nothing_to_move() -> None:
    assert run(None, Suspension(date(2026, 9, 5), date(2026, 9, 20))) is None


def test_the_days_left_run_again_from_the_day_after_the_lifting() -> None:
    # issued 1 September, 30 days: last day Thursday 1 October 2026. Suspended on Friday 11
    # September: 21 days left (11 September to 1 October). Lifted on Tuesday 20 October: they run
    # from 21 October, the 21st is Tuesday 10 November.
    r = run(date(2026, 10, 1), Suspension(date(2026, 9, 11), date(2026, 10, 20)))
    assert r is not None and r.ends_on == date(2026, 11, 10) and r.moved and not r.paused
    assert r.steps == ["suspended on 2026-09-11 with 21 days of the period left (2026-09-11 to 2026-10-01), "
                       "lifted on 2026-10-20: they run from 2026-10-21, last day 2026-11-10"]
    d = r.to_dict()
    assert d["set_last_day"] == "2026-10-01" and d["ends_on"] == "2026-11-10"
    assert "Court of Justice, 19 June 2018, Gnandi, C-181/16, ECLI:EU:C:2018:465" in d["legal_basis"]
    assert "Regulation (EEC, Euratom) No 1182/71, Article 3(4)" in d["legal_basis"]
    assert d["label"].startswith("last day 2026-11-10, moved from 2026-10-01")


def test_the_moved_last_day_goes_to_the_next_working_day() -> None:
    # 21 days left; lifted on Saturday 17 October they run from 18 October: the 21st day is
    # Saturday 7 November, moved to Monday 9 November
    r = run(date(2026, 10, 1), Suspension(date(2026, 9, 11), date(2026, 10, 17)))
    assert r is not None and r.ends_on == date(2026, 11, 9)
    # 8 December (Immaculate Conception) is a public holiday in Italy: lifted on Tuesday 17
    # November, 21 days reach Tuesday 8 December, moved to Wednesday 9 December
    r = run(date(2026, 10, 1), Suspension(date(2026, 9, 11), date(2026, 11, 17)))
    assert r is not None and r.ends_on == date(2026, 12, 9)


def test_a_suspension_from_the_decision_day_leaves_the_whole_period_to_run_after_the_lifting() -> None:
    # Gnandi: issued with the negative asylum decision on 1 September, the appeal suspends it the
    # same day: the period has not started; the 30 days run from the day after the lifting
    r = run(date(2026, 10, 1), Suspension(date(2026, 9, 1), date(2026, 11, 2)))
    assert r is not None and r.ends_on == date(2026, 12, 2)
    assert r.steps[0].startswith("suspended on 2026-09-01 with 30 days of the period left (2026-09-02 to 2026-10-01)")


def test_while_the_suspension_lasts_the_period_has_no_last_day() -> None:
    r = run(date(2026, 10, 1), Suspension(date(2026, 9, 25), None))
    assert r is not None and r.paused and r.ends_on is None and r.days_left == 7
    assert r.paused_since == date(2026, 9, 25)
    assert not r.ended_before(date(2027, 1, 1)) and r.runs_on(date(2027, 1, 1))
    d = r.to_dict("Directive 2008/115/EC, Article 13(2)")
    assert d["paused"] is True and d["ends_on"] is None and d["days_left"] == 7
    assert d["label"] == ("not running while the decision is suspended (since 2026-09-25): 7 days of the period "
                          "left, which run from the day after the suspension is lifted (Court of Justice, 19 June "
                          "2018, Gnandi, C-181/16, ECLI:EU:C:2018:465; Directive 2008/115/EC, Article 13(2))")


def test_a_suspension_on_the_last_day_leaves_one_day() -> None:
    r = run(date(2026, 10, 1), Suspension(date(2026, 10, 1), date(2026, 10, 6)))
    assert r is not None and r.ends_on == date(2026, 10, 7)


def test_a_suspension_after_the_period_ended_gives_no_period_back() -> None:
    r = run(date(2026, 10, 1), Suspension(date(2026, 10, 2), date(2026, 10, 30)))
    assert r is not None and r.ends_on == date(2026, 10, 1) and not r.moved
    assert r.ended_before(date(2026, 10, 2))
    assert "after the period ended on 2026-10-01: the period is not given back" in r.steps[0]


def test_two_suspensions_move_the_end_twice() -> None:
    # 21 days left on 11 September, lifted 20 October: last day 10 November; suspended again on
    # 5 November (6 days left: 5 to 10 November), lifted on 20 November: Thursday 26 November
    r = run(date(2026, 10, 1), Suspension(date(2026, 9, 11), date(2026, 10, 20)),
            Suspension(date(2026, 11, 5), date(2026, 11, 20)))
    assert r is not None and r.ends_on == date(2026, 11, 26) and len(r.steps) == 2


def test_a_suspension_lifted_before_an_amended_decision_set_its_period_does_not_move_it() -> None:
    # the amended decision of 1 October set 30 days from its day: a suspension lifted on 20
    # September belongs to the earlier period
    r = run(date(2026, 10, 31), Suspension(date(2026, 9, 10), date(2026, 9, 20)), starts_on=date(2026, 10, 1))
    assert r is not None and r.ends_on == date(2026, 10, 31) and r.steps == []


def test_the_suspensions_read_from_the_changes_recorded() -> None:
    events = [("suspend", date(2026, 9, 11)), ("lift_suspension", date(2026, 10, 20)),
              ("lift_suspension", date(2026, 10, 21)), ("suspend", date(2026, 11, 5))]
    assert suspensions_from(events) == [Suspension(date(2026, 9, 11), date(2026, 10, 20)),
                                        Suspension(date(2026, 11, 5), None)]

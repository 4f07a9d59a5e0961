"""The period for voluntary departure does not run during the time to appeal against the negative
asylum decision while no appeal is yet lodged (the removal bar ``appeal_time``): the return
decision's effects are suspended while the applicant may remain (Regulation (EU) 2024/1348 Art
68(1), (2); before the Pact Directive 2013/32/EU Art 46(5); CJEU C-181/16 *Gnandi*). Real dates,
Italian holidays."""

from __future__ import annotations

from datetime import date

from pactum.returns.period import AppealTime, Suspension, period_run

APR = "Regulation (EU) 2024/1348, Article 68(1), (2)"


def run(*suspensions: Suspension, until: date = date(2026, 9, 15)):  # type: ignore[no-untyped-def]
    # issued with the negative asylum decision notified on Tuesday 1 September 2026, 30 days: last
    # day Thursday 1 October; the time to appeal runs to 15 September
    return period_run(
        starts_on=date(2026, 9, 1),
        last_day=date(2026, 10, 1),
        suspensions=list(suspensions),
        member_state="IT",
        appeal_time=AppealTime(date(2026, 9, 1), until, APR),
    )


def test_the_whole_period_runs_after_the_time_to_appeal() -> None:
    # no appeal lodged: the 30 days run from 16 September, the 30th is Thursday 15 October
    r = run()
    assert r is not None and r.ends_on == date(2026, 10, 15) and r.moved and not r.paused
    assert r.appeal_time is not None and r.appeal_time.appeal_lodged_on is None
    assert r.steps == [
        "the time to appeal against the negative asylum decision from 2026-09-01 to 2026-09-15, "
        "during which the applicant may remain and the effects of the return decision are "
        f"suspended ({APR}): the period did not run until 2026-09-15, with 30 days of it left "
        "(2026-09-02 to 2026-10-01): they run from 2026-09-16, last day 2026-10-15"
    ]
    d = r.to_dict()
    assert d["ends_on"] == "2026-10-15" and d["set_last_day"] == "2026-10-01"
    assert d["appeal_time"] == {
        "from": "2026-09-01",
        "until": "2026-09-15",
        "appeal_lodged_on": None,
        "basis": APR,
    }
    assert APR in d["legal_basis"] and any("Gnandi" in b for b in d["legal_basis"])
    assert "during the time to appeal against the negative asylum decision" in d["label"]


def test_the_last_day_after_the_time_to_appeal_moves_to_a_working_day() -> None:
    # the time to appeal ends on Friday 18 September: the 30th day is Sunday 18 October -> Monday 19
    r = run(until=date(2026, 9, 18))
    assert r is not None and r.ends_on == date(2026, 10, 19)


def test_an_appeal_lodged_within_the_time_takes_over_without_a_second_count() -> None:
    # lodged (suspended) on 10 September, dismissed (lifted) on 2 November: one stop from 1
    # September to 2 November; the 30 days run from 3 November, the 30th is Wednesday 2 December
    r = run(Suspension(date(2026, 9, 10), date(2026, 11, 2), asylum_appeal=True))
    assert r is not None and r.ends_on == date(2026, 12, 2)
    assert r.appeal_time is not None and r.appeal_time.appeal_lodged_on == date(2026, 9, 10)
    assert len(r.steps) == 1 and "until an appeal was lodged on 2026-09-10" in r.steps[0]
    assert "suspended on 2026-09-10, lifted on 2026-11-02" in r.steps[0]
    # an appeal dismissed before the time to appeal would have ended: the right to remain ended with it
    r = run(Suspension(date(2026, 9, 3), date(2026, 9, 8), asylum_appeal=True))
    assert r is not None and r.ends_on == date(2026, 10, 8)


def test_a_pending_appeal_pauses_the_period_with_all_its_days() -> None:
    r = run(Suspension(date(2026, 9, 10), None, asylum_appeal=True))
    assert r is not None and r.paused and r.days_left == 30 and r.paused_since == date(2026, 9, 10)


def test_the_officers_suspension_within_the_time_to_appeal_does_not_end_it() -> None:
    # an Art 13(2) suspension from 5 to 8 September: the time to appeal still runs to 15 September
    r = run(Suspension(date(2026, 9, 5), date(2026, 9, 8)))
    assert r is not None and r.ends_on == date(2026, 10, 15)
    assert r.appeal_time is not None and r.appeal_time.appeal_lodged_on is None


def test_without_the_time_to_appeal_the_period_runs_as_before() -> None:
    r = period_run(starts_on=date(2026, 9, 1), last_day=date(2026, 10, 1), suspensions=[], member_state="IT")
    assert r is not None and r.ends_on == date(2026, 10, 1) and not r.moved and r.appeal_time is None
    assert r.to_dict()["appeal_time"] is None and r.to_dict()["why_moved"] == ""

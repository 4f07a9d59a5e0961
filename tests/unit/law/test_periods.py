"""Reg. 1182/71 arithmetic: examples and the invariants the law guarantees (hypothesis)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pactum.common.errors import ValidationProblem
from pactum.law import add_period, compute_period, is_working_day
from pactum.law.periods import STATE_CODES, nominal_end, working_days_between

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
states = st.sampled_from(STATE_CODES)
units = st.sampled_from(["days", "working_days", "weeks", "months", "years"])
amounts = st.integers(min_value=1, max_value=40)


def test_the_example_of_the_issue() -> None:
    assert add_period(date(2026, 8, 31), amount=2, unit="months", member_state="DE") == date(2026, 11, 2)
    p = compute_period(date(2026, 8, 31), 2, "months", "DE")
    assert "2026-10-31 is a Saturday; 2026-11-01 is a Sunday: extended to Monday 2026-11-02 (Art. 3(4) Reg. 1182/71)" in p.steps


def test_greece_is_accepted_as_gr_and_el() -> None:
    assert add_period(date(2027, 3, 11), 2, "weeks", "GR") == add_period(date(2027, 3, 11), 2, "weeks", "EL") == date(2027, 3, 26)


def test_bad_arguments_name_the_field() -> None:
    with pytest.raises(ValidationProblem) as e:
        compute_period(date(2026, 1, 1), 0, "fortnights", "XX")
    assert {f for f, _ in e.value.problems} == {"unit", "amount", "member_state"}
    with pytest.raises(ValidationProblem, match="start: a period in hours runs from a moment"):
        compute_period(date(2026, 1, 1), 72, "hours", "DE")


@settings(max_examples=300, deadline=None)
@given(days, amounts, units, states)
def test_the_end_is_never_before_the_start(start: date, amount: int, unit: str, state: str) -> None:
    p = compute_period(start, amount, unit, state)
    assert p.starts_at == start + timedelta(days=1)
    assert p.end >= p.starts_at
    assert p.end >= nominal_end(start, amount, unit, state)


@settings(max_examples=300, deadline=None)
@given(days, amounts, units, states)
def test_a_forward_period_never_ends_on_a_non_working_day(start: date, amount: int, unit: str, state: str) -> None:
    end = add_period(start, amount, unit, state)
    assert isinstance(end, date)
    assert is_working_day(end, state)


@settings(max_examples=300, deadline=None)
@given(days, amounts, units, states)
def test_the_extension_stops_at_the_first_working_day(start: date, amount: int, unit: str, state: str) -> None:
    p = compute_period(start, amount, unit, state)
    nominal = nominal_end(start, amount, unit, state)
    assert isinstance(p.end, date)
    if is_working_day(nominal, state) and not any("Art. 3(5)" in s for s in p.steps):
        assert p.end == nominal
    # every day skipped by Art. 3(4) was a Saturday, Sunday or public holiday
    if not any("Art. 3(5)" in s for s in p.steps):
        d = nominal
        while d < p.end:
            assert not is_working_day(d, state)
            d += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=2, max_value=40), st.sampled_from(["days", "weeks", "months"]), states)
def test_a_period_of_two_days_or_more_contains_two_working_days(start: date, amount: int, unit: str,
                                                                  state: str) -> None:
    p = compute_period(start, amount, unit, state)
    assert isinstance(p.end, date)
    assert working_days_between(start + timedelta(days=1), p.end, state) >= 2


@settings(max_examples=300, deadline=None)
@given(days, amounts, states)
def test_working_days_count_exactly(start: date, amount: int, state: str) -> None:
    end = add_period(start, amount, "working_days", state)
    assert isinstance(end, date)
    assert working_days_between(start + timedelta(days=1), end, state) == amount


@settings(max_examples=500, deadline=None)
@given(days, st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=30))
def test_months_compose_when_no_month_is_too_short(start: date, m1: int, m2: int) -> None:
    """Art. 3(2)(c): the same date m1 months later, then m2 months later, is the same date
    m1 + m2 months later, as long as that date exists in every month (day <= 28)."""
    composed = nominal_end(nominal_end(start, m1, "months"), m2, "months")
    direct = nominal_end(start, m1 + m2, "months")
    if start.day <= 28:
        assert composed == direct
    else:
        # a shorter month in between clips the composition, never the direct period
        assert composed <= direct
        assert direct.day == min(start.day, calendar.monthrange(direct.year, direct.month)[1])


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=1, max_value=10))
def test_years_are_twelve_months(start: date, n: int) -> None:
    assert nominal_end(start, n, "years") == nominal_end(start, 12 * n, "months")


@settings(max_examples=200, deadline=None)
@given(days, amounts, units, states)
def test_backward_periods_are_never_extended(start: date, amount: int, unit: str, state: str) -> None:
    p = compute_period(start, amount, unit, state, backwards=True)
    assert isinstance(p.end, date)
    assert p.end < start
    if unit != "working_days":
        forward_back = p.end
        # counting forward again from the backward end reaches the start (same-date rule), or an
        # earlier date when the start day does not exist in the earlier month
        assert nominal_end(forward_back, amount, unit, state) <= start


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31)),
       st.integers(min_value=1, max_value=240), states)
def test_hour_periods_skip_the_event_hour_and_are_never_extended(moment: datetime, hours: int, state: str) -> None:
    p = compute_period(moment, hours, "hours", state)
    assert isinstance(p.starts_at, datetime) and isinstance(p.end, datetime)
    assert moment < p.starts_at <= moment + timedelta(hours=1)
    assert p.starts_at.minute == 0 and p.starts_at.second == 0
    assert p.end - p.starts_at == timedelta(hours=hours)


def test_a_period_of_one_is_said_in_the_singular() -> None:
    from datetime import date as _date

    from pactum.law.periods import compute_period as _compute

    month = "\n".join(_compute(_date(2026, 3, 2), 1, "months", "DE").steps)
    assert "1 month ends on the same date as the event" in month and "1 months" not in month
    year = "\n".join(_compute(_date(2026, 3, 2), 1, "years", "DE").steps)
    assert "1 year ends on" in year and "1 years" not in year
    week = "\n".join(_compute(_date(2026, 3, 2), 1, "weeks", "DE").steps)
    assert "1 week ends on the same weekday" in week
    assert "2 months end on" in "\n".join(_compute(_date(2026, 3, 2), 2, "months", "DE").steps)
    back = "\n".join(_compute(_date(2026, 3, 2), 1, "days", "DE", backwards=True).steps)
    assert "1 day reaches back to" in back

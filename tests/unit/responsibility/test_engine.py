"""The criteria engine and the procedure state machine without a database."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactum.responsibility import procedure as proc
from pactum.responsibility.criteria import add_months, determine
from pactum.responsibility.determination import determine_json
from pactum.responsibility.model import CRITERIA, Entry, Facts


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_keeps_the_date_or_takes_the_last_day_of_the_month(d: date, n: int) -> None:
    got = add_months(d, n)
    months = (got.year - d.year) * 12 + got.month - d.month
    assert months == n
    last = calendar.monthrange(got.year, got.month)[1]
    assert got.day == min(d.day, last)


def test_month_ends_and_leap_years() -> None:
    assert add_months(date(2024, 8, 31), 18) == date(2026, 2, 28)
    assert add_months(date(2022, 8, 29), 18) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 20) == date(2026, 9, 30)


def test_every_result_cites_its_article_and_ends_the_trace() -> None:
    d = determine(Facts("DE", date(2026, 9, 1),
                        entries=(Entry("irregular_crossing", "IT", date(2026, 1, 5)),)))
    assert d.criterion in CRITERIA
    assert d.legal_basis == ("Regulation (EU) 2024/1351, Article 33(1)",)
    trace = d.trace_list()
    assert trace[0]["rule"] == "regime"
    assert trace[-1]["rule"] == "irregular_entry"
    assert trace[-1]["facts"]["entries"] == [
        {"kind": "irregular_crossing", "member_state": "IT", "on": "2026-01-05"}]
    assert trace[-1]["parameters"]["ammr.criteria.irregular_entry_period"].startswith("20 months")


def test_unknown_field_is_refused_with_its_name() -> None:
    from pactum.common.errors import ValidationProblem

    with pytest.raises(ValidationProblem) as e:
        determine_json({"application": {"registered_in": "DE", "registered_on": "2026-09-01"},
                        "visas": []})
    assert e.value.problems[0][0] == "visas"


def test_silence_is_acceptance_for_requests_and_confirmation_for_notifications() -> None:
    assert proc.next_status("take_charge", "pending", "lapse_reply") == "accepted_tacitly"
    assert proc.next_status("take_back_notification", "pending", "lapse_confirmation") == \
        "confirmed_tacitly"
    with pytest.raises(proc.IllegalTransition):
        proc.next_status("take_back_notification", "pending", "refuse")


def test_refusal_can_be_reexamined_once() -> None:
    s = proc.next_status("take_charge", "pending", "refuse")
    s = proc.next_status("take_charge", s, "request_reexamination")
    assert proc.next_status("take_charge", s, "lapse_reexamination") == "refused_final"
    with pytest.raises(proc.IllegalTransition):
        proc.next_status("take_charge", "refused_final", "request_reexamination")


def test_who_is_responsible_after_each_ending() -> None:
    assert proc.responsible_after("transferred", "DE", "IT") == "IT"
    assert proc.responsible_after("responsibility_shifted", "DE", "IT") == "DE"
    assert proc.responsible_after("refused_final", "DE", "IT") == "DE"
    assert proc.responsible_after("pending", "DE", "IT") is None


def test_actions_offered_to_each_side() -> None:
    assert set(proc.actions_for("take_charge", "pending", "requested")) == {"accept", "refuse"}
    assert proc.actions_for("take_charge", "pending", "requesting") == ["withdraw"]
    assert "decide_transfer" in proc.actions_for("take_charge", "accepted_tacitly", "requesting")


def test_kinds_by_regime() -> None:
    assert proc.kind_allowed("take_back", "dublin_iii") and not proc.kind_allowed("take_back", "ammr")
    assert proc.kind_allowed("take_back_notification", "ammr")
    assert not proc.kind_allowed("take_back_notification", "dublin_iii")

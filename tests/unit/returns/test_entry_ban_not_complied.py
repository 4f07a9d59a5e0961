"""Directive 2008/115/EC Art 11(1)(b): an entry ban imposed once the obligation to return was not
complied with, checked as the ban given at issue (Art 11(2), ``returns.entry_ban.max_duration``)."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.returns.rules import later_entry_ban


def _problems(**kw: object) -> dict[str, str]:
    args = {"imposed_on": date(2026, 9, 1), "voluntary_departure_last_day": date(2026, 8, 27),
            "entry_ban_years": 3, "entry_ban_months": None, **kw}
    with pytest.raises(ValidationProblem) as exc:
        later_entry_ban(**args)  # type: ignore[arg-type]
    return dict(exc.value.problems)


def test_the_day_after_the_period_ended_the_ban_is_imposed_with_its_citation() -> None:
    ban = later_entry_ban(imposed_on=date(2026, 8, 28), voluntary_departure_last_day=date(2026, 8, 27),
                          entry_ban_years=None, entry_ban_months=18)
    assert ban.entry_ban_months == 18 and ban.entry_ban_years is None
    assert ban.legal_basis == ["Directive 2008/115/EC, Article 11(1)(b)", "Directive 2008/115/EC, Article 11(2)"]
    assert "ended on 2026-08-27 without a departure recorded" in ban.trace[0]["outcome"]


def test_within_the_period_or_without_one_it_is_refused_on_the_date() -> None:
    assert "runs until 2026-08-27" in _problems(imposed_on=date(2026, 8, 27))["imposed_on"]
    assert "Art 11(1)(a)" in _problems(voluntary_departure_last_day=None)["imposed_on"]


def test_its_length_is_the_one_article_11_2_allows() -> None:
    assert "serious_threat" in _problems(entry_ban_years=6)["entry_ban_years"]
    assert later_entry_ban(imposed_on=date(2026, 9, 1), voluntary_departure_last_day=date(2026, 8, 27),
                           entry_ban_years=6, entry_ban_months=None, serious_threat=True).entry_ban_months == 72
    assert "not both" in _problems(entry_ban_months=6)["entry_ban_months"]
    assert "years or in months" in _problems(entry_ban_years=None)["entry_ban_years"]
    assert "at least 1 month" in _problems(entry_ban_years=None, entry_ban_months=0)["entry_ban_months"]

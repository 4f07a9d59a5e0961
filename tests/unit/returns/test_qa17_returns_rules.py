"""QA walk 17, returns domain: the entry ban is not extended to a working day (a prohibition that
runs out by itself); who is an unaccompanied minor, and the Art 10(2) obstacle."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.returns import minors
from pactum.returns.operations import OBSTACLES, ReturnFacts, obstacles
from pactum.returns.rules import entry_ban_ends_on


@pytest.mark.parametrize(("departed", "years", "state", "ends"), [
    (date(2025, 11, 14), 1, "MT", date(2026, 11, 14)),  # Saturday: not moved to Monday 16 November
    (date(2026, 10, 3), 1, "FR", date(2027, 10, 3)),    # Sunday: not moved to Monday 4 October
    (date(2026, 7, 5), 5, "DE", date(2031, 7, 5)),      # Saturday
    (date(2028, 2, 29), 1, "DE", date(2029, 2, 28)),    # no 29 February: the last day of the month
    (date(2026, 10, 1), 5, "IT", date(2031, 10, 1)),    # a working day: as before
])
def test_the_entry_ban_ends_on_its_last_day_whatever_the_weekday(departed, years, state, ends) -> None:
    assert entry_ban_ends_on(departed, years, state) == ends


def _facts(**kw) -> ReturnFacts:
    base = {"status": "issued", "voluntary_departure_last_day": None, "absconded": False,
            "identity_confirmed": True, "travel_document": True, "fit_to_travel": True, "readmission": None}
    return ReturnFacts(**(base | kw))


def test_an_unaccompanied_minor_is_not_removed_before_the_handover_is_recorded() -> None:
    on = date(2026, 11, 30)
    assert obstacles(_facts(unaccompanied_minor=True), on) == ["unaccompanied_minor"]
    assert OBSTACLES["unaccompanied_minor"] == "unaccompanied minor: Art 10(2) guarantees not recorded"
    assert obstacles(_facts(unaccompanied_minor=True, minor_handover="nominated_guardian"), on) == []
    assert obstacles(_facts(), on) == []


@pytest.mark.parametrize(("born", "flagged", "minor"), [
    ("2022", True, True),          # four years old
    ("2008", True, True),          # 17 or 18 on 30 November 2026: counts as a minor
    ("2008-03-01", True, False),   # 18 since March 2026
    (None, True, True),            # no date of birth: the flag stands
    ("2022", False, False),        # a child not recorded as unaccompanied
])
def test_who_is_an_unaccompanied_minor_on_a_day(born, flagged, minor) -> None:
    assert minors.unaccompanied_minor(flagged, born, date(2026, 11, 30)) is minor


def test_the_warnings_cite_articles_5_and_10() -> None:
    said = " ".join(minors.warnings(handover=None))
    assert "Directive 2008/115/EC, Article 5(a)" in said and "Article 10(1)" in said and "Article 10(2)" in said
    assert all("Article 10(2)" not in w for w in minors.warnings(handover="family_member"))

"""Where the responsibility rules apply (AMMR Art 76; Dublin III Art 43): France's European territory
only. Each of France's six outermost regions is outside; the Canary Islands, the Azores and Madeira
are inside; the article follows the regime of the application's registration."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.responsibility.criteria import determine
from pactum.responsibility.model import Entry, Facts
from pactum.responsibility.territory import outside, region_problem

AMMR_DAY = date(2026, 9, 1)
DUBLIN_DAY = date(2026, 3, 1)


@pytest.mark.parametrize(("region", "name"), [
    ("FR-971", "Guadeloupe"), ("FR-972", "Martinique"), ("FR-973", "French Guiana"),
    ("FR-974", "La Réunion"), ("FR-976", "Mayotte"), ("FR-MF", "Saint-Martin")])
def test_each_outermost_region_is_outside_under_both_regimes(region: str, name: str) -> None:
    ammr = outside("ammr", AMMR_DAY, "FR", region)
    assert ammr == (f"{region} ({name}) is outside the territory to which Regulation (EU) 2024/1351 (AMMR) "
                    "applies: as regards the French Republic it applies only to its European territory "
                    "(Regulation (EU) 2024/1351, Article 76)")
    dublin = outside("dublin_iii", DUBLIN_DAY, "FR", region)
    assert dublin is not None and dublin.endswith("(Regulation (EU) No 604/2013, Article 43)")
    assert "Regulation (EU) No 604/2013 (Dublin III) applies" in dublin


@pytest.mark.parametrize(("state", "region"), [("FR", None), ("ES", "ES-CN"), ("PT", "PT-20"), ("PT", "PT-30"),
                                               ("ES", None)])
def test_the_mainland_and_the_other_states_regions_are_inside(state: str, region: str | None) -> None:
    assert outside("ammr", AMMR_DAY, state, region) is None
    assert outside("dublin_iii", DUBLIN_DAY, state, region) is None


def test_a_region_must_be_one_of_the_state_s() -> None:
    assert region_problem("FR", None) is None and region_problem("FR", "FR-976") is None
    assert region_problem("DE", "FR-976") == ("FR-976 (Mayotte) is not a region of DE: DE keeps one clock "
                                              "(Europe/Berlin): give none")
    assert region_problem("FR", "FR-975") is not None  # no such region of France's clocks


def test_the_engine_leaves_out_only_the_entries_outside_and_says_so_once() -> None:
    facts = Facts(registered_in="DE", registered_on=AMMR_DAY, entries=(
        Entry("irregular_crossing", "FR", date(2026, 4, 1), region="FR-976"),
        Entry("irregular_crossing", "IT", date(2026, 6, 1)),
        Entry("visa_waived_entry", "FR", date(2026, 5, 1), region="FR-971"),
    ))
    d = determine(facts)
    assert (d.responsible_member_state, d.criterion) == ("IT", "irregular_entry")
    left = [s for s in d.steps if s.rule == "entries_outside_territory"]
    assert len(left) == 1
    assert [e.region for e in left[0].facts["entries"]] == ["FR-976", "FR-971"]
    assert left[0].legal_basis == ("Regulation (EU) 2024/1351, Article 76",)
    # the Italian crossing is the only entry the criteria read
    entry_step = next(s for s in d.steps if s.rule == "irregular_entry")
    assert [e.member_state for e in entry_step.facts["entries"]] == ["IT"]


def test_without_a_region_the_trace_is_unchanged() -> None:
    plain = Facts(registered_in="DE", registered_on=AMMR_DAY,
                  entries=(Entry("irregular_crossing", "FR", date(2026, 4, 1)),))
    d = determine(plain)
    assert (d.responsible_member_state, d.criterion) == ("FR", "irregular_entry")
    assert [s.rule for s in d.steps] == ["regime", "irregular_entry"]

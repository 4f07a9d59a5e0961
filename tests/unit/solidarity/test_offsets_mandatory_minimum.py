"""AMMR Art 63(3), read in the Official Journal text: responsibility offsets are mandatory when the
relocation pledges in the Council's act are (a) lower than the number of Art 12(2)(a) (30,000) or (b)
lower than 60% of the pool's reference number. Before, only (b) was applied: a pool the Council set at
20,000 with 15,000 relocations pledged (75%) left offsets voluntary although 15,000 < 30,000."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pactum.solidarity import offsets as offs

ON = date(2026, 12, 1)
A = "Regulation (EU) 2024/1351, Article 63(3)(a)"
B = "Regulation (EU) 2024/1351, Article 63(3)(b)"


def test_pledges_below_the_article_12_2_a_number_make_offsets_mandatory_under_point_a() -> None:
    reg = offs.regime(15_000, 30_000, on=ON, mandatory_reference=20_000, minimum_relocations=30_000)
    assert reg.mandatory and reg.mandatory_basis == (A,)
    assert reg.to_dict()["mandatory_minimum_relocations"] == 30_000
    step = next(s for s in reg.trace if s["rule"] == "offsets_mandatory_below_minimum")
    assert step["legal_basis"] == [A] and "below the 30,000 relocations of Article 12(2)(a)" in step["outcome"]
    c = offs.Contributor(member_state="DE", fair_share_relocations=4_000, relocations_pledged=3_000,
                         relocated=0, deduction_relocations=0, taken_over=0)
    ent = offs.entitlement(c, reg, on=ON)
    assert ent.mandatory_obligation == 1_000
    assert next(s for s in ent.trace if s["rule"] == "offset_mandatory_obligation")["legal_basis"] == [A]


def test_both_points_are_cited_when_both_apply_and_none_when_neither() -> None:
    both = offs.regime(8_000, 30_000, on=ON, mandatory_reference=21_000, minimum_relocations=30_000)
    assert both.mandatory and both.mandatory_basis == (A, B)
    neither = offs.regime(31_000, 40_000, on=ON, mandatory_reference=40_000, minimum_relocations=30_000)
    assert not neither.mandatory and neither.mandatory_basis == ()


def test_deductions_that_bring_the_relocations_to_implement_below_the_higher_number_make_offsets_mandatory() -> None:
    """Art 63(4): 31,000 pledged (neither point of Art 63(3)), 2,000 deducted: 29,000 to be implemented,
    below 30,000; the take-overs make up the 1,000 the deductions took below it."""
    reg = offs.regime(31_000, 40_000, on=ON, mandatory_reference=40_000, minimum_relocations=30_000,
                      to_implement=29_000)
    assert reg.mandatory and reg.mandatory_basis == ("Regulation (EU) 2024/1351, Article 63(4)",)
    assert (reg.mandatory_up_to, reg.mandatory_total, reg.relocations_to_implement) == (30_000, 1_000, 29_000)
    # with point (b) as well, the total is counted from the relocations to be implemented, not those pledged
    both = offs.regime(20_000, 40_000, on=ON, mandatory_reference=40_000, minimum_relocations=30_000,
                       to_implement=18_000)
    assert both.mandatory_basis == (A, B, "Regulation (EU) 2024/1351, Article 63(4)")
    assert both.mandatory_total == 12_000


def test_after_the_year_a_state_owes_the_pledged_relocations_it_did_not_accept() -> None:
    """Art 63(5): 40 relocations pledged, 10 of them deducted, 12 accepted by 31 December: 18 owed after
    the year, on top of an obligation under Art 63(3); nothing during the year."""
    reg = offs.regime(8_000, 30_000, on=ON, mandatory_reference=21_000, minimum_relocations=30_000)
    during = offs.Contributor(member_state="LU", fair_share_relocations=70, deduction_relocations=10,
                              relocations_pledged=40, relocated=5, taken_over=0,
                              relocations_to_implement=30, accepted_by_year_end=12)
    assert offs.entitlement(during, reg, on=ON).year_end_obligation == 0
    after = offs.entitlement(replace(during, year_over=True), reg, on=ON)
    # the 20 owed under Art 63(3) come on top of the pledged relocations, which it may take over instead of
    # relocating (35 not relocated, Art 63(2)) or owes after the year (18 not accepted, Art 63(5)): 20 + 35
    # (until 2 December 2026 the limit was the larger of 35 and 20 + 18)
    assert (after.mandatory_obligation, after.year_end_obligation, after.limit) == (20, 18, 55)
    step = next(s for s in after.trace if s["rule"] == "offset_unimplemented_pledges")
    assert step["legal_basis"] == ["Regulation (EU) 2024/1351, Article 63(5)"]
    assert "of the 30 relocations it was to implement it accepted 12 by 31 December" in step["outcome"]

"""The annual cycle's order, pledge accounting and offsets, pledge distribution, transfer stages."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.solidarity import cycle as cyc
from pactum.solidarity import transfers as tr

ON = date(2026, 9, 1)


def test_cycle_moves_only_forward_in_the_order_of_the_regulation() -> None:
    s = "proposal"
    for action in ("open_pledging", "adopt", "start_implementation", "close"):
        s = cyc.next_status(s, action)
    assert s == "closed"
    with pytest.raises(ValueError, match="cannot adopt"):
        cyc.next_status("proposal", "adopt")


def test_money_and_alternative_measures_count_as_relocations_at_20000_eur() -> None:
    p = cyc.Pledge("NL", relocations=100, financial_eur=2_000_000, alternative_eur=1_000_000)
    assert p.equivalent_relocations(cyc.relocation_equivalent_eur(ON)) == 250


def test_offsets_open_only_when_relocation_pledges_reach_half_the_pool() -> None:
    def acc(reloc: int) -> dict:
        return cyc.account([cyc.StateAccount("DE", 1000, pledge=cyc.Pledge("DE", relocations=reloc))],
                           pool_relocations=1000, on=ON)
    assert acc(499)["offsets"]["open"] is False
    assert acc(500)["offsets"]["open"] is True
    # a contributor that pledged at least half its fair share as relocations may volunteer
    assert acc(500)["states"][0]["may_volunteer_offsets"] is True
    assert acc(499)["states"][0]["may_volunteer_offsets"] is False


def test_deduction_reduces_what_is_due() -> None:
    out = cyc.account([cyc.StateAccount("AT", 400, deduction_relocations=400)], pool_relocations=1000, on=ON)
    row = out["states"][0]
    assert row["due_relocation_equivalents"] == 0 and row["pledged_share_of_due"] is None


def test_distribution_follows_needs_and_the_sar_earmark() -> None:
    needs = [cyc.Need("IT", 600, sar=True), cyc.Need("EL", 200, sar=True), cyc.Need("CY", 200)]
    alloc, trace = cyc.distribute_pledge(100, needs, sar_earmark=0.5, on=ON)
    # 50 earmarked for SAR states by need: IT 37.5, EL 12.5 -> equal remainders, EL first by code: 37 / 13.
    # The other 50 by need among all: IT 30, EL 10, CY 10.
    assert alloc == {"IT": 67, "EL": 23, "CY": 10}
    assert [s["rule"] for s in trace] == ["sar_earmark", "proportional_to_needs"]
    # each step says its shares in words, as the pledge page and the API's trace show them
    assert [s["outcome"] for s in trace] == ["50 relocations to SAR beneficiaries: IT 37, EL 13",
                                             "50 relocations in proportion to needs: IT 30, EL 10, CY 10"]


def test_preferences_restrict_the_beneficiaries_and_the_contributor_is_never_one() -> None:
    needs = [cyc.Need("IT", 600), cyc.Need("EL", 200), cyc.Need("CY", 200)]
    alloc, trace = cyc.distribute_pledge(90, needs, sar_earmark=None, preferred=("CY",), on=ON)
    assert alloc == {"CY": 90}
    assert trace[0]["rule"] == "preferences"
    alloc, _ = cyc.distribute_pledge(10, needs, sar_earmark=None, contributor="IT", on=ON)
    assert "IT" not in alloc and sum(alloc.values()) == 10


def test_transfer_stages_in_order_and_exclusion_after_a_security_threat() -> None:
    s = "matched"
    for e in ("security_cleared", "accepted", "transfer_decided", "arrived"):
        s = tr.advance(s, e)
    assert s == "arrived"
    assert tr.advance("matched", "security_threat") == "excluded"
    with pytest.raises(ValueError):
        tr.advance("matched", "accepted")
    with pytest.raises(ValueError):
        tr.advance("arrived", "cancelled")


def test_transfer_deadline_is_four_weeks_under_the_ammr_and_none_under_the_vsm() -> None:
    end, trace = tr.transfer_deadline(date(2026, 8, 14), "IT")
    assert end == date(2026, 9, 11)
    # AMMR Art 67(11), read in the Official Journal text: within 4 weeks, no longer "unverified"
    assert "67(11)" in trace[0]["legal_basis"][0]
    assert trace[0]["parameters"]["solidarity.relocation.transfer_period"] == "4 weeks"
    end, trace = tr.transfer_deadline(date(2023, 3, 1), "IT")
    assert end is None and "no legal time limit" in trace[0]["outcome"]

"""docs/solidarity.md states the demo world's figures; they follow the solidarity step, so a change to
the step (or to the page) that makes them differ fails here. On the old page they did: 323 arrivals,
IT 178, 22 beneficiaries of international protection, where the shipped world has 324, 177 and 14; and
the VSM's transfers reached 9 destination countries by February 2024, where the Commission's source
(DOMAIN.md 2.4, S37) counts 12 EU+ countries.

The figures of the demo world's solidarity step depend only on the scale, the seed and the world's
last day (the step draws from its own generators), so the step is rebuilt alone, as the shipped world
was built: scale S, seed 1, last day 30 November 2026. The take-overs follow the responsibility step's
Dublin cases and are not checked here."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from pactum.scenario.world import build
from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services

DOC = Path(__file__).resolve().parents[2] / "docs" / "solidarity.md"


def _number(pattern: str, text: str) -> int:
    m = re.search(pattern, text, re.S)
    assert m, f"docs/solidarity.md no longer says {pattern!r}"
    return int(m[1].replace(",", ""))


@pytest.fixture(scope="module")
def doc() -> str:
    return " ".join(DOC.read_text(encoding="utf-8").split())


def test_the_demo_figures_of_the_page_are_the_demo_worlds(services: Services, doc: str) -> None:
    build(services, scale="S", seed=1, end=date(2026, 11, 30), show_progress=False, only=["solidarity"])
    it = solidarity.pledge_page(services, SYSTEM, 2026, "IT")["receives"]
    overview = solidarity.pool_overview(services, SYSTEM, 2026)
    tracker = solidarity.transfer_tracker(services, SYSTEM, era="ammr", year=2026, limit=0)
    by_contributor = {r["member_state"]: r["relocations_distributed"] for r in it["by_contributor"]}

    assert _number(r"IT's `relocations.distributed` is ([\d,]+)", doc) == it["relocations"]["distributed"]
    assert _number(r"of a need of ([\d,]+) \(DE", doc) == it["need"]["relocations"]
    assert _number(r"\(DE ([\d,]+), FR", doc) == by_contributor["DE"]
    assert _number(r"\(DE [\d,]+, FR ([\d,]+)", doc) == by_contributor["FR"]
    assert _number(r"its `transfers.done` ([\d,]+)", doc) == it["transfers"]["done"]
    assert _number(r"make the ([\d,]+) relocations pledged", doc) == overview["accounts"]["totals"]["pledged_relocations"]
    assert _number(r"the transfers done the ([\d,]+) relocated", doc) == overview["accounts"]["totals"]["relocated"]

    matched = sum(tracker["by_stage"].values())
    assert _number(r"At scale S, seed 1 \(built on 30\.11\.2026.*?\): ([\d,]+) persons matched", doc) == matched
    assert _number(r"([\d,]+) arrived by the world's end", doc) == tracker["by_stage"]["arrived"]
    assert _number(r"arrived by the world's end \(([\d,]+) from IT\)", doc) == tracker["arrived_by_origin"]["IT"]
    assert _number(r"and ([\d,]+) \(about 2%\) excluded", doc) == tracker["by_stage"]["excluded"]
    assert _number(r"\(([\d,]+) of the persons matched\)", doc) == tracker["by_status"]["beneficiary"]["total"]
    # the transfer decisions and the arrivals measured against the time limits counted from the
    # relocation state's confirmation (AMMR Art 67(10), (11))
    rows = solidarity.transfer_tracker(services, SYSTEM, era="ammr", year=2026, limit=5000)["transfers"]
    decided = sum(1 for r in rows if r["transfer_decided_on"])
    assert _number(r"so ([\d,]+) of the [\d,]+ decisions are flagged late", doc) == tracker["decided_late"]
    assert _number(r"so [\d,]+ of the ([\d,]+) decisions are flagged late", doc) == decided
    assert _number(r"and ([\d,]+) of the arrivals came after their transfer deadline", doc) == sum(
        1 for r in rows if r["arrived_on"] and r["arrived_on"] > r["transfer_deadline"])
    assert _number(r"([\d,]+) confirmed transfers past their deadline", doc) == tracker["overdue"]
    # Italy's request for alternative measures and the replacement of money the Council granted in part
    # (AMMR Arts 58(2), 62(2)(b), 62(5)): the page names the state and the amounts asked and granted
    assert _number(r"Italy's need also asks for alternative solidarity measures of EUR ([\d,]+)", doc) == next(
        n["alternative_eur"] for n in overview["needs"] if n["member_state"] == "IT")
    replacing = re.search(r"The first of EE and BG that pledged money \((\w\w) in the shipped world\)", doc)
    assert replacing, "docs/solidarity.md no longer names the state that replaces money"
    ms = replacing[1]
    asked = next(d for d in solidarity.deduction_requests(services, SYSTEM, 2026, ms) if d["replacement"])
    assert _number(r"to replace half of it, EUR ([\d,]+), by alternative measures", doc) == asked["replacement"][
        "amount_eur"]
    assert _number(r"grants EUR ([\d,]+) of it,\s+in part", doc) == asked["replacement"]["granted_amount_eur"]


def test_the_vsm_reached_12_countries_by_february_2024(services: Services, doc: str) -> None:
    build(services, scale="S", seed=1, end=date(2026, 11, 30), show_progress=False, only=["solidarity"])
    letter = solidarity.transfer_tracker(services, SYSTEM, era="vsm", as_of=date(2023, 6, 23), limit=0)
    feb = solidarity.transfer_tracker(services, SYSTEM, era="vsm", as_of=date(2024, 2, 5), limit=0)
    # the letter's nine destinations by 23 June 2023, twelve EU+ countries by 5 February 2024 (S37)
    assert set(letter["arrived_by_destination"]) == {"DE", "FR", "FI", "NO", "RO", "BG", "HR", "PT", "LU"}
    assert len(feb["arrived_by_destination"]) == 12 and feb["arrived_total"] > 4000
    assert "to 12 EU+ countries" in doc
    assert _number(r"`--as-of 2024-02-05` ([\d,]+) transfers to 12 countries", doc) == feb["arrived_total"]

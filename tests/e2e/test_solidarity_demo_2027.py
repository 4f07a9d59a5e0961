"""The demo world on its last day (30 November 2026) holds the 2027 cycle at its pledging stage beside
the 2026 pool in implementation: the Commission's report, pressure decision and proposal on the day
they were due (15 October 2026), the High-Level Forum's pledging within its 15 days, the states'
pledges and the beneficiaries' needs against the proposal, and the deduction requests assessed and
awaiting the Council's act (due by 31 December). On the old world the 2027 cycle had never been
opened: the Commission's own coordinator read it as overdue, and a state had no 2027 pledge to make.
The pool and pledge pages open on the pool being implemented and say the 2027 cycle's stage, one
click away."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient

from pactum.scenario.world import build
from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services

W = Callable[[str], TestClient]


@pytest.fixture
def world(services: Services) -> Services:
    build(services, scale="XS", seed=3, end=date(2026, 11, 28), show_progress=False, only=["solidarity"])
    return services


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_2027_cycle_is_at_its_pledging_stage_with_pledges_needs_and_deductions(world: Services) -> None:
    cycles = {c["year"]: c for c in solidarity.list_cycles(world, SYSTEM)}
    assert (cycles[2026]["status"], cycles[2027]["status"]) == ("implementation", "pledging")
    c = cycles[2027]
    assert (c["proposal_on"], c["forum_on"], c["council_act_on"]) == (date(2026, 10, 15), date(2026, 10, 27), None)
    assert (c["proposal_relocations"], c["proposal_financial_eur"]) == (30000, 600_000_000)  # Art 12(2) minimum
    ov = solidarity.pool_overview(world, SYSTEM, 2027)
    designated = {d["member_state"]: d["status"] for d in ov["designations"]}
    assert {m for m, s in designated.items() if s == "under_pressure"} == {"CY", "EL", "IT", "ES"}
    # the needs of the states under pressure add up to the proposal
    needs = {ms: solidarity.pledge_page(world, SYSTEM, 2027, ms)["receives"]["need"]["relocations"]
             for ms in ("CY", "EL", "IT", "ES")}
    assert sum(needs.values()) == 30000 and min(needs.values()) > 0
    # contributing states pledged at the Forum; HU and SK did not, nor the states asking for a deduction
    pledged = {ms: solidarity.pledge_page(world, SYSTEM, 2027, ms)["pledge"] for ms in ("FR", "NL", "HU", "AT")}
    assert pledged["FR"] is not None and pledged["NL"] is not None
    assert pledged["HU"] is None and pledged["AT"] is None
    # AT, CZ, HR and PL asked for a full deduction at the Forum; the Commission found them justified three
    # weeks later; the Council decides with its act, not yet adopted
    deductions = {d["member_state"]: d for d in ov["deductions"]}
    full = {ms: d for ms, d in deductions.items() if d["replacement"] is None}
    assert set(full) == {"AT", "CZ", "HR", "PL"}
    assert {d["status"] for d in full.values()} == {"assessed"}
    # EE, facing a significant migratory situation with its reception full, asked on 24 November to replace
    # the relocations it pledged by financial contributions of the same value (Art 62(2)(b)); the Commission
    # assesses it by 22 December
    (ms, d), = ((ms, d) for ms, d in deductions.items() if d["replacement"] is not None)
    pledge = solidarity.pledge_page(world, SYSTEM, 2027, ms)["pledge"]
    assert ms == "EE" and (d["status"], d["relocations"], d["requested_on"], d["assess_by"]) == (
        "requested", 0, date(2026, 11, 24), date(2026, 12, 22))
    assert (d["replacement"]["relocations"], d["replacement"]["by"], d["replacement"]["eur"]) == (
        pledge["relocations"], "financial", pledge["relocations"] * 20_000)
    # nothing of the cycle is overdue on 28 November: the Council's act is due by 31 December
    assert ov["next_cycle"] == []
    assert solidarity.missing_cycles(world, SYSTEM) == []


def test_the_pages_open_on_the_pool_in_implementation_and_lead_to_the_2027_pledges(world: Services,
                                                                                   web_client: W) -> None:
    com = web_client("com-solidarity").get("/solidarity").text
    cycles = _text(re.search(r'<p id="cycles">(.*?)</p>', com, re.S)[1])  # type: ignore[index]
    assert cycles.startswith("Annual cycles: 2026 (implementation) · 2027 (pledging: pledges open)")
    assert '<strong aria-current="page">2026</strong>' in com and 'href="/solidarity?year=2027"' in com
    # a state's coordinator opens on its 2026 pledge and finds the 2027 cycle, where it may pledge
    de = web_client("de-admin")
    page = de.get("/solidarity/pledge").text
    assert "solidarity 2026" in _text(page)
    link = re.search(r'<p id="cycles">.*?<a href="([^"]+)">2027</a>', page, re.S)[1]  # type: ignore[index]
    assert unescape(link) == "/solidarity/pledge?member_state=DE&year=2027"
    pledge_2027 = de.get(unescape(link)).text
    assert "solidarity 2027" in _text(pledge_2027) and "cycle pledging" in _text(pledge_2027)
    assert 'id="pledging-not-open"' not in pledge_2027 and 'id="pledging-closed"' not in pledge_2027


def test_a_world_ending_before_the_forum_holds_the_proposal_only(services: Services) -> None:
    build(services, scale="XS", seed=3, end=date(2026, 10, 20), show_progress=False, only=["solidarity"])
    c = solidarity.get_cycle(services, SYSTEM, 2027)
    assert (c["status"], c["proposal_on"], c["forum_on"]) == ("proposal", date(2026, 10, 15), None)
    assert solidarity.pool_overview(services, SYSTEM, 2027)["deductions"] == []

"""Solidarity screens as HTML on the demo world's solidarity step: pool at a glance, a state's own
pledge page (with the pledge form), fair shares and the transfer tracker."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services

W = Callable[[str], TestClient]


@pytest.fixture
def world(demo_world: Callable[..., Services]) -> Services:
    return demo_world(scale="XS", only=["solidarity"], end=date(2026, 11, 28))


def _cell_numbers(html: str, table_id: str) -> dict[str, int]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</tbody>", 1)[0]
    return {m[0]: int(m[1].replace(",", "")) for m in re.findall(r"<tr><td>(\w\w)</td><td class=\"num\">([\d,]+)</td></tr>", body)}


def test_pool_at_a_glance_for_the_commission(world: Services, web_client: W) -> None:
    page = web_client("com-solidarity").get("/solidarity")
    assert page.status_code == 200
    html = page.text
    assert "Annual Solidarity Pool 2026" in html and "21,000" in html
    assert "IT: under pressure" in html and "AT: significant migratory situation" in html
    assert "reference year <strong>2022</strong>" in html
    # Germany's reported pledge of 4,555 relocations appears against its fair share
    row = html.split("member_state=DE\">DE</a>", 1)[1].split("</tr>", 1)[0]
    assert "4,555" in row


def test_the_commission_reaches_every_pledge_page_from_the_tabs(world: Services, web_client: W) -> None:
    c = web_client("com-solidarity")
    tabs = re.search(r'<nav class="tabs"[^>]*>(.*?)</nav>', c.get("/solidarity").text, re.S)
    assert tabs is not None
    # one tab to the pool page, whose table of states links each pledge page (no "Pledge pages" tab
    # that showed the same page again: FD-25)
    assert "Pledge pages" not in tabs[1]
    hrefs = [h.split("#")[0] for h in re.findall(r'<a href="([^"]+)"', tabs[1])]
    assert len(hrefs) == len(set(hrefs))
    pool = re.search(r'<a href="([^"]+)">Pool at a glance</a>', tabs[1])
    assert pool is not None
    page = c.get(pool[1].replace("&amp;", "&"))
    assert page.status_code == 200
    assert 'id="accounts"' in page.text and "member_state=DE" in page.text
    assert c.get("/solidarity/pledge?year=2026&member_state=DE").status_code == 200


def test_a_state_sees_its_own_pledge_page_and_changes_nothing_after_the_council_act(world: Services, web_client: W) -> None:
    c = web_client("de-admin")
    r = c.get("/solidarity", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/solidarity/pledge")
    html = c.get("/solidarity/pledge").text
    assert "Germany: solidarity 2026" in html and "4,555 relocations" in html
    assert "Preferred beneficiaries: IT, EL" in html
    dist = _cell_numbers(html, "distribution")
    assert set(dist) == {"IT", "EL"} and sum(dist.values()) == 4555
    assert 'id="pledge-form"' not in html  # the Council has acted: no more pledging
    assert c.get("/solidarity/pledge?member_state=FR").status_code == 404


def test_pledge_form_during_pledging(services: Services, web_client: W, auth_headers) -> None:
    com = auth_headers("com-solidarity")
    assert web_client("com-solidarity").post("/api/v1/solidarity/cycles", headers=com, json={
        "year": 2027, "proposal_on": "2026-10-15", "designations": [
            {"member_state": ms, "status": "under_pressure"} for ms in ("IT", "CY")]}).status_code == 201
    c = web_client("nl-admin")
    # before the High-Level Forum opens pledging (Art 13), no form
    html = c.get("/solidarity/pledge?year=2027").text
    assert 'id="pledge-form"' not in html and 'id="pledging-not-open"' in html
    version = web_client("com-solidarity").get("/api/v1/solidarity/cycles/2027", headers=com).json()["version"]
    assert web_client("com-solidarity").post("/api/v1/solidarity/cycles/2027/actions/open_pledging", headers=com,
                                             json={"version": version, "on": "2026-10-20"}).status_code == 200
    html = c.get("/solidarity/pledge?year=2027").text
    assert 'id="pledge-form"' in html
    bad = c.post("/solidarity/pledge", data={"year": "2027", "relocations": "-5"})
    assert bad.status_code == 422 and "cannot be negative" in bad.text
    ok = c.post("/solidarity/pledge", data={"year": "2027", "relocations": "600", "financial_eur": "1000000",
                                            "preferred_beneficiaries": "IT, CY"}, follow_redirects=False)
    assert ok.status_code == 303
    html = c.get(ok.headers["location"]).text
    assert "600 relocations, EUR 1,000,000 financial" in html and "Preferred beneficiaries: IT, CY" in html


def test_transfer_tracker_reproduces_the_letters_footnote(world: Services, web_client: W) -> None:
    c = web_client("com-solidarity")
    html = c.get("/solidarity/transfers?era=vsm").text
    by_origin = _cell_numbers(html, "by-origin")
    assert sum(by_origin.values()) > 4000  # more than 4,000 relocated by February 2024
    api = c.get("/api/v1/solidarity/transfers", params={"era": "vsm", "as_of": "2023-06-23"}).json()
    assert api["arrived_by_origin"] == {"IT": 911, "CY": 676, "EL": 179, "MT": 76, "ES": 48}
    assert api["arrived_total"] == 1890
    assert set(api["arrived_by_destination"]) <= {"DE", "FR", "FI", "NO", "RO", "BG", "HR", "PT", "LU"}
    # the 2026 pool is in progress: transfers at several stages
    stages = c.get("/api/v1/solidarity/transfers", params={"era": "ammr"}).json()["by_stage"]
    assert stages.get("arrived", 0) > 0 and len(stages) >= 3
    # a state sees only transfers from or to itself
    it = web_client("it-admin").get("/api/v1/solidarity/transfers", params={"era": "vsm", "as_of": "2023-06-23"}).json()
    assert it["arrived_by_origin"] == {"IT": 911}


def test_fair_shares_page(services: Services, web_client: W) -> None:
    html = web_client("com-analyst").get("/solidarity/fair-shares?year=2026").text
    assert "reference year 2022" in html and "Germany (DE)" in html
    assert "<th class=\"num\">21,000</th><th class=\"num\">420,000,000</th>" in html

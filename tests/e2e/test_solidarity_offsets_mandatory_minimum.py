"""AMMR Art 63(3)(a), read in the Official Journal text: responsibility offsets are mandatory when the
relocation pledges in the Council's act are lower than the number of Art 12(2)(a), 30,000 relocations,
as well as when they are lower than 60% of the pool's reference number (point (b)). On the old code only
point (b) was applied: 15,016 relocations pledged against a pool the Council set at 21,000 (71.5%) left
offsets voluntary, and Austria, which pledged money only, had nothing to take over."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_offsets import _adopted_pool, _case

H = Callable[[str], dict[str, str]]
P = Callable[[str], Principal]
API = "/api/v1/solidarity"
A = "Regulation (EU) 2024/1351, Article 63(3)(a)"

# 15,016 relocations: >= 50% of the proposal's 30,000 (Art 63(1)), 71.5% of the Council's 21,000 (not
# below 60%, point (b)), but below the 30,000 of Art 12(2)(a) (point (a))
BELOW_30000 = {"DE": 4555, "FR": 3361, "NL": 2500, "BE": 2200, "PL": 2400, "AT": 0}


def test_pledges_below_30000_make_offsets_mandatory_under_point_a(
        client: TestClient, auth_headers: H, principal: P, services: Services,
        web_client: Callable[[str], TestClient]) -> None:
    _adopted_pool(client, auth_headers, BELOW_30000)
    com = auth_headers("com-solidarity")
    reg = client.get(f"{API}/cycles/2026/offsets", headers=com).json()["regime"]
    assert (reg["relocation_pledges"], reg["mandatory_minimum_relocations"]) == (15016, 30000)
    assert reg["mandatory"] is True and reg["mandatory_basis"] == [A]
    step = next(s for s in reg["trace"] if s["rule"] == "offsets_mandatory_below_minimum")
    assert step["outcome"].startswith("relocation pledges (15,016) are below the 30,000 relocations of Article 12(2)(a)")
    # Austria pledged money only: it must now take over up to its fair share, at a benefitting state's request
    view = client.get(f"{API}/cycles/2026/offsets", headers=com).json()
    fair = client.get(f"{API}/fair-shares", params={"year": 2026}, headers=auth_headers("com-analyst")).json()
    fs = {s["member_state"]: s["fair_share_relocations"] for s in fair["states"]}
    at = next(c for c in view["contributors"] if c["member_state"] == "AT")
    assert at["mandatory_obligation"] == fs["AT"] > 0
    cases = [_case(services, principal("at-caseworker"), f"AT-A-{i}", f"2026-10-{i + 1:02d}") for i in range(2)]
    r = client.post(f"{API}/cycles/2026/offsets", headers=com, json={
        "beneficiary_member_state": "IT", "contributor_member_state": "AT",
        "case_ids": [c["id"] for c in cases], "on": "2026-11-28"})
    assert r.status_code == 201, r.text
    assert r.json()["mandatory"] is True
    assert r.json()["legal_basis"] == [A, "Regulation (EU) 2024/1351, Article 69"]
    # the pool page says offsets are mandatory, and under which point
    pool = unescape(web_client("com-solidarity").get("/solidarity?year=2026").text)
    assert 'id="offsets-mandatory"' in pool
    said = re.search(r'<span id="offsets-mandatory-basis">(.*?)</span>', pool, re.S)
    assert said and said[1] == f"({A}: below the 30,000 relocations of Article 12(2)(a))"


def test_the_pool_page_gives_each_point_of_art_63_3_its_own_reason_when_both_apply(
        client: TestClient, auth_headers: H, web_client: Callable[[str], TestClient]) -> None:
    """8,200 relocations: below the 30,000 of Art 12(2)(a) (point (a)) and below 60% of the
    Council's 21,000 (point (b)). The reason of point (a) followed point (b) ("(…63(3)(a); …63(3)(b):
    below the 30,000 relocations …)"), as if it were point (b)'s."""
    _adopted_pool(client, auth_headers, {"DE": 4555, "FR": 3361, "NL": 284, "AT": 0})
    reg = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()["regime"]
    b = "Regulation (EU) 2024/1351, Article 63(3)(b)"
    assert reg["mandatory_basis"] == [A, b]
    pool = unescape(web_client("com-solidarity").get("/solidarity?year=2026").text)
    said = re.search(r'<span id="offsets-mandatory-basis">(.*?)</span>', pool, re.S)
    assert said and said[1] == f"({A}: below the 30,000 relocations of Article 12(2)(a); {b})"

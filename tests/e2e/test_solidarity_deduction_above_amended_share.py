"""A deduction the Council granted while the pool was the Commission's proposal, then a smaller pool
adopted (Art 57): the state's new fair share is below what was granted. Only the fair share can be
deducted (the overview caps it, nothing is due), and the pool page, the API and the CSV say that the
grant now exceeds it, so that the Council can review it; the page used to show the capped figure
alone, as if the Council had granted that."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

from pactum.solidarity import cycle as cyc
from tests.e2e.test_solidarity_web_actions import ART_62_2, new_cycle

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
ACT = "Council Implementing Decision (EU) 2026/3"


def test_the_account_says_a_grant_above_the_fair_share() -> None:
    from datetime import date

    out = cyc.account([cyc.StateAccount("AT", 300, deduction_relocations=300, deduction_granted_relocations=420),
                       cyc.StateAccount("BE", 500, deduction_relocations=100)], pool_relocations=1000,
                      on=date(2026, 9, 1))
    at, be = out["states"]
    assert (at["deduction_relocations"], at["deduction_granted_relocations"], at["due_relocation_equivalents"],
            at["deduction_exceeds_fair_share"]) == (300, 420, 0, True)
    assert (be["deduction_granted_relocations"], be["deduction_exceeds_fair_share"]) == (100, False)


def test_a_grant_above_the_fair_share_of_the_adopted_pool_is_flagged(client: TestClient, auth_headers: H,
                                                                      web_client: Callable[[str], TestClient]) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", AT="significant_migratory_situation")
    at_share = next(s for s in client.get(f"{API}/cycles/2027/overview", headers=com).json()["accounts"]["states"]
                    if s["member_state"] == "AT")["fair_share_relocations"]
    d = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"),
                    json={"relocations": at_share, "on": "2026-10-20", "substantiation": ART_62_2}).json()
    a = client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                    json={"version": d["version"], "justified": True, "on": "2026-10-25"}).json()
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": a["version"], "granted": True, "on": "2026-10-28", "council_act_reference": ACT})
    assert r.status_code == 200, r.text
    cycle = client.get(f"{API}/cycles/2027", headers=com).json()
    r = client.post(f"{API}/cycles/2027/actions/adopt", headers=com, json={
        "version": cycle["version"], "on": "2026-11-01", "council_act_reference": "Council Implementing Decision (EU) 2026/1",
        "pool_relocations": cycle["pool_relocations"] // 2})
    assert r.status_code == 200, r.text
    at = next(s for s in client.get(f"{API}/cycles/2027/overview", headers=com).json()["accounts"]["states"]
              if s["member_state"] == "AT")
    assert at["fair_share_relocations"] < at_share
    assert (at["deduction_relocations"], at["deduction_granted_relocations"], at["deduction_exceeds_fair_share"],
            at["due_relocation_equivalents"]) == (at["fair_share_relocations"], at_share, True, 0)
    rows = {r["member_state"]: r for r in csv.DictReader(io.StringIO(
        client.get(f"{API}/cycles/2027/overview.csv", headers=com).text))}
    assert rows["AT"]["deduction_granted_relocations"] == str(at_share)
    assert rows["AT"]["deduction_exceeds_fair_share"] == "true"
    page = unescape(web_client("com-solidarity").get("/solidarity?year=2027").text)
    badge = re.search(r'id="deduction-exceeds-AT"[^>]*>([^<]*)<', page)
    assert badge and badge.group(1) == f"granted {at_share:,}: above the fair share"

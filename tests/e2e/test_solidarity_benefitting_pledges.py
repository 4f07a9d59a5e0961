"""A benefitting state's own pledge (DOMAIN.md 2.2: "An MS benefiting from the pool does not implement
its own pledges"), as the QA walk met it on a 2027 cycle with IT and ES under migratory pressure: IT
records a need of 5,000 and pledges 100 relocations. On the old code the distribution sent IT's 100
relocations to ES, the offsets regime counted them in its relocation pledges while the offsets view left
IT out of the contributors, and the pool page listed IT and ES at "0%" of what is due like delinquent
contributors. Now the pledge is kept and shown, but neither distributed nor counted in what is implemented,
and the pages say why. Since 2 December 2026 its relocations count again in the relocation pledges of the
Council's act that Art 63(1) and (3) measure, and are left out of those to be implemented (Art 63(4)):
tests/e2e/test_solidarity_offsets_benefitting_pledges_count.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import new_cycle

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]
RULE = "Regulation (EU) 2024/1351, Article 60(3)"  # benefitting states are not obliged to implement their pledges (third subparagraph)


def _pool_2027(client: TestClient, auth_headers: H) -> dict[str, str]:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure", ES="under_pressure",
              AT="significant_migratory_situation")
    it, es = auth_headers("it-admin"), auth_headers("es-admin")
    assert client.post(f"{API}/cycles/2027/needs", headers=it, json={"relocations": 5000}).status_code == 200
    assert client.post(f"{API}/cycles/2027/needs", headers=es, json={"relocations": 3000}).status_code == 200
    assert client.post(f"{API}/cycles/2027/pledges", headers=it,
                       json={"relocations": 100, "financial_eur": 2_000_000}).status_code == 200
    assert client.post(f"{API}/cycles/2027/pledges", headers=auth_headers("fr-admin"),
                       json={"relocations": 800}).status_code == 200
    return com


def test_a_benefitting_states_pledge_is_neither_distributed_nor_counted(
        services: Services, client: TestClient, auth_headers: H) -> None:
    com = _pool_2027(client, auth_headers)
    dist = client.get(f"{API}/cycles/2027/distribution", headers=com).json()
    # only France's pledge is split between the beneficiaries; IT's 100 do not go to ES
    assert [d["member_state"] for d in dist] == ["FR"]
    assert sum(dist[0]["allocation"].values()) == 800

    offsets = client.get(f"{API}/cycles/2027/offsets", headers=com).json()
    # Art 63(1), (3): the act's 900; Art 63(4): the 800 to be implemented, IT's 100 left out
    reg = offsets["regime"]
    assert (reg["relocation_pledges"], reg["relocations_to_implement"], reg["not_implemented_relocations"]) == (
        900, 800, 100)
    assert offsets["benefitting_states"] == ["ES", "IT"]
    assert {c["member_state"] for c in offsets["contributors"]}.isdisjoint({"ES", "IT"})
    assert RULE in offsets["benefitting_note"]["legal_basis"]

    ov = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    acc = ov["accounts"]
    assert acc["totals"]["pledged_relocations"] == 800 and acc["totals"]["pledged_financial_eur"] == 0
    assert acc["offsets"]["relocation_pledges_share_of_pool"] == round(900 / 30000, 4)
    held = acc["not_implemented"]
    assert (held["states"], held["relocations"], held["financial_eur"]) == (["IT"], 100, 2_000_000)
    assert held["legal_basis"] == [RULE] and "does not implement its own pledges" in held["reason"]
    rows = {r["member_state"]: r for r in acc["states"]}
    # IT's pledge is still shown, marked as not implemented; no share of what is due for IT or ES
    assert rows["IT"]["pledged_relocations"] == 100 and rows["IT"]["pledge_implemented"] is False
    for ms in ("IT", "ES"):
        assert rows[ms]["benefitting"] is True and rows[ms]["pledged_share_of_due"] is None
        assert rows[ms]["designation"] == "under_pressure"
    assert rows["FR"]["benefitting"] is False and rows["FR"]["pledged_share_of_due"] > 0
    assert rows["AT"]["benefitting"] is False and rows["AT"]["pledged_share_of_due"] == 0
    assert {n["member_state"]: n["pledges_received_relocations"] for n in ov["needs"]} == {"ES": 300, "IT": 500}
    assert ov["benefitting_states"] == ["ES", "IT"]

    # IT's own page: its pledge is there, with why it is not implemented; nothing of it is distributed
    page = client.get(f"{API}/cycles/2027/pledges/IT", headers=auth_headers("it-admin")).json()
    assert page["pledge"]["relocations"] == 100 and page["distribution"] is None
    assert page["benefitting"] is True
    assert page["own_pledge"]["implemented"] is False and page["own_pledge"]["legal_basis"] == [RULE]
    # ES's side: what it receives counts France's relocations only, and no financial pledge of IT
    es = client.get(f"{API}/cycles/2027/pledges/ES", headers=auth_headers("es-admin")).json()["receives"]
    assert es["relocations"]["distributed"] == 300 and es["financial"]["pool_pledged_eur"] == 0
    assert {r["member_state"] for r in es["by_contributor"]} == {"FR"}

    # the matching capacities follow the distribution: nothing from IT for ES
    caps = client.get(f"{API}/cycles/2027/matching-capacities", params={"beneficiary": "ES"}, headers=com).json()
    assert {c["member_state"] for c in caps["capacities"]} == {"FR"}


def test_the_pages_mark_benefitting_states_rather_than_delinquent_ones(
        services: Services, client: TestClient, auth_headers: H, web_client: W) -> None:
    com = _pool_2027(client, auth_headers)
    version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
    assert client.post(f"{API}/cycles/2027/actions/adopt", headers=com, json={
        "version": version, "on": "2026-11-20",
        "council_act_reference": "Council Implementing Decision (EU) 2026/1"}).status_code == 200
    html = unescape(web_client("com-solidarity").get("/solidarity?year=2027").text)
    table = re.search(r'<table id="accounts">.*?</table>', html, re.S)[0]  # type: ignore[index]
    for ms in ("IT", "ES"):
        row = table.split(f'member_state={ms}">{ms}</a>', 1)[1].split("</tr>", 1)[0]
        assert "benefitting (under migratory pressure)" in row and "0%" not in row
    assert "pledge not implemented" in table.split('member_state=IT">IT</a>', 1)[1].split("</tr>", 1)[0]
    said = re.search(r'<p id="benefitting-said">(.*?)</p>', html, re.S)[1]  # type: ignore[index]
    assert "ES, IT benefit from the pool" in said and RULE in said
    assert "Not counted: the pledges of IT (100 relocations" in html
    # the offsets panel says why the benefitting states are not among the contributors
    benefitting = re.search(r'<p class="muted" id="offset-benefitting">(.*?)</p>', html, re.S)[1]  # type: ignore[index]
    assert "ES, IT" in benefitting and "take over no applications" in benefitting
    # IT's own page says its pledge is not implemented, and why
    it = unescape(web_client("it-admin").get("/solidarity/pledge?year=2027").text)
    note = re.search(r'<p id="own-pledge-not-implemented">(.*?)</p>', it, re.S)[1]  # type: ignore[index]
    assert "IT benefits from the pool (under migratory pressure)" in note and RULE in note
    assert "not counted while IT benefits from the pool" in it

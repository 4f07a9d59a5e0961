"""Deductions as AMMR Art 61(3)-(4) has them (DOMAIN.md 2.2): the Commission assesses a request within
4 weeks and informs the Council, which grants or refuses it by implementing act. On the old code the
Commission alone granted or refused (``POST /solidarity/deductions/{id}/decision`` with ``{version,
granted, on}``), and the demo world's four deductions carried no Council act. Now the assessment is its
own step, due by the date the law's parameter gives, and the decision is the Council's act, named."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services
from pactum.store.migrate import upgrade
from tests.e2e.test_solidarity_web_actions import ART_62_2, errors, forms, new_cycle, notice, send

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]
ACT = "Council Implementing Decision (EU) 2026/3"


def test_the_commission_assesses_and_the_council_decides(services: Services, client: TestClient,
                                                        auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="implementation", AT="significant_migratory_situation")
    d = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"),
                    json={"relocations": 40, "on": "2026-10-20", "substantiation": ART_62_2}).json()
    assert (d["status"], d["assess_by"]) == ("requested", "2026-11-17")  # 4 weeks (Art 61(3))
    # the old request body: the Council's act is required, named
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com,
                    json={"version": d["version"], "granted": True, "on": "2026-11-20"})
    assert r.status_code == 422 and [e["loc"][-1] for e in r.json()["detail"]] == ["council_act_reference"]
    # named, but before the Commission's assessment: the Council decides on it
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com,
                    json={"version": d["version"], "granted": True, "on": "2026-11-20", "council_act_reference": ACT})
    assert r.status_code == 409 and "has not assessed the request yet" in r.json()["detail"]
    # the assessment came after its due date: recorded, and said late
    overview = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    assert overview["deductions"][0]["assessment_late"] is True  # 28 November, nothing yet: overdue
    a = client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                    json={"version": d["version"], "justified": True, "on": "2026-11-19"}).json()
    assert (a["status"], a["assessment"], a["assessed_on"], a["assessment_late"]) == (
        "assessed", "justified", "2026-11-19", True)
    assert client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                       json={"version": a["version"], "justified": False, "on": "2026-11-20"}).status_code == 409
    # only the Commission records either step
    assert client.post(f"{API}/deductions/{d['id']}/assessment", headers=auth_headers("at-admin"),
                       json={"version": a["version"], "justified": True, "on": "2026-11-20"}).status_code == 403
    done = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": a["version"], "granted": True, "on": "2026-11-24", "council_act_reference": ACT}).json()
    assert (done["status"], done["council_act_reference"], done["decided_on"]) == ("granted", ACT, "2026-11-24")
    # a request under Art 62 cites Art 62(4) and (5) (read in the Regulation's text), never Art 61(3) and (4)
    assert done["legal_basis"] == ["Regulation (EU) 2024/1351, Article 62", "Regulation (EU) 2024/1351, Article 62(4)",
                                   "Regulation (EU) 2024/1351, Article 62(5)"] and not done["legal_basis_unverified"]
    page = client.get(f"{API}/cycles/2027/pledges/AT", headers=auth_headers("at-admin")).json()
    assert page["account"]["deduction_relocations"] == 40


def test_the_pool_page_takes_the_assessment_then_the_councils_act(services: Services, client: TestClient,
                                                                 auth_headers: H, web_client: W) -> None:
    com_h = auth_headers("com-solidarity")
    new_cycle(client, com_h, status="implementation", AT="significant_migratory_situation")
    d = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"),
                    json={"relocations": 40, "on": "2026-11-20", "substantiation": ART_62_2}).json()
    com = web_client("com-solidarity")
    pool = com.get("/solidarity?year=2027").text
    assert f"decision-{d['id']}" not in forms(pool)  # not before the assessment
    status, page = send(com, pool, f"assessment-{d['id']}", on="2026-11-22")
    assert status == 422 and errors(page, "assessment-errors") == ["Assessment: say whether the request is justified"]
    status, where = send(com, pool, f"assessment-{d['id']}", on="2026-11-22", justified="yes")
    assert status == 303, where
    pool = com.get(where).text
    assert notice(pool) == ("The Commission's assessment of AT's deduction request is recorded (justified): "
                            "the request now awaits the Council's implementing act.")
    status, page = send(com, pool, f"decision-{d['id']}", on="2026-11-25", granted="yes")
    assert status == 422 and errors(page, "decision-errors") == [
        "Council implementing act: name the Council implementing act that decides the request"]
    assert forms(page)[f"decision-{d['id']}"][1]["on"] == "2026-11-25"
    status, where = send(com, pool, f"decision-{d['id']}", on="2026-11-25", granted="yes", council_act_reference=ACT)
    assert status == 303, where
    after = unescape(com.get(where).text)
    assert notice(after).startswith("AT's deduction request granted by the Council's implementing act")
    row = re.search(r'<table id="deductions">.*?</table>', after, re.S)[0]  # type: ignore[index]
    assert "assessed 2026-11-22 (justified)" in row and f"{ACT} of 2026-11-25" in row
    at = unescape(web_client("at-admin").get("/solidarity/pledge?year=2027").text)
    mine = re.search(r'<table id="deduction-requests">.*?</table>', at, re.S)[0]  # type: ignore[index]
    assert "justified, 2026-11-22" in mine and f"decided 2026-11-25 by {ACT}" in mine


def test_the_demo_worlds_deductions_carry_the_councils_act(demo_world: Callable[..., Services]) -> None:
    services = demo_world(scale="XS", only=["solidarity"], end=date(2026, 11, 28))
    ov = solidarity.pool_overview(services, SYSTEM, 2026)
    got = {d["member_state"]: d for d in ov["deductions"] if d["relocations"] > 0}
    assert set(got) == {"AT", "CZ", "HR", "PL"}
    # the other request of the demo's 2026 pool deducts nothing: it replaces money by alternative measures,
    # granted in part by a later act of the Council (Art 62(2)(b), 62(5))
    others = [d for d in ov["deductions"] if d["relocations"] == 0]
    assert [(d["replacement"]["of"], d["replacement"]["by"], d["partial_grant"], d["decided_on"]) for d in others] == [
        ("financial", "alternative", True, date(2026, 9, 21))]
    for d in got.values():
        assert (d["status"], d["council_act_reference"], d["decided_on"]) == (
            "granted", "Council Implementing Decision (EU) 2025/2642", date(2025, 12, 19))
        assert (d["requested_on"], d["assessed_on"], d["assessment"]) == (date(2025, 11, 25), date(2025, 12, 5),
                                                                          "justified")
        # prepared before the Regulation applied: the 4 weeks did not bind the Commission then
        assert d["assess_by"] == date(2025, 12, 23) and d["assessment_binding"] is False
    shares = {s["member_state"]: s for s in ov["accounts"]["states"]}
    assert all(shares[ms]["deduction_relocations"] == shares[ms]["fair_share_relocations"] > 0 for ms in got)


def test_the_migration_gives_the_demo_worlds_deductions_their_council_act(tmp_path) -> None:
    """A store at the revision before (as the shipped demo world was): its four deductions granted by the
    Commission on 1.7.2026 become the Council's act of 19.12.2025; any other decision keeps its status,
    read as the Commission's assessment, with no Council act."""
    engine = create_engine(f"sqlite:///{tmp_path}/old.db")
    upgrade(engine, "solidarity_0003_beneficiary_agreements")
    now = "2026-07-01 10:00:00"
    with engine.begin() as conn:
        for cid, year, act, act_on in (("c26", 2026, "Council Implementing Decision (EU) 2025/2642", "2025-12-19"),
                                       ("c27", 2027, "Council Implementing Decision (EU) 2026/1", "2026-11-01")):
            conn.execute(text(
                "INSERT INTO solidarity_cycles (id, year, status, pool_relocations, pool_financial_eur, proposal_on, "
                "council_act_on, council_act_reference, created_by, created_at, version) VALUES "
                "(:id, :year, 'implementation', 21000, 420000000, '2025-11-11', :on, :act, 'system', :now, 1)"),
                {"id": cid, "year": year, "on": act_on, "act": act, "now": now})
        rows = [("d1", "c26", "AT", "granted", "2026-06-15", "2026-07-01"),
                ("d2", "c26", "PL", "granted", "2026-06-15", "2026-07-01"),
                ("d3", "c26", "BG", "refused", "2026-06-15", "2026-07-01"),  # not one the act adjusted
                ("d4", "c27", "AT", "granted", "2026-06-15", "2026-07-01"),  # another cycle
                ("d5", "c26", "CZ", "requested", "2026-11-20", None)]
        for did, cid, ms, status, requested, decided in rows:
            conn.execute(text(
                "INSERT INTO solidarity_deductions (id, cycle_id, member_state, relocations, grounds, status, "
                "requested_on, assess_by, decided_on, created_at, version) VALUES (:id, :cid, :ms, 10, "
                "'article_62', :status, :requested, '2026-07-13', :decided, :now, 2)"),
                {"id": did, "cid": cid, "ms": ms, "status": status, "requested": requested, "decided": decided,
                 "now": now})
    upgrade(engine, "heads")
    with engine.connect() as conn:
        got = {r.id: tuple(r)[1:] for r in conn.execute(text(
            "SELECT id, status, requested_on, assessed_on, assessment, council_act_reference, decided_on "
            "FROM solidarity_deductions"))}
    act = "Council Implementing Decision (EU) 2025/2642"
    assert got["d1"] == ("granted", "2025-11-25", "2025-12-05", "justified", act, "2025-12-19")
    assert got["d2"] == ("granted", "2025-11-25", "2025-12-05", "justified", act, "2025-12-19")
    assert got["d3"] == ("refused", "2026-06-15", "2026-07-01", "not_justified", None, "2026-07-01")
    assert got["d4"] == ("granted", "2026-06-15", "2026-07-01", "justified", None, "2026-07-01")
    assert got["d5"] == ("requested", "2026-11-20", None, None, None, None)
    engine.dispose()

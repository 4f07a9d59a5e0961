"""A deduction request from a state the Commission's decision did not identify (AMMR, Regulation (EU)
2024/1351, Arts 61(1)-(2) and 62(1)-(3), read in the Official Journal text): a Member State "which
considers itself" under migratory pressure, or facing a significant migratory situation, may ask for a
full or partial deduction of its pledged contributions; its request includes (a) how the deduction
would help stabilise the situation, (b) whether the pledged contribution could be replaced by another
type, (c) how it will address identified vulnerabilities, (d) a duly substantiated justification of the
pressure (Art 61(2)) or of where maximum capacity is reached (Art 62(2)), and for Art 62 the significance
of the situation (Art 62(3)). The Commission assesses it within four weeks (Arts 61(3), 62(4)) and the
Council decides (Arts 61(4), 62(5)). On the old code every such request was a 409 ("for now the platform
records deduction requests only from the states the Commission's decision designated")."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import ART_62_2, errors, forms, new_cycle, notice, send
from tests.problem_paths import field_path, problem_fields

API = "/api/v1/solidarity"
AMMR = "Regulation (EU) 2024/1351"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]
runner = CliRunner()

#: What Sweden writes in its request under Art 61(2), points (a) to (d).
PRESSURE = {
    "stabilisation": "Suspending 60 relocations frees reception places in Malmo for new arrivals this winter.",
    "replacement": "The relocations pledged could be replaced by a financial contribution of EUR 1.2 million.",
    "vulnerabilities": "Three new reception centres open in March; the registration backlog is cleared by April.",
    "migratory_pressure": "Applications rose by 180% since July (Eurostat migr_asyappctzm); arrivals via the "
                          "eastern route doubled.",
}


def _msgs(r: Any) -> dict[str, str]:
    """The problems of a 422 by the field each names."""
    return {field_path(d["loc"][1:]): d["msg"] for d in r.json()["detail"]}


def test_a_state_that_considers_itself_under_pressure_asks_with_the_content_art_61_2_requires(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="implementation", IT="under_pressure")
    se = auth_headers("se-admin")
    # without saying which situation it considers itself in
    r = client.post(f"{API}/cycles/2027/deductions", headers=se, json={"relocations": 60, "on": "2026-11-20"})
    assert r.status_code == 422 and problem_fields(r) == ["grounds"]
    # under migratory pressure, without the content of Art 61(2): each point named, cited
    r = client.post(f"{API}/cycles/2027/deductions", headers=se,
                    json={"relocations": 60, "on": "2026-11-20", "grounds": "article_61",
                          "substantiation": {"stabilisation": PRESSURE["stabilisation"], "replacement": "  "}})
    assert r.status_code == 422
    said = _msgs(r)
    assert sorted(said) == ["substantiation.migratory_pressure", "substantiation.replacement",
                            "substantiation.vulnerabilities"]
    assert said["substantiation.migratory_pressure"] == (
        "required: a duly substantiated justification of the existence and extent of the migratory pressure it "
        f"faces ({AMMR}, Article 61(2)(d))")
    assert said["substantiation.replacement"].endswith(f"({AMMR}, Article 61(2)(b))")
    # with it: recorded, resting on Sweden's own assessment
    r = client.post(f"{API}/cycles/2027/deductions", headers=se,
                    json={"relocations": 60, "on": "2026-11-20", "grounds": "article_61", "substantiation": PRESSURE})
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["member_state"], d["grounds"], d["own_assessment"], d["designation"], d["status"]) == (
        "SE", "article_61", True, None, "requested")
    assert d["assess_by"] == "2026-12-18"  # four weeks (Art 61(3))
    assert d["legal_basis"] == [f"{AMMR}, Article 61", f"{AMMR}, Article 61(3)"]
    assert d["substantiation_legal_basis"] == [f"{AMMR}, Article 61(2)"]
    assert [(s["item"], s["text"], s["legal_basis"]) for s in d["substantiation"]] == [
        ("stabilisation", PRESSURE["stabilisation"], [f"{AMMR}, Article 61(2)(a)"]),
        ("replacement", PRESSURE["replacement"], [f"{AMMR}, Article 61(2)(b)"]),
        ("vulnerabilities", PRESSURE["vulnerabilities"], [f"{AMMR}, Article 61(2)(c)"]),
        ("migratory_pressure", PRESSURE["migratory_pressure"], [f"{AMMR}, Article 61(2)(d)"]),
    ]
    assert d["rests_on"] == (f"SE's own assessment that it is under migratory pressure ({AMMR}, Article 61(1)), "
                             f"substantiated as {AMMR}, Article 61(2) requires")
    # the same assessment and Council steps as a designated state's request
    a = client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                    json={"version": 1, "justified": True, "on": "2026-11-27"}).json()
    assert (a["status"], a["own_assessment"]) == ("assessed", True)
    done = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": 2, "granted": True, "on": "2026-11-28", "council_act_reference": "CID (EU) 2026/9"}).json()
    assert done["status"] == "granted"
    assert done["legal_basis"] == [f"{AMMR}, Article 61", f"{AMMR}, Article 61(3)", f"{AMMR}, Article 61(4)"]
    page = client.get(f"{API}/cycles/2027/pledges/SE", headers=se).json()
    assert page["account"]["deduction_relocations"] == 60
    ov = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    assert [(x["member_state"], x["own_assessment"], len(x["substantiation"])) for x in ov["deductions"]] == [
        ("SE", True, 4)]


def test_a_state_at_risk_that_considers_itself_facing_a_significant_situation_adds_its_significance(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure", BE="at_risk")
    be = auth_headers("be-admin")
    body: dict[str, Any] = {"relocations": 30, "on": "2026-11-20", "grounds": "article_62", "substantiation": {
        "stabilisation": "x", "replacement": "no", "vulnerabilities": "y",
        "migratory_pressure": "Art 61's point (d), not Art 62's"}}
    r = client.post(f"{API}/cycles/2027/deductions", headers=be, json=body)
    assert r.status_code == 422
    said = _msgs(r)
    assert sorted(said) == ["substantiation.capacity_reached", "substantiation.migratory_pressure",
                            "substantiation.significance"]
    assert said["substantiation.capacity_reached"].endswith(f"({AMMR}, Article 62(2)(d))")
    assert said["substantiation.significance"] == (
        "required: a duly substantiated justification of the significance of the migratory situation it faces "
        f"({AMMR}, Article 62(3))")
    body["substantiation"] = {"stabilisation": "x", "replacement": "no", "vulnerabilities": "y",
                              "capacity_reached": "Reception: 100% occupancy since October.",
                              "significance": "Arrivals at 3x the 2025 level."}
    d = client.post(f"{API}/cycles/2027/deductions", headers=be, json=body).json()
    assert (d["grounds"], d["own_assessment"], d["designation"]) == ("article_62", True, "at_risk")
    assert d["legal_basis"] == [f"{AMMR}, Article 62", f"{AMMR}, Article 62(4)"]
    assert d["substantiation_legal_basis"] == [f"{AMMR}, Article 62(2)", f"{AMMR}, Article 62(3)"]
    # Art 62(3): the Commission also weighs whether its decision found the state at risk
    assert d["rests_on"].endswith("; the Commission's decision identified BE as at risk of migratory pressure")


def test_designated_states_keep_their_rules(client: TestClient, auth_headers: H) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure",
              AT="significant_migratory_situation")
    it = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("it-admin"),
                     json={"relocations": 5, "on": "2026-11-20"}).json()
    assert (it["grounds"], it["own_assessment"], it["designation"]) == ("article_61", False, "under_pressure")
    assert it["rests_on"] == (f"the Commission's decision identifying IT as under migratory pressure "
                              f"({AMMR}, Article 11)")
    # a designated state's request rests on the decision's grounds
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("at-admin"),
                    json={"relocations": 5, "on": "2026-11-20", "grounds": "article_61", "substantiation": ART_62_2})
    assert r.status_code == 422 and problem_fields(r) == ["grounds"]


def test_a_state_identified_in_a_significant_migratory_situation_gives_the_content_of_article_62_2(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    """Art 62(2) (read in the Official Journal text): "Qualora lo Stato membro richiedente sia individuato
    in una decisione di cui all'articolo 11 come Stato che affronta una situazione migratoria significativa,
    la richiesta comprende: a) ... d)". Until 1 December 2026 Pactum recorded that content when given but
    did not require it of a state the decision identified; a state identified under migratory pressure
    still gives none (Art 61(2) is for a state not identified)."""
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure",
              AT="significant_migratory_situation")
    at = auth_headers("at-admin")
    r = client.post(f"{API}/cycles/2027/deductions", headers=at, json={"relocations": 5, "on": "2026-11-20"})
    assert r.status_code == 422, r.text
    said = {field_path(p["loc"][1:]): p["msg"] for p in r.json()["detail"]}
    assert list(said) == [f"substantiation.{k}" for k in ("stabilisation", "replacement", "vulnerabilities",
                                                          "capacity_reached")]
    for item, point in zip(said, "abcd", strict=True):
        assert said[item].endswith(f"({AMMR}, Article 62(2)({point}))"), said[item]
    # the significance (Art 62(3)) is for a state the decision did not identify
    r = client.post(f"{API}/cycles/2027/deductions", headers=at, json={
        "relocations": 5, "on": "2026-11-20", "substantiation": {**ART_62_2, "significance": "very significant"}})
    assert r.status_code == 422 and problem_fields(r) == ["substantiation.significance"], r.text
    d = client.post(f"{API}/cycles/2027/deductions", headers=at,
                    json={"relocations": 5, "on": "2026-11-20", "substantiation": ART_62_2}).json()
    assert (d["own_assessment"], d["designation"]) == (False, "significant_migratory_situation")
    assert d["substantiation_legal_basis"] == [f"{AMMR}, Article 62(2)"]
    assert [s["legal_basis"] for s in d["substantiation"]] == [[f"{AMMR}, Article 62(2)({p})"] for p in "abcd"]
    # the pledge page asks a designated state for these four items, each with its point
    page = web_client("at-admin").get("/solidarity/pledge?year=2027").text
    assert 'id="deduction-designated-said"' in page and 'name="grounds"' not in page
    for item in ART_62_2:
        assert f'<textarea name="{item}"' in page
    assert '<textarea name="significance"' not in page
    assert f"required by {AMMR}, Article 62(2)(d)" in unescape(page)
    # a state identified under migratory pressure asks on the decision alone
    it = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("it-admin"),
                     json={"relocations": 5, "on": "2026-11-20"})
    assert it.status_code == 201 and it.json()["substantiation_legal_basis"] == []


def test_a_state_that_notified_its_need_asks_for_no_art_61_deduction(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    # the Commission recorded Greece's need after its notification (Art 59)
    assert client.post(f"{API}/cycles/2027/needs", headers=com,
                       json={"member_state": "EL", "relocations": 200}).status_code == 200
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("el-admin"),
                    json={"relocations": 10, "on": "2026-11-20", "grounds": "article_61", "substantiation": PRESSURE})
    assert r.status_code == 409 and "uses the 2027 pool" in r.json()["detail"]


def test_a_state_outside_the_pool_is_named(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    r = client.post(f"{API}/cycles/2027/deductions", headers=com, json={
        "member_state": "DK", "relocations": 10, "on": "2026-11-20", "grounds": "article_61",
        "substantiation": PRESSURE})
    assert r.status_code == 422 and problem_fields(r) == ["member_state"]


def test_the_pages_take_the_request_and_show_what_it_rests_on(client: TestClient, auth_headers: H,
                                                             web_client: W) -> None:
    com_h = auth_headers("com-solidarity")
    new_cycle(client, com_h, status="pledging", IT="under_pressure")
    se = web_client("se-admin")
    page = se.get("/solidarity/pledge?year=2027").text
    assert 'id="deduction-own-said"' in page
    for item in ("stabilisation", "replacement", "vulnerabilities", "migratory_pressure", "capacity_reached",
                 "significance"):
        assert f'<textarea name="{item}"' in page
    # one point left out: refused by the form, everything typed kept
    status, back = send(se, page, "deduction-form", relocations="60", on="2026-11-20", grounds="article_61",
                        **{k: v for k, v in PRESSURE.items() if k != "vulnerabilities"})
    assert status == 422
    assert errors(back, "deduction-errors") == [
        "How vulnerabilities in responsibility, preparedness or resilience are addressed: required: how it intends "
        "to address any vulnerabilities identified in the field of responsibility, preparedness or resilience "
        f"({AMMR}, Article 61(2)(c))"]
    assert re.search(r'<textarea name="vulnerabilities"[^>]*aria-invalid="true"', back)
    assert unescape(PRESSURE["migratory_pressure"]) in unescape(back)
    status, where = send(se, page, "deduction-form", relocations="60", on="2026-11-20", grounds="article_61",
                         **PRESSURE)
    assert status == 303, where
    mine = unescape(se.get(where).text)
    assert notice(mine).startswith("Deduction of 60 relocations requested: the Commission assesses it by 2026-12-18.")
    row = re.search(r'<table id="deduction-requests">.*?</table>', mine, re.S)[0]  # type: ignore[index]
    assert "own assessment" in row and "SE's own assessment that it is under migratory pressure" in row
    assert PRESSURE["migratory_pressure"] in row
    # the Commission's pool page: what it assesses, with the substantiation, then the usual steps
    com = web_client("com-solidarity")
    pool = unescape(com.get("/solidarity?year=2027").text)
    pending = re.search(r'<table id="deductions-pending">.*?</table>', pool, re.S)[0]  # type: ignore[index]
    assert "Rests on SE's own assessment" in pending and PRESSURE["stabilisation"] in pending
    assert f"({AMMR}, Article 61(2)(a))" in pending
    d_id = client.get(f"{API}/cycles/2027/overview", headers=com_h).json()["deductions"][0]["id"]
    status, where = send(com, pool, f"assessment-{d_id}", on="2026-11-25", justified="yes")
    assert status == 303, where
    after = unescape(com.get(where).text)
    assessed = re.search(r'<table id="deductions-assessed">.*?</table>', after, re.S)[0]  # type: ignore[index]
    assert "Rests on SE's own assessment" in assessed
    assert f'id="decision-{d_id}"' in after and f"decision-{d_id}" in forms(after)


@pytest.fixture
def env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "se-admin")
    return tmp_path


def test_the_command_line_takes_the_request(env: Path, client: TestClient, auth_headers: H) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    f = env / "d.json"
    f.write_text(json.dumps({"relocations": 60, "on": "2026-11-20", "grounds": "article_61",
                             "substantiation": {k: v for k, v in PRESSURE.items() if k != "stabilisation"}}))
    r = runner.invoke(app, ["solidarity", "deduction", "2027", str(f)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert "substantiation.stabilisation" in r.output and "Article 61(2)(a)" in r.output
    f.write_text(json.dumps({"relocations": 60, "on": "2026-11-20", "grounds": "article_61",
                             "substantiation": PRESSURE}))
    r = runner.invoke(app, ["solidarity", "deduction", "2027", str(f)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert (out["member_state"], out["own_assessment"], out["assess_by"]) == ("SE", True, "2026-12-18")

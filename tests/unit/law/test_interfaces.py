"""The law area through its entrypoints: API, CLI and web pages answer with the same JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app as cli_app

BODY = {"kind": "take_charge_request", "event_at": "2026-08-31", "member_state": "DE",
        "application_registered_on": "2026-07-15", "eurodac_hit": False, "detained": False}


def test_api_time_limit(client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> None:
    r = client.post("/api/v1/law/time-limits", json=BODY, headers=auth_headers("de-caseworker"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["kind"] == "take_charge_request" and out["regime"] == "ammr"
    assert out["starts_at"] == "2026-09-01" and out["ends_on"] == "2026-11-02" and out["ends_at"] is None
    assert out["legal_basis"][0] == "Regulation (EU) 2024/1351, Article 39(1)"
    assert "2026-10-31 is a Saturday; 2026-11-01 is a Sunday: extended to Monday 2026-11-02 (Art. 3(4) Reg. 1182/71)" in out["computation"]
    assert out["trace"][0]["rule"] == "regime"


def test_api_needs_a_login(client: TestClient) -> None:
    assert client.post("/api/v1/law/time-limits", json=BODY).status_code == 401
    assert client.get("/api/v1/law/parameters?on=2026-09-01").status_code == 401


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "fishing_licence"}, "kind"),
    ({"event_at": "2026-02-30"}, "event_at"),
    ({"member_state": "UK"}, "member_state"),
    ({"kind": "take_back_request"}, "kind"),
    ({"application_registered_on": None}, "application_registered_on"),
    ({"application_made_on": "2026-07-01"}, "application_made_on"),
])
def test_api_bad_input_is_422_naming_the_field(client: TestClient, auth_headers: Callable[[str], dict[str, str]],
                                               change: dict[str, object], field: str) -> None:
    r = client.post("/api/v1/law/time-limits", json={**BODY, **change}, headers=auth_headers("it-dublin"))
    assert r.status_code == 422, r.text
    assert field in r.text


def test_api_parameters_in_force(client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> None:
    h = auth_headers("auditor")
    before = client.get("/api/v1/law/parameters?on=2026-06-30", headers=h).json()
    after = client.get("/api/v1/law/parameters?on=2026-07-01", headers=h).json()
    paths_before = {p["path"] for p in before["parameters"]}
    paths_after = {p["path"] for p in after["parameters"]}
    assert "ammr.take_charge.request" not in paths_before and "ammr.take_charge.request" in paths_after
    p = next(p for p in after["parameters"] if p["path"] == "ammr.take_charge.request")
    assert p["value"] == 2 and p["unit"] == "months" and p["citation"] == "Regulation (EU) 2024/1351, Article 39(1)"
    assert p["reference"]["celex"] == "32024R1351"
    r = client.get("/api/v1/law/parameters?on=yesterday", headers=h)
    assert r.status_code == 422 and "on" in r.text


def test_cli_time_limit_same_json_as_api(tmp_path: Path, client: TestClient,
                                         auth_headers: Callable[[str], dict[str, str]]) -> None:
    f = tmp_path / "request.json"
    f.write_text(json.dumps(BODY), encoding="utf-8")
    res = CliRunner().invoke(cli_app, ["law", "time-limit", str(f)])
    assert res.exit_code == 0, res.output
    api = client.post("/api/v1/law/time-limits", json=BODY, headers=auth_headers("de-caseworker")).json()
    assert json.loads(res.stdout) == api
    res = CliRunner().invoke(cli_app, ["law", "time-limit", "-"], input=json.dumps({**BODY, "kind": "nope"}))
    assert res.exit_code == 2
    assert "kind: unknown time limit 'nope'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_cli_parameters(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli_app, ["law", "parameters", "--on", "2026-09-01", "--prefix", "ammr.transfer"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert {p["path"] for p in out["parameters"]} >= {"ammr.transfer.period", "ammr.transfer.decision"}
    assert all(p["path"].startswith("ammr.transfer.") for p in out["parameters"])
    res = CliRunner().invoke(cli_app, ["law", "parameters", "--on", "2026-13-01"])
    assert res.exit_code == 2 and "on:" in res.stderr


def test_web_parameters_page(web_client: Callable[[str], TestClient]) -> None:
    c = web_client("fr-caseworker")
    r = c.get("/law/parameters?on=2026-07-01")
    assert r.status_code == 200
    assert "Legal parameters in force on 2026-07-01" in r.text
    assert "ammr.take_charge.request" in r.text and "Regulation (EU) 2024/1351, Article 39(1)" in r.text
    r = c.get("/law/parameters?on=2026-06-30")
    assert "ammr.take_charge.request" not in r.text and "dublin3.take_charge.request" in r.text
    assert c.get("/law/parameters?on=2026-02-30").status_code == 422
    # a yes/no parameter reads yes or no, not Python's True
    consent = c.get("/law/parameters/solidarity.relocation.ip_beneficiary_consent").text
    value = consent.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "<td>yes" in value and "True" not in value


def test_web_time_limit_calculator(web_client: Callable[[str], TestClient]) -> None:
    c = web_client("it-dublin")
    r = c.post("/law/time-limits", data={"kind": "transfer_decision", "event_at": "2027-05-19",
                                         "member_state": "DE", "application_registered_on": "2027-04-01"})
    assert r.status_code == 200, r.text
    assert "ends on 2027-06-02" in r.text
    r = c.post("/law/time-limits", data={"kind": "take_charge_reply", "event_at": "2027-05-19", "member_state": "IT",
                                         "application_registered_on": "2027-04-01", "eurodac_hit": "on"})
    assert "ends on 2027-06-03" in r.text and "Republic Day" in r.text
    r = c.post("/law/time-limits", data={"kind": "transfer", "event_at": "2027-05-19", "member_state": "IT"})
    assert r.status_code == 422 and "application_registered_on" in r.text


def test_an_appeal_on_an_application_made_before_the_pact_keeps_the_directive(
        client: TestClient, auth_headers: Callable[[str], dict[str, str]],
        web_client: Callable[[str], TestClient]) -> None:
    """A decision notified on 10 July 2026 on an application made in April 2026: the Directive's
    appeal limit (national law, Art 46(4)), not the APR's Art 67(7), through the API and the page."""
    body = {"kind": "appeal", "event_at": "2026-07-10", "member_state": "DE", "variant": "regular",
            "application_made_on": "2026-04-02"}
    r = client.post("/api/v1/law/time-limits", json=body, headers=auth_headers("de-caseworker"))
    assert r.status_code == 200, r.text
    assert r.json()["regime"] == "pre_pact"
    assert "Directive 2013/32/EU, Article 46(4)" in r.json()["legal_basis"]
    page = web_client("de-caseworker").post("/law/time-limits", data={**body, "event_at": "2026-07-10"})
    assert page.status_code == 200, page.text
    assert "Application made on 2026-04-02" in page.text and "Article 46(4)" in page.text


def test_web_pages_need_a_login(client: TestClient) -> None:
    r = client.get("/law/parameters?on=2026-07-01", follow_redirects=False)
    assert r.status_code in (302, 303, 307) and "/login" in r.headers["location"]


def test_api_parameter_history_and_kinds(client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> None:
    h = auth_headers("com-analyst")
    r = client.get("/api/v1/law/parameters/apr.border_procedure.annual_maximum_multiplier", headers=h)
    assert r.status_code == 200
    assert [(v["valid_from"], v["value"]) for v in r.json()["values"]] == [
        ("2026-06-12", 2), ("2027-06-13", 3), ("2028-06-13", 4)]
    # APR Art 47(1), second subparagraph, read in the Official Journal text: no longer unverified
    assert r.json()["unverified"] is False and "13 June 2028" in r.json()["note"]
    assert r.json()["reference"]["paragraph"] == "1"
    still = client.get("/api/v1/law/parameters/apr.appeal.decision.expedited", headers=h).json()
    assert still["unverified"] is True and "reasonable time limits" in still["note"]
    assert client.get("/api/v1/law/parameters/ammr.nothing", headers=h).status_code == 404
    kinds = {k["kind"]: k for k in client.get("/api/v1/law/time-limit-kinds", headers=h).json()}
    assert kinds["screening"]["variants"] == ["border", "border_held_over_72h", "inland"]
    assert kinds["transfer"]["needs_registration_date"] is True


def test_docs_describe_every_kind_and_route() -> None:
    from pactum.law import KINDS

    text = (Path(__file__).resolve().parents[3] / "docs" / "law.md").read_text(encoding="utf-8")
    missing = [k for k in KINDS if f"`{k}`" not in text]
    assert not missing, f"docs/law.md does not describe {missing}"
    for route in ("POST /api/v1/law/time-limits", "GET /api/v1/law/parameters", "pactum law time-limit",
                  "pactum law parameters", "/law/parameters?on=", "/law/time-limits",
                  "GET /api/v1/law/parameters/{path}", "GET /api/v1/law/time-limit-kinds"):
        assert route in text, route


def test_web_parameter_history_page(web_client: Callable[[str], TestClient]) -> None:
    c = web_client("es-caseworker")
    r = c.get("/law/parameters/apr.border_procedure.annual_maximum_multiplier")
    assert r.status_code == 200
    assert "2027-06-13" in r.text and "2028-06-13" in r.text and "Unverified" not in r.text
    assert "Unverified" in c.get("/law/parameters/apr.appeal.decision.expedited").text
    assert c.get("/law/parameters/nothing.here").status_code == 404
    assert 'href="/law/parameters/ammr.transfer.period"' in c.get("/law/parameters?on=2026-09-01").text


def test_cli_kinds() -> None:
    res = CliRunner().invoke(cli_app, ["law", "kinds"])
    assert res.exit_code == 0, res.output
    kinds = {k["kind"]: k for k in json.loads(res.stdout)}
    assert kinds["voluntary_departure"]["variants"] == ["max", "min", "return_border_max"]

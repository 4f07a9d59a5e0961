"""Resettlement figures taken away as CSV: the plans of the overview (places in the plan, pledged,
states pledging, admitted, arrived) and a plan's progress by state and category, from the pages,
the API and the CLI alike, with the figures the pages show."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import resettlement

API = "/api/v1/resettlement"
runner = CliRunner()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def pledged(client, auth_headers) -> None:
    def call(method: str, user: str, path: str, body: object = None) -> dict:
        r = client.request(method, API + path, json=body, headers=auth_headers(user))
        assert r.status_code in (200, 201), r.text
        return r.json()

    call("POST", "com-solidarity", "/load")
    call("PUT", "de-admin", "/plans/2026-2027/pledges/DE", {"lines": [
        {"category": "resettlement", "first_asylum": "TUR", "places": 300},
        {"category": "emergency_admission", "first_asylum": "LBY", "places": 20}]})
    call("PUT", "fr-admin", "/plans/2026-2027/pledges/FR", {"lines": [
        {"category": "humanitarian_admission", "places": 150}]})
    admitted = call("POST", "de-caseworker", "/plans/2026-2027/admissions", {
        "case_reference": "DE-R1", "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2026-01-15", "decision": "admitted", "decided_on": "2026-03-01"})
    call("PATCH", "de-caseworker", f"/admissions/{admitted['id']}", {"version": 1, "arrived_on": "2026-04-01"})
    call("POST", "de-caseworker", "/plans/2026-2027/admissions", {
        "case_reference": "DE-R2", "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2026-01-20", "decision": "admitted", "decided_on": "2026-03-02"})


def test_the_overview_csv_has_the_plans_table(pledged, client, auth_headers):
    r = client.get(f"{API}/overview.csv", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="resettlement-plans.csv"' in r.headers["content-disposition"]
    assert tuple(r.text.splitlines()[0].split(",")) == resettlement.OVERVIEW_CSV_COLUMNS
    rows = {row["plan"]: row for row in _rows(r.text)}
    assert list(rows) == ["2026-2027", "2024-2025"]  # latest first, as the page
    union = rows["2026-2027"]
    assert (union["kind"], union["total_places"], union["announced_states"]) == ("union_plan", "15230", "9")
    assert (union["pledged"], union["pledging_states"], union["admitted"], union["arrived"]) == ("470", "2", "2", "1")
    assert union["resettlement_places"] == "" and union["status"] == "open"  # not given by the sources
    exercise = rows["2024-2025"]
    assert (exercise["resettlement_places"], exercise["humanitarian_admission_places"]) == ("30960", "30000")
    assert exercise["emergency_admission_places"] == "" and exercise["total_places"] == "60960"
    # the same figures as the JSON overview
    plans = {p["key"]: p for p in client.get(f"{API}/overview", headers=auth_headers("euaa-analyst")).json()["plans"]}
    assert int(union["pledged"]) == plans["2026-2027"]["pledged"]


def test_a_plan_csv_has_its_by_state_table(pledged, client, auth_headers):
    r = client.get(f"{API}/plans/2026-2027/progress.csv", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 200
    assert tuple(r.text.splitlines()[0].split(",")) == resettlement.PLAN_CSV_COLUMNS
    rows = {(row["member_state"], row["category"]): row for row in _rows(r.text)}
    assert {ms for ms, _ in rows} == {"DE", "FR"}
    de = rows[("DE", "resettlement")]
    assert (de["name"], de["pledged"], de["admitted"], de["arrived"]) == ("Germany", "300", "2", "1")
    assert rows[("DE", "emergency_admission")]["pledged"] == "20"
    assert rows[("FR", "humanitarian_admission")]["pledged"] == "150"
    plan = client.get(f"{API}/plans/2026-2027", headers=auth_headers("euaa-analyst")).json()
    for what in ("pledged", "admitted", "arrived"):  # the rows add up to the plan's totals
        assert sum(int(row[what]) for row in rows.values()) == plan["progress"]["total"][what]
    assert client.get(f"{API}/plans/2099-2100/progress.csv", headers=auth_headers("euaa-analyst")).status_code == 404
    assert client.get(f"{API}/overview.csv", headers=auth_headers("it-return")).status_code == 403


def test_the_pages_link_the_files(pledged, web_client, client, auth_headers):
    web = web_client("euaa-analyst")
    assert 'href="/resettlement/overview.csv"' in web.get("/resettlement").text
    assert 'href="/resettlement/plans/2026-2027/progress.csv"' in web.get("/resettlement/plans/2026-2027").text
    h = auth_headers("euaa-analyst")
    r = web.get("/resettlement/overview.csv")
    assert r.status_code == 200 and r.text == client.get(f"{API}/overview.csv", headers=h).text
    r = web.get("/resettlement/plans/2026-2027/progress.csv")
    assert r.status_code == 200 and r.text == client.get(f"{API}/plans/2026-2027/progress.csv", headers=h).text
    assert web.get("/resettlement/plans/2099-2100/progress.csv").status_code == 404


def test_the_cli_writes_the_same_files(pledged, services, client, auth_headers, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "euaa-analyst")
    h = auth_headers("euaa-analyst")
    r = runner.invoke(app, ["resettlement", "overview", "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.output.replace("\r\n", "\n") == client.get(f"{API}/overview.csv", headers=h).text.replace("\r\n", "\n")
    r = runner.invoke(app, ["resettlement", "plan", "2026-2027", "--format", "csv"])
    assert r.exit_code == 0, r.output
    api = client.get(f"{API}/plans/2026-2027/progress.csv", headers=h).text
    assert r.output.replace("\r\n", "\n") == api.replace("\r\n", "\n")
    assert json.loads(runner.invoke(app, ["resettlement", "plan", "2026-2027"]).output)["key"] == "2026-2027"
    r = runner.invoke(app, ["resettlement", "overview", "--format", "pdf"])
    assert r.exit_code == 2 and r.output.strip() == "error: --format: 'pdf' is not json or csv"
    r = runner.invoke(app, ["resettlement", "plan", "2099-2100", "--format", "csv"])
    assert r.exit_code == 2 and r.output.count("\n") == 1

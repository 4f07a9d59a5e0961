"""`pactum resettlement …` prints the API's JSON; bad input is one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

runner = CliRunner()


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))

    def run(user: str, *args: str, stdin: str | None = None):
        monkeypatch.setenv("PACTUM_CLI_USER", user)
        return runner.invoke(app, ["resettlement", *args], input=stdin)

    return run


def test_load_pledge_admit_and_read_the_plan(cli):
    assert cli("com-solidarity", "load").exit_code == 0
    r = cli("de-admin", "pledge", "2026-2027", "DE", "-",
            stdin=json.dumps({"lines": [{"category": "emergency_admission", "first_asylum": "NER", "places": 3}]}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["by_category"]["emergency_admission"] == 3
    r = cli("de-caseworker", "admit", "2026-2027", "-", stdin=json.dumps({
        "case_reference": "DE-C1", "nationality": "ERI", "first_asylum": "NER", "category": "emergency_admission",
        "procedure": "expedited", "referred_on": "2026-10-01", "registered_on": "2026-10-05", "decision": "admitted",
        "decided_on": "2026-10-20"}))
    assert r.exit_code == 0, r.output
    admission = json.loads(r.output)
    assert admission["clock"]["status"] == "in_time"
    r = cli("de-caseworker", "update", admission["id"], "-", stdin='{"version": 1, "arrived_on": "2026-11-02"}')
    assert r.exit_code == 0 and json.loads(r.output)["arrived_on"] == "2026-11-02"
    plan = json.loads(cli("euaa-analyst", "plan", "2026-2027").output)
    assert plan["progress"]["by_category"]["emergency_admission"] == {"pledged": 3, "admitted": 1, "arrived": 1}
    state = json.loads(cli("de-admin", "state", "DE").output)
    assert [c["case_reference"] for c in state["cases"]] == ["DE-C1"]
    history = json.loads(cli("euaa-analyst", "history", "--member-state", "FR").output)
    assert {y["year"]: y["member_state"] for y in history["years"]}[2023] == 2825


def test_bad_input_is_one_line_and_exit_code_2(cli):
    cli("com-solidarity", "load")
    r = cli("de-admin", "pledge", "2026-2027", "DE", "-", stdin='{"lines": [{"category": "resettlement", "places": 0}]}')
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "lines.0.places" in r.output
    r = cli("fr-admin", "pledge", "2026-2027", "DE", "-", stdin='{"lines": []}')
    assert r.exit_code == 2 and "users of FR pledge for FR only" in r.output
    r = cli("de-admin", "pledge", "2026-2027", "DE", "-", stdin="{not json")
    assert r.exit_code == 2 and "not valid JSON" in r.output
    r = cli("euaa-analyst", "plan", "1999-2000")
    assert r.exit_code == 2 and "no resettlement plan" in r.output
    r = cli("com-solidarity", "close", "2024-2025", "--version", "7")
    assert r.exit_code == 2 and "has changed since it was read (now version 1)" in r.output


def test_a_person_admitted_under_a_closed_plan_still_arrives(cli):
    cli("com-solidarity", "load")
    assert cli("de-admin", "pledge", "2024-2025", "DE", "-",
               stdin='{"lines": [{"category": "resettlement", "places": 2}]}').exit_code == 0
    r = cli("de-caseworker", "admit", "2024-2025", "-", stdin=json.dumps({
        "case_reference": "DE-OLD1", "nationality": "SYR", "first_asylum": "LBN", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2025-03-01", "decision": "admitted", "decided_on": "2025-10-01"}))
    assert r.exit_code == 0, r.output
    admission = json.loads(r.output)
    version = json.loads(cli("com-solidarity", "plan", "2024-2025").output)["version"]
    assert cli("com-solidarity", "close", "2024-2025", "--version", str(version)).exit_code == 0
    r = cli("de-caseworker", "update", admission["id"], "-", stdin='{"version": 1, "arrived_on": "2026-11-20"}')
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["arrived_on"] == "2026-11-20"

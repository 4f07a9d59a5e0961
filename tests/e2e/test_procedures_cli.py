"""``pactum procedures route FILE.json`` (the routing JSON contract), ``pactum statistics import``
(the rate used by the routing follows the imported data), the workflow from the command line, and
bad input as one readable line with exit code 2."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

try:
    from .test_procedures_support import World, make_cli_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_cli_world  # type: ignore[no-redef]

runner = CliRunner()
ROUTING = {"applied_on": "2026-08-03", "member_state": "EL", "context": "apprehended_at_external_border",
           "nationality": "PAK", "unaccompanied_minor": False, "misled_authorities": False,
           "security_threat": False, "subsequent_application": False,
           "first_country_of_asylum": None, "safe_third_country_connection": None,
           "vulnerabilities": []}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def cli(monkeypatch: pytest.MonkeyPatch, user: str, *args: str, stdin: str | None = None) -> Any:
    monkeypatch.setenv("PACTUM_CLI_USER", user)
    return runner.invoke(app, list(args), input=stdin)


def test_route_file_prints_the_contract(world: World, monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    f = tmp_path / "application.json"
    f.write_text(json.dumps(ROUTING), encoding="utf-8")
    r = cli(monkeypatch, "it.caseworker", "procedures", "route", str(f))
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert list(out) == ["procedure", "mandatory", "grounds", "legal_basis", "recognition_rate", "trace",
                         "third_countries"]
    assert (out["procedure"], out["mandatory"], out["grounds"]) == ("border", True, ["low_recognition_rate"])
    assert out["recognition_rate"]["rate_percent"] == 14.11


def test_bad_routing_file_is_one_line_and_exit_2(world: World, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    f = tmp_path / "bad.json"
    f.write_text(json.dumps({**ROUTING, "context": "airport"}), encoding="utf-8")
    r = cli(monkeypatch, "it.caseworker", "procedures", "route", str(f))
    assert r.exit_code == 2
    assert r.output.strip().startswith("error: context:") and len(r.output.strip().splitlines()) == 1
    r = cli(monkeypatch, "it.caseworker", "procedures", "route", str(tmp_path / "missing.json"))
    assert r.exit_code == 2 and "no such file" in r.output


def test_statistics_import_changes_the_rate_used(world: World, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    assert cli(monkeypatch, "com.admin", "procedures", "seed").exit_code == 0
    csv = ("year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
           "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n"
           "2025,Pakistan,PAK,PAK,Italy,ITA,ITA,G,FI,P,300,100,600,0,1000\n")
    f = tmp_path / "unhcr.csv.gz"
    f.write_bytes(gzip.compress(csv.encode()))
    r = cli(monkeypatch, "it.caseworker", "statistics", "import", str(f))
    assert r.exit_code == 2 and "roles" in r.output  # a caseworker may not replace statistics
    r = cli(monkeypatch, "it.analyst", "statistics", "import", str(f))
    assert r.exit_code == 2 and "imported by an EU body; you act for IT only" in r.output  # EU-wide figures
    r = cli(monkeypatch, "euaa.analyst", "statistics", "import", str(f), "--source", "UNHCR 2026 release")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {"rows": 1, "years": [2025, 2025], "nationalities": 1}
    routed = world.post("it.caseworker", "/routing", ROUTING).json()
    assert routed["recognition_rate"]["rate_percent"] == 40.0
    assert routed["recognition_rate"]["source"] == "UNHCR 2026 release first instance"
    assert routed["procedure"] == "regular"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    r = cli(monkeypatch, "euaa.analyst", "statistics", "import", str(bad))
    assert r.exit_code == 2 and "missing columns" in r.output


def test_workflow_from_the_command_line(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = world.person("it.caseworker", surname="Jalloh", nationality="GIN")
    body = {"person_id": pid, "made_on": "2026-08-01", "registered_on": "2026-08-02",
            "context": "sar_disembarkation"}
    r = cli(monkeypatch, "it.caseworker", "procedures", "apply", "-", stdin=json.dumps(body))
    assert r.exit_code == 0, r.output
    case = json.loads(r.output)
    step = {"action": "draft_decision", "version": case["version"], "outcome": "rejected_unfounded"}
    r = cli(monkeypatch, "it.caseworker", "procedures", "act", case["id"], "-", stdin=json.dumps(step))
    assert r.exit_code == 2 and "before the application is lodged" in r.output
    # a step's field of another JSON type is refused naming it, as the API refuses it: a date
    # written as a number is not 1 January 1970
    step = {"action": "lodge", "version": case["version"], "lodged_on": 20260803}
    r = cli(monkeypatch, "it.caseworker", "procedures", "act", case["id"], "-", stdin=json.dumps(step))
    assert r.exit_code == 2 and r.stderr.startswith("error: lodged_on: Input should be a valid string"), r.output
    step = {"action": "lodge", "version": case["version"], "lodged_on": "2026-08-03"}
    r = cli(monkeypatch, "it.caseworker", "procedures", "act", case["id"], "-", stdin=json.dumps(step))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["state"] == "lodged"
    r = cli(monkeypatch, "it.caseworker", "procedures", "queue")
    assert r.exit_code == 0 and json.loads(r.output)[0]["id"] == case["id"]
    assert json.loads(r.output)[0]["person_name"] == "Rahim Jalloh"  # the applicant, by name

"""``pactum solidarity ...``: fair shares, the matching contract from a file, bad input exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services

runner = CliRunner()


@pytest.fixture
def env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    return tmp_path


def test_fair_shares_from_the_command_line(env: Path) -> None:
    r = runner.invoke(app, ["solidarity", "fair-shares", "--year", "2026"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.output)
    assert body["reference_year"] == 2022
    assert sum(s["fair_share_relocations"] for s in body["states"]) == 21000
    assert sum(s["fair_share_eur"] for s in body["states"]) == 420_000_000


def test_match_a_file(env: Path) -> None:
    f = env / "m.json"
    f.write_text(json.dumps({
        "capacities": [{"member_state": "DE", "places": 1}, {"member_state": "SE", "places": 1}],
        "applicants": [
            {"id": "A1", "in_member_state": "IT", "links": [{"member_state": "SE", "kind": "diploma"}]},
            {"id": "A2", "in_member_state": "IT", "links": [{"member_state": "SE", "kind": "family"}],
             "excluded_member_states": ["DE"]},
        ]}))
    r = runner.invoke(app, ["solidarity", "match", str(f)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    # A2 cannot go to DE (excluded), so A2 takes SE and A1 goes to DE: both relocated
    assert {(a["applicant_id"], a["member_state"]) for a in out["assignments"]} == {("A1", "DE"), ("A2", "SE")}
    assert out["objective"] == {"relocated": 2, "link_score": 100}
    assert out["solver"]["optimal"] is True


def test_match_bad_input_is_one_line_and_exit_2(env: Path) -> None:
    f = env / "bad.json"
    f.write_text(json.dumps({"capacities": [{"member_state": "DE", "places": -1}], "applicants": []}))
    r = runner.invoke(app, ["solidarity", "match", str(f)])
    assert r.exit_code == 2
    assert "capacities[0].places" in r.output and len(r.output.strip().splitlines()) == 1


def test_illegal_transition_is_exit_2(env: Path) -> None:
    f = env / "c.json"
    f.write_text(json.dumps({"year": 2027, "proposal_on": "2026-10-15"}))
    assert runner.invoke(app, ["solidarity", "cycle-create", str(f)]).exit_code == 0
    a = env / "a.json"
    a.write_text(json.dumps({"version": 1, "on": "2026-12-20", "council_act_reference": "x"}))
    r = runner.invoke(app, ["solidarity", "cycle-action", "2027", "adopt", str(a)])
    assert r.exit_code == 2 and "cannot adopt" in r.output


def test_offsets_from_the_command_line(env: Path) -> None:
    from datetime import date

    from pactum.services import solidarity
    from pactum.services.auth import SYSTEM
    from pactum.services.bootstrap import bootstrap
    from pactum.solidarity.schemas import CycleAction, CycleCreate, DesignationIn, PledgeIn

    services = bootstrap()  # the store the CLI uses (PACTUM_DATABASE_URL)
    c = solidarity.create_cycle(services, SYSTEM, CycleCreate(year=2026, proposal_on=date(2025, 11, 11), designations=[
        DesignationIn(member_state="IT", status="under_pressure")]))
    c = solidarity.cycle_action(services, SYSTEM, 2026, "open_pledging",
                                CycleAction(version=c["version"], on=date(2025, 11, 24)))
    solidarity.submit_pledge(services, SYSTEM, 2026, PledgeIn(member_state="DE", relocations=4555))
    solidarity.cycle_action(services, SYSTEM, 2026, "adopt", CycleAction(
        version=c["version"], on=date(2025, 12, 19), council_act_reference="x", pool_relocations=21000))
    r = runner.invoke(app, ["solidarity", "offsets", "2026"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.output)
    assert body["regime"]["mandatory"] is True and body["benefitting_states"] == ["IT"]
    f = env / "o.json"
    # no Dublin case of a person in Germany for which Italy is responsible: one line, exit 2
    f.write_text(json.dumps({"beneficiary_member_state": "IT", "contributor_member_state": "DE", "count": 1,
                             "on": "2026-11-28"}))
    r = runner.invoke(app, ["solidarity", "offset-take-over", "2026", str(f)])
    assert r.exit_code == 2 and "count" in r.output and len(r.output.strip().splitlines()) == 1

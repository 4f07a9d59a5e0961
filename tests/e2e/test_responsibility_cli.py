"""The CLI gives the same JSON as the API, and exit code 2 with one readable line on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pactum.cli.commands.responsibility import app

runner = CliRunner()


def test_determine_from_a_file(tmp_path: Path) -> None:
    f = tmp_path / "facts.json"
    f.write_text(json.dumps({
        "application": {"registered_in": "FR", "registered_on": "2026-09-01"},
        "entries": [{"kind": "sar_disembarkation", "member_state": "IT", "on": "2026-08-10"}]}))
    r = runner.invoke(app, ["determine", str(f)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["responsible_member_state"] == "IT" and out["criterion"] == "sar_disembarkation"
    assert out["legal_basis"] == ["Regulation (EU) 2024/1351, Article 33(2)"]


def test_contradictory_facts_exit_2_with_the_field(tmp_path: Path) -> None:
    f = tmp_path / "facts.json"
    f.write_text(json.dumps({
        "application": {"registered_in": "FR", "registered_on": "2026-09-01"},
        "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-09-10"}]}))
    r = runner.invoke(app, ["determine", str(f)])
    assert r.exit_code == 2
    assert "entries[0].on" in r.output and len(r.output.strip().splitlines()) == 1

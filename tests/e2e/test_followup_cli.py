"""The follow-up from the command line: load, report to a directory, export and import."""

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
        return runner.invoke(app, ["followup", *args], input=stdin)

    return run


def test_load_then_report_writes_html_and_pdf(cli, tmp_path: Path):
    loaded = cli("com-analyst", "load")
    assert loaded.exit_code == 0, loaded.output
    assert '"valid_from": "2023-06-23"' in loaded.output
    out = tmp_path / "report"
    r = cli("com-analyst", "report", "--as-of", "2023-06-23", "--out", str(out))
    assert r.exit_code == 0, r.output
    html = (out / "state-of-play.html").read_text()
    assert "Follow-up after February Special European Council (situation as of 23 June)" in html
    assert "President&#39;s letter/EUCO conclusions" in html or "President's letter/EUCO conclusions" in html
    assert "911 from Italy, 676 from Cyprus, 48 from Spain, 76 from Malta and 179 from Greece." in html
    assert "€1,783.2m" in html
    assert (out / "state-of-play.pdf").read_bytes().startswith(b"%PDF")


def test_only_the_follow_up_editor_loads(cli):
    r = cli("it-caseworker", "load")
    assert r.exit_code == 2
    assert "analyst role at the Commission" in r.output


def test_export_then_import_changes_nothing(cli, tmp_path: Path):
    cli("com-analyst", "load")
    path = tmp_path / "annex.csv"
    r = cli("com-analyst", "export", "--format", "csv", "--as-of", "2023-06-23", "--out", str(path))
    assert r.exit_code == 0, r.output
    r = cli("com-analyst", "import", str(path), "--as-of", "2023-06-23")
    assert r.exit_code == 0, r.output
    assert '"created": 0' in r.output and '"updated": 0' in r.output and '"deleted": 0' in r.output


def test_malformed_file_is_one_line_and_exit_2(cli, tmp_path: Path):
    cli("com-analyst", "load")
    text = cli("com-analyst", "export").output
    bad = text.replace("status: completed", "status: done", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    line = next(i for i, x in enumerate(bad.splitlines(), start=1) if "status: done" in x)
    r = cli("com-analyst", "import", str(path))
    assert r.exit_code == 2
    assert f"line {line}:" in r.output and ".status" in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_action_plans_list(cli):
    assert cli("com-analyst", "load").exit_code == 0
    listed = cli("it-caseworker", "action-plans", "--as-of", "2023-08-01")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [r["key"] for r in rows][-1] == "eastern_mediterranean"  # under preparation last
    assert {r["key"]: r["milestones_overdue"] for r in rows}["atlantic_western_mediterranean"] == 1
    bad = cli("it-caseworker", "action-plans", "--as-of", "August")
    assert bad.exit_code == 2 and "--as-of" in bad.output


def test_bad_date_is_exit_2(cli):
    r = cli("com-analyst", "report", "--as-of", "28/11/2026", "--out", "x")
    assert r.exit_code == 2
    assert "--as-of" in r.output

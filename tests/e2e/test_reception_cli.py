"""Reception from the command line: record, correct and import a state's reports, read the EU
overview; every answer is the API's JSON, every refusal one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.reception import reception_reports

runner = CliRunner()
REPORT = {"reported_on": "2026-11-02", "period": "week", "open_places": 4000, "open_accommodated": 3900,
          "border_places": 100, "border_accommodated": 60, "contingency_plan": "activated"}


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))

    def run(user: str, *args: str, stdin: str | None = None):
        monkeypatch.setenv("PACTUM_CLI_USER", user)
        return runner.invoke(app, ["reception", *args], input=stdin)

    return run


def _reports(services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(reception_reports)).scalar_one())


def test_record_correct_and_read_back(cli):
    r = cli("el-admin", "record", "-", stdin=json.dumps(REPORT))
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["member_state"] == "EL" and report["total"]["rate"] == round(3960 / 4100, 4)
    assert report["under_pressure"]
    correction = {**{k: v for k, v in REPORT.items() if k not in ("reported_on", "period")},
                  "open_accommodated": 3500, "version": 1, "reason": "double count in Samos"}
    r = cli("el-admin", "correct", report["id"], "-", stdin=json.dumps(correction))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["version"] == 2
    r = cli("el-admin", "correct", report["id"], "-", stdin=json.dumps(correction))
    assert r.exit_code == 2 and "changed since version 1 was read (now version 2)" in r.output
    r = cli("euaa-analyst", "overview", "--on", "2026-11-08", "--overdue-weeks", "4")
    assert r.exit_code == 0, r.output
    o = json.loads(r.output)
    assert [s["member_state"] for s in o["states"] if s["latest"]] == ["EL"]
    assert "EL" not in {s["member_state"] for s in o["overdue"]}
    r = cli("euaa-analyst", "state", "EL")
    assert r.exit_code == 0 and json.loads(r.output)["reports"][0]["version"] == 2


def test_bad_input_is_one_line_and_exit_2(cli, services):
    r = cli("el-admin", "record", "-", stdin=json.dumps({**REPORT, "open_places": -1}))
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert r.output.startswith("error: open_places:") and "cannot be negative" in r.output
    r = cli("euaa-analyst", "overview", "--threshold", "lots")
    assert r.exit_code == 2 and "--threshold" in r.output
    r = cli("euaa-analyst", "overview", "--on", "28/11/2026")
    assert r.exit_code == 2 and "--on" in r.output
    r = cli("euaa-analyst", "record", "-", stdin=json.dumps(REPORT))
    assert r.exit_code == 2 and "roles: caseworker, admin" in r.output
    r = cli("it-analyst", "state", "EL")
    assert r.exit_code == 2 and "IT only" in r.output
    assert _reports(services) == 0


def test_csv_import_is_checked_by_line_and_column_and_writes_all_or_nothing(cli, services, tmp_path: Path):
    r = cli("es-caseworker", "template")
    assert r.exit_code == 0 and r.output.startswith("reported_on,period,initial_places,")
    path = tmp_path / "es.csv"
    path.write_text("reported_on,period,open_places,open_accommodated\n"
                    "2026-10-26,week,900,870\n"
                    "2026-11-02,week,900,abc\n"
                    "2026-11-02,week,900,880\n", encoding="utf-8")
    r = cli("es-caseworker", "import", str(path))
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert "line 3.open_accommodated" in r.output
    assert _reports(services) == 0
    path.write_text("reported_on,period,open_places,open_accommodated\n"
                    "2026-10-26,week,900,870\n2026-11-02,week,900,880\n", encoding="utf-8")
    r = cli("es-caseworker", "import", str(path))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["recorded"] == 2 and _reports(services) == 2
    r = cli("es-caseworker", "import", str(tmp_path / "missing.csv"))
    assert r.exit_code == 2 and "no such file" in r.output


def test_a_correction_from_a_file_changes_only_what_it_names(cli, services):
    r = cli("el-admin", "record", "-", stdin=json.dumps({**REPORT, "note": "Samos and Kos"}))
    report = json.loads(r.output)
    r = cli("el-admin", "correct", report["id"], "-",
            stdin=json.dumps({"waiting_list": 15, "version": 1, "reason": "waiting list recounted"}))
    assert r.exit_code == 0, r.output
    corrected = json.loads(r.output)
    assert corrected["figures"]["open_places"] == 4000 and corrected["figures"]["border_places"] == 100
    assert corrected["figures"]["waiting_list"] == 15
    assert corrected["contingency_plan"] == "activated" and corrected["note"] == "Samos and Kos"
    r = cli("el-admin", "correct", report["id"], "-", stdin=json.dumps({"version": 2, "reason": " "}))
    assert r.exit_code == 2 and r.output.startswith("error: reason: required")


def test_a_report_or_a_csv_line_before_21_july_2015_is_refused(cli, services, tmp_path: Path):
    r = cli("el-admin", "record", "-", stdin=json.dumps({**REPORT, "reported_on": "1999-01-01"}))
    assert r.exit_code == 2 and r.output.startswith("error: reported_on:") and "2015-07-21" in r.output
    path = tmp_path / "old.csv"
    path.write_text("reported_on,open_places\n2026-10-26,900\n2014-12-29,900\n", encoding="utf-8")
    r = cli("el-admin", "import", str(path))
    assert r.exit_code == 2 and "line 3.reported_on" in r.output and "2015-07-21" in r.output
    assert _reports(services) == 0
    r = cli("euaa-analyst", "overview", "--threshold", "85")
    assert r.exit_code == 2 and "threshold" in r.output and "for 85% give 0.85" in r.output

"""The awareness CLI: the backtest JSON contract, imports all or nothing, and the weekly report."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

runner = CliRunner()


@pytest.fixture
def cli_env(services, monkeypatch):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", "frontex-analyst")
    return services


def test_backtest_prints_the_contract(cli_env):
    # two origins: a trial, not stored (a stored backtest needs at least 12, see below)
    r = runner.invoke(app, ["awareness", "backtest", "--route", "Central Mediterranean Route", "--horizon", "2",
                            "--first-origin", "2025-01", "--no-store"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert list(out) == ["route", "horizon", "origins", "models", "chosen"]
    assert out["route"] == "Central Mediterranean Route" and out["horizon"] == 2
    assert out["origins"] == 2  # forecasts from 2025-01 and 2025-02 can be checked against data to 2025-04
    assert [m["model"] for m in out["models"]] == ["seasonal_naive", "ets", "arima", "theta", "ensemble"]
    assert all(set(m) == {"model", "mase", "coverage_80"} for m in out["models"])
    assert all(0.0 <= m["coverage_80"] <= 1.0 and m["mase"] > 0 for m in out["models"])
    assert out["chosen"] in [m["model"] for m in out["models"]]


def test_backtest_refuses_unknown_route_and_bad_horizon(cli_env):
    r = runner.invoke(app, ["awareness", "backtest", "--route", "Arctic Route"])
    assert r.exit_code == 2 and "unknown route" in r.output
    r = runner.invoke(app, ["awareness", "backtest", "--route", "Central Mediterranean Route", "--horizon", "7"])
    assert r.exit_code == 2


def test_import_of_malformed_file_exits_2_with_one_line(cli_env, tmp_path):
    bad = tmp_path / "frontex.csv"
    bad.write_text("month,route,border_type,nationality_iso3,detections\n2025-05,Central Mediterranean Route,Boat,GIN,3\n")
    r = runner.invoke(app, ["awareness", "import", "frontex", str(bad), "--release", "May 2025"])
    assert r.exit_code == 2
    assert "line 2.border_type" in r.output and len(r.output.strip().splitlines()) == 1


def test_report_writes_html_and_pdf(cli_env, tmp_path):
    r = runner.invoke(app, ["awareness", "report", "--week", "2026-W47", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    html = (tmp_path / "situational-report-2026-W47.html").read_text()
    assert "Situational report 2026-W47" in html and "<svg" in html and "Western African Route" in html
    assert (tmp_path / "situational-report-2026-W47.pdf").read_bytes().startswith(b"%PDF")
    assert out["frontex_month"] == "2025-04"
    r = runner.invoke(app, ["awareness", "report", "--week", "2026-W99", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "no week 99" in r.output

"""What an analyst must be told beside the figures: how old the Frontex data are (the shipped
release ends in April 2025, 19 months before the tests' today), that the "forecast" is of the month
after the latest data, which period the platform's encounters cover, and when a route's month or an
alert is driven by detections of unknown nationality."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from typer.testing import CliRunner

from pactum.awareness.quality import alert_caveat, month_caveat, unknown_share
from pactum.cli.main import app
from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.services.awareness import report as weekly

EBR = "Eastern Borders Route"
runner = CliRunner()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def world(services):
    """The demo world's awareness: shipped backtests, forecasts from April 2025, alerts on it."""
    awareness.load_shipped_backtests(services, SYSTEM)
    awareness.refresh_forecasts(services, SYSTEM)
    awareness.evaluate_alerts(services, SYSTEM)
    return services


def test_the_dashboard_says_how_old_the_frontex_data_are_and_what_the_forecast_is_for(world, client, auth_headers,
                                                                                     web_client):
    dash = client.get("/api/v1/awareness/dashboard", headers=auth_headers("frontex-analyst")).json()
    fx = dash["frontex"]
    assert fx["release"] == "Frontex detections of illegal border-crossings, data as of 3 June 2025 (shipped)"
    assert (fx["latest_period"], fx["months_old"], fx["stale"]) == ("2025-04", 19, True)
    assert fx["text"] == "latest data: April 2025 — 19 months old on 2026-11-28"
    page = _text(web_client("frontex-analyst").get("/awareness").text)
    assert "latest data: April 2025 — 19 months old on 2026-11-28" in page
    assert "no newer Frontex release has been imported" in page
    assert "Forecast for the month after the latest data (80% interval)" in page
    assert "Next month" not in page
    assert "it is a forecast of a month long past, not of next month" in page


def test_the_platform_column_says_its_period(world, client, auth_headers, web_client):
    dash = client.get("/api/v1/awareness/dashboard", headers=auth_headers("frontex-analyst")).json()
    for r in dash["routes"]:
        assert r["platform"]["same_month"] == r["last_month"] == "2025-04"
    page = web_client("frontex-analyst").get("/awareness").text
    assert "Platform encounters, 2025-04" in _text(page)
    assert "in the same month as the Frontex figures beside them, not since" in _text(page)


def test_the_weekly_report_says_how_old_the_data_are(world):
    rep = weekly.build(world, SYSTEM, "2026-W47")
    assert rep["frontex"]["months_old"] == 19 and rep["frontex"]["stale"]
    html = _text(weekly.render_html(rep))  # the HTML file and the PDF are drawn from it
    assert "latest data: April 2025 — 19 months old on 2026-11-22" in html
    assert "Forecast of detections in the month after the latest data" in html
    # the Eastern Borders Route's last three months are mostly of unknown nationality
    assert rep["top_unknown_share"] == {EBR: 0.591}
    assert "Data quality: 59% of these detections are of unknown nationality" in html
    assert "Data quality: 81% of the detections of April 2025 (2,388 of 2,955)" in html
    assert weekly.pdf_bytes(rep).startswith(b"%PDF")


def test_an_alert_driven_by_unknown_nationality_carries_a_caveat(world, client, auth_headers, web_client):
    alerts = client.get("/api/v1/awareness/alerts", headers=auth_headers("frontex-analyst")).json()
    eastern = [a for a in alerts if a["route"] == EBR]
    assert eastern and all(a["drivers"][0]["nationality"] == "OOO" for a in eastern)
    assert all(a["caveat"].startswith("Data quality: 98% of the rise is of unknown nationality (2,388 detections")
               for a in eastern)
    assert all(a["caveat"] is None for a in alerts if a["route"] != EBR)
    page = _text(web_client("frontex-analyst").get("/awareness").text)
    assert "98% of the rise is of unknown nationality" in page
    html = _text(weekly.render_html(weekly.build(world, SYSTEM, "2026-W48")))
    assert "98% of the rise is of unknown nationality" in html


def test_a_route_month_dominated_by_unknown_nationality_says_so(world, client, auth_headers, web_client):
    h = auth_headers("frontex-analyst")
    route = client.get(f"/api/v1/awareness/routes/{EBR}", headers=h).json()
    assert route["data_quality"][0].startswith(
        "Data quality: 81% of the detections of April 2025 (2,388 of 2,955) are of unknown nationality")
    assert "need not add up" in route["nationality_forecasts_note"]
    dash = client.get("/api/v1/awareness/dashboard", headers=h).json()
    quality = {r["route"]: r["data_quality"] for r in dash["routes"]}
    assert quality[EBR]["share"] == 0.808 and all(v is None for k, v in quality.items() if k != EBR)
    page = _text(web_client("frontex-analyst").get(f"/awareness/routes/{EBR}").text)
    assert "81% of the detections of April 2025" in page and "need not add up" in page


def test_the_unknown_nationality_forecast_after_its_jump_reaches_persistence(world, client, auth_headers,
                                                                            web_client):
    route = client.get(f"/api/v1/awareness/routes/{EBR}", headers=auth_headers("frontex-analyst")).json()
    fc = {f["nationality"]: f for f in route["nationality_forecasts"]}
    assert fc["OOO"]["widened"] and fc["OOO"]["points"][0]["hi_80"] > 2388  # was 5.1 (1.1–16.6)
    assert not fc["UKR"]["widened"]
    assert all(set(p) == {"month", "mean", "lo_80", "hi_80"} for f in fc.values() for p in f["points"])
    page = _text(web_client("frontex-analyst").get(f"/awareness/routes/{EBR}").text)
    assert re.search(r"Unknown \(OOO\) 2025-05 5 [01] – [\d,]+ \(widened\)", page)


def test_quality_rules():
    assert unknown_share({"OOO": 3, "SYR": 1}) == 0.75 and unknown_share({}) is None
    assert month_caveat({"OOO": {"2025-04": 40}, "SYR": {"2025-04": 60}}, "2025-04") is None
    assert month_caveat({"OOO": {"2025-04": 60}, "SYR": {"2025-04": 40}}, "2025-04")["share"] == 0.6
    assert alert_caveat([{"nationality": "SYR", "share_of_increase": 0.9, "observed": 10}]) is None
    assert alert_caveat([{"nationality": "OOO", "share_of_increase": 0.3, "observed": 10},
                         {"nationality": "OOS", "share_of_increase": 0.3, "observed": 5}]).startswith(
        "Data quality: 60% of the rise is of unknown nationality (15 detections")


# --- the dashboard and a route's page from the command line ------------------------------------


@pytest.fixture
def cli_env(world, monkeypatch):
    monkeypatch.setenv("PACTUM_DATABASE_URL", world.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(world.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", "frontex-analyst")
    monkeypatch.setattr("pactum.services.bootstrap.SystemClock", lambda: world.clock)  # the tests' today
    return world


def test_the_cli_prints_the_dashboard_as_the_api_gives_it(cli_env, client, auth_headers):
    r = runner.invoke(app, ["awareness", "dashboard"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    api = client.get("/api/v1/awareness/dashboard", headers=auth_headers("frontex-analyst")).json()
    assert out == api
    r = runner.invoke(app, ["awareness", "dashboard", "--format", "table"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "latest data: April 2025 — 19 months old on 2026-11-28" in said
    assert "Eastern Borders Route *" in said
    assert "* Eastern Borders Route: Data quality: 81% of the detections of April 2025" in said
    assert "98% of the rise is of unknown nationality" in said
    assert api["alerts"] and all(a["id"] in said for a in api["alerts"])  # whole, as `awareness ack` takes it
    assert "New asylum applications at first instance (persons)" not in said  # no UNHCR release imported


def test_the_cli_prints_a_route_page(cli_env, client, auth_headers):
    r = runner.invoke(app, ["awareness", "route", EBR])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == client.get(f"/api/v1/awareness/routes/{EBR}",
                                              headers=auth_headers("frontex-analyst")).json()
    r = runner.invoke(app, ["awareness", "route", EBR, "--format", "table"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Eastern Borders Route: latest month of the data 2025-04, 2,955 detections" in said
    assert "81% of the detections of April 2025" in said and "need not add up" in said
    assert "Backtest, horizon 3 months" in said


@pytest.mark.parametrize("args, said", [
    (["route", "Arctic Route"], "unknown route 'Arctic Route'"),
    (["route", EBR, "--format", "yaml"], "--format: 'yaml' is not json or table"),
    (["dashboard", "--format", "csv"], "--format: 'csv' is not json or table"),
])
def test_the_cli_refuses_bad_input_in_one_line(cli_env, args, said):
    r = runner.invoke(app, ["awareness", *args])
    assert r.exit_code == 2 and said in r.output and len(r.output.strip().splitlines()) == 1


# --- an import made after the demo world's noon stamp, earlier in the day ------------------------


def test_the_release_read_is_the_last_imported_even_when_an_earlier_one_is_stamped_later(services):
    """The demo world stamps its imports at noon of the day it is built; an analyst importing a
    release that morning (the wall clock before noon) must see theirs, not the world's."""
    from datetime import UTC, datetime

    header = "month,route,border_type,nationality_iso3,detections\n"
    services.clock.set(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    awareness.import_release(services, SYSTEM, "frontex", header + f"2025-04,{EBR},Land,UKR,500\n", "world's")
    assert awareness.dashboard(services, SYSTEM)["routes"][0]["change"]["value"] == 500
    services.clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    awareness.import_release(services, SYSTEM, "frontex", header + f"2025-05,{EBR},Land,UKR,700\n", "analyst's")
    dash = awareness.dashboard(services, SYSTEM)
    assert dash["frontex"]["release"] == "analyst's" and dash["frontex"]["latest_period"] == "2025-05"
    assert [(r["route"], r["last_month"], r["change"]["value"]) for r in dash["routes"]] == [(EBR, "2025-05", 700)]

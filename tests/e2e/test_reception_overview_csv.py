"""The EUAA analyst takes the reception EU overview away as CSV: one row per state with the figures
the overview page shows (places, persons, occupancy, change, trend, flags, overdue), from the page,
the API and the CLI alike; a state's user gets their own state's row only; a bad filter is refused
naming it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import reception
from tests.e2e.test_reception_api import WEEK

API = "/api/v1/reception"
runner = CliRunner()


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {r["member_state"]: r for r in csv.DictReader(io.StringIO(text))}


@pytest.fixture
def reported(client, auth_headers) -> None:
    for user, changes in (("it-caseworker", {"reported_on": "2026-10-26", "open_accommodated": 3500}),
                          ("it-caseworker", {}),  # 2026-11-23: 5,570 persons in 6,600 places
                          ("el-caseworker", {"open_accommodated": 4600})):  # 6,070 in 6,600: 92%
        r = client.post(f"{API}/reports", headers=auth_headers(user), json={**WEEK, **changes})
        assert r.status_code == 201, r.text


def test_the_api_gives_one_row_per_state_with_the_page_s_figures(reported, client, auth_headers):
    h = auth_headers("euaa-analyst")
    r = client.get(f"{API}/overview.csv", headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="reception-overview-2026-11-28.csv"' in r.headers["content-disposition"]
    header = r.text.splitlines()[0].split(",")
    assert tuple(header) == reception.OVERVIEW_CSV_COLUMNS
    rows = _rows(r.text)
    overview: dict[str, Any] = client.get(f"{API}/overview", headers=h).json()
    assert list(rows) == [s["member_state"] for s in overview["states"]]  # every reporting state
    it = rows["IT"]
    assert (it["last_reported_on"], it["places"], it["accommodated"]) == ("2026-11-23", "6600", "5570")
    assert it["occupancy_percent"] == "84.4"  # the page: 84.4%
    # 4,970 persons on 26 October: +9.1 points (75.3% to 84.4%)
    assert it["rate_change_points"] == "9.1" and it["trend"] == "rising" and it["trend_since"] == "2026-10-26"
    assert it["under_pressure"] == "false" and it["overdue"] == "false"
    assert "over_capacity" in it["flags"].split(" | ") and it["not_accommodated"] == "820"
    el = rows["EL"]
    assert el["occupancy_percent"] == "92.0" and el["under_pressure"] == "true"
    assert "pressure" in el["flags"].split(" | ")
    never = rows["DE"]
    assert never["overdue"] == "true" and never["places"] == "" and never["last_reported_on"] == ""
    # the EU totals are the sums of the rows, as the page says them
    assert sum(int(r["places"] or 0) for r in rows.values()) == overview["totals"]["places"]
    assert sum(int(r["accommodated"] or 0) for r in rows.values()) == overview["totals"]["accommodated"]


def test_the_filters_change_the_file_as_they_change_the_page(reported, client, auth_headers):
    h = auth_headers("euaa-analyst")
    rows = _rows(client.get(f"{API}/overview.csv", params={"threshold": 0.8}, headers=h).text)
    assert rows["IT"]["under_pressure"] == "true" and rows["IT"]["threshold"] == "0.8"
    rows = _rows(client.get(f"{API}/overview.csv", params={"on": "2026-10-27"}, headers=h).text)
    assert rows["IT"]["last_reported_on"] == "2026-10-26" and rows["EL"]["places"] == ""
    bad = client.get(f"{API}/overview.csv", params={"threshold": 85}, headers=h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "threshold"


def test_a_state_s_user_gets_its_own_row_only(reported, client, auth_headers):
    rows = _rows(client.get(f"{API}/overview.csv", headers=auth_headers("it-analyst")).text)
    assert list(rows) == ["IT"]
    assert client.get(f"{API}/overview.csv", headers=auth_headers("it-return")).status_code == 403


def test_the_overview_page_links_the_same_file(reported, web_client, client, auth_headers):
    web = web_client("euaa-analyst")
    page = web.get("/reception", params={"threshold": "85%"}).text
    assert 'href="/reception/overview.csv?on=2026-11-28&amp;threshold=0.85&amp;overdue_weeks=2"' in page
    r = web.get("/reception/overview.csv", params={"on": "2026-11-28", "threshold": "0.85", "overdue_weeks": "2"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    api = client.get(f"{API}/overview.csv", params={"threshold": 0.85}, headers=auth_headers("euaa-analyst"))
    assert r.text == api.text
    assert _rows(r.text)["IT"]["under_pressure"] == "false"
    bad = web.get("/reception/overview.csv", params={"threshold": "lots"})
    assert bad.status_code == 422 and bad.text.startswith("Pressure threshold:")


def test_the_cli_writes_the_same_csv(reported, services, client, auth_headers, monkeypatch: pytest.MonkeyPatch,
                                     tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "euaa-analyst")
    r = runner.invoke(app, ["reception", "overview", "--format", "csv", "--on", "2026-11-28"])
    assert r.exit_code == 0, r.output
    api = client.get(f"{API}/overview.csv", params={"on": "2026-11-28"}, headers=auth_headers("euaa-analyst")).text
    assert r.output.replace("\r\n", "\n") == api.replace("\r\n", "\n")
    r = runner.invoke(app, ["reception", "overview"])
    assert r.exit_code == 0 and json.loads(r.output)["scope"] == "EU"
    r = runner.invoke(app, ["reception", "overview", "--format", "xlsx"])
    assert r.exit_code == 2 and r.output.strip() == "error: --format: 'xlsx' is not json or csv"

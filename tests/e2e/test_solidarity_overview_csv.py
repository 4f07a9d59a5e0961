"""The Solidarity Pool overview as CSV (the pool page's table, needs and totals), from the page, the
API and the command line: on the old code there was no export of it at all. And the fair shares'
legal basis, printed "Article 66 and Annex I; Article 66" on the old code, cites each once."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import solidarity
from pactum.services.bootstrap import Services

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]


@pytest.fixture
def world(demo_world: Callable[..., Services]) -> Services:
    return demo_world(scale="XS", only=["solidarity"], end=date(2026, 11, 28))


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_overview_exports_the_figures_the_page_shows(world: Services, client: TestClient, auth_headers: H,
                                                         web_client: W, monkeypatch: pytest.MonkeyPatch) -> None:
    com = auth_headers("com-solidarity")
    r = client.get(f"{API}/cycles/2026/overview.csv", headers=com)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="solidarity-pool-2026.csv"' in r.headers["content-disposition"]
    assert r.text.splitlines()[0] == ",".join(solidarity.OVERVIEW_CSV_COLUMNS)
    rows = _rows(r.text)
    ov = client.get(f"{API}/cycles/2026/overview", headers=com).json()
    states = {s["member_state"]: s for s in ov["accounts"]["states"]}
    by_state = {row["member_state"]: row for row in rows}
    assert list(by_state)[:-1] == sorted(states) and list(by_state)[-1] == "total"
    de, it, at = by_state["DE"], by_state["IT"], by_state["AT"]
    assert (de["pledged_relocations"], de["designation"], de["benefitting"]) == ("4555", "at_risk", "false")
    assert float(de["pledged_share_of_due"]) == states["DE"]["pledged_share_of_due"]
    assert int(de["relocated"]) == states["DE"]["progress"]["relocated"]
    assert int(at["deduction_relocations"]) == states["AT"]["deduction_relocations"] > 0
    # a benefitting state: marked, its need and what it receives; no share of what is due
    assert (it["benefitting"], it["designation"], it["pledged_share_of_due"]) == ("true", "under_pressure", "")
    need = next(n for n in ov["needs"] if n["member_state"] == "IT")
    assert int(it["need_relocations"]) == need["relocations"]
    assert int(it["pledges_received_relocations"]) == need["pledges_received_relocations"]
    total = by_state["total"]
    t = ov["accounts"]["totals"]
    assert int(total["fair_share_relocations"]) == 21000
    assert (int(total["pledged_relocations"]), int(total["relocated"])) == (t["pledged_relocations"], t["relocated"])
    assert int(total["pledges_received_relocations"]) == t["pledged_relocations"]

    # the page links it, and its file is the API's
    page = web_client("com-solidarity")
    html = unescape(page.get("/solidarity?year=2026").text)
    assert 'href="/solidarity/overview.csv?year=2026"' in html and "Export the 2026 overview (CSV)" in html
    assert page.get("/solidarity/overview.csv?year=2026").text == r.text
    # the command line prints the same file
    monkeypatch.setattr("pactum.cli.commands.solidarity.cli_services", lambda: world)
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    out = CliRunner().invoke(app, ["solidarity", "overview", "2026", "--format", "csv"])
    assert out.exit_code == 0 and out.output.replace("\r\n", "\n") == r.text.replace("\r\n", "\n")
    bad = CliRunner().invoke(app, ["solidarity", "overview", "2026", "--format", "pdf"])
    assert bad.exit_code == 2 and "--format" in bad.output
    # a state's user reads no overview, as a file neither
    assert client.get(f"{API}/cycles/2026/overview.csv", headers=auth_headers("de-admin")).status_code == 403


def test_the_fair_shares_cite_article_66_and_annex_i_once_each(client: TestClient, auth_headers: H,
                                                               web_client: W) -> None:
    body = client.get(f"{API}/fair-shares", params={"year": 2026}, headers=auth_headers("com-analyst")).json()
    assert body["legal_basis"] == ["Regulation (EU) 2024/1351, Article 66", "Regulation (EU) 2024/1351, Annex I"]
    html = unescape(web_client("com-analyst").get("/solidarity/fair-shares?year=2026").text)
    assert "(Regulation (EU) 2024/1351, Article 66; Regulation (EU) 2024/1351, Annex I)" in html
    assert "Annex I; Regulation (EU) 2024/1351, Article 66" not in html

"""The cycle's year as the EU Solidarity Coordinator lives it (AMMR Arts 9, 11, 12, 57, 60(3)).

On 30 November 2026, on the old code, the pool page offered "Close the cycle" ("The year is over: ...")
for the 2026 cycle and `cycle-action 2026 close` succeeded, while transfers and pledges are implemented
until 31 December; and nothing said that the 2027 cycle, whose report, pressure decision and proposal
were due on 15 October 2026, had not been opened. Now closing waits for the year's end (409 before, the
page saying from when), and the missing cycle is flagged with its due dates and articles."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.scenario.world import build
from pactum.services.bootstrap import Services
from pactum.solidarity import cycle as cyc

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]
NOV_30 = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _world(services: Services, at: datetime = NOV_30, end: date = date(2026, 11, 28)) -> Services:
    build(services, scale="XS", only=["solidarity"], show_progress=False, end=end)
    services.clock.set(at)  # type: ignore[attr-defined]
    return services


def test_the_cycle_is_not_closed_before_its_year_is_over(services: Services, client: TestClient, auth_headers: H,
                                                         web_client: W, monkeypatch: pytest.MonkeyPatch) -> None:
    _world(services)
    com = auth_headers("com-solidarity")
    cycle = client.get(f"{API}/cycles/2026", headers=com).json()
    assert cycle["status"] == "implementation"
    assert "close" not in cycle["transitions"] and cycle["closes_from"] == "2027-01-01"
    assert cycle["implementation_until"] == {"date": "2026-12-31",
                                             "legal_basis": ["Regulation (EU) 2024/1351, Article 60(3)"]}
    r = client.post(f"{API}/cycles/2026/actions/close", headers=com,
                    json={"version": cycle["version"], "on": "2026-11-30"})
    assert r.status_code == 409
    assert r.json()["detail"] == ("the 2026 cycle cannot be closed before 2027-01-01: transfers and the other pledges "
                                  "are implemented until 2026-12-31 (Regulation (EU) 2024/1351, Article 60(3))")
    assert client.get(f"{API}/cycles/2026", headers=com).json()["status"] == "implementation"

    # the page offers no closing form and says from when the cycle can be closed
    html = unescape(web_client("com-solidarity").get("/solidarity?year=2026").text)
    assert 'data-action="close"' not in html and "The year is over" not in html
    said = re.search(r'<p class="muted" id="cycle-close-from">(.*?)</p>', html, re.S)[1]  # type: ignore[index]
    assert "can be closed from 2027-01-01" in said and "implemented until 2026-12-31" in said
    assert "Article 60(3)" in said

    # the command line is refused the same way, one line, exit 2 (on the same clock: 30 November 2026)
    monkeypatch.setattr("pactum.cli.commands.solidarity.cli_services", lambda: services)
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    body = Path(services.settings.var_dir) / "close.json"
    body.write_text(json.dumps({"version": cycle["version"], "on": "2026-11-30"}), encoding="utf-8")
    res = CliRunner().invoke(app, ["solidarity", "cycle-action", "2026", "close", str(body)])
    assert res.exit_code == 2 and "cannot be closed before 2027-01-01" in res.output, res.output


def test_once_the_year_is_over_the_cycle_is_closed_and_says_so(services: Services, client: TestClient,
                                                                auth_headers: H, web_client: W) -> None:
    _world(services, datetime(2027, 1, 4, 9, tzinfo=UTC))
    com = auth_headers("com-solidarity")
    cycle = client.get(f"{API}/cycles/2026", headers=com).json()
    assert "close" in cycle["transitions"]
    html = unescape(web_client("com-solidarity").get("/solidarity?year=2026").text)
    said = re.search(r'<p id="cycle-close-said">(.*?)</p>', html, re.S)[1]  # type: ignore[index]
    assert "The 2026 pool's year is over: its pledges were implemented until 2026-12-31" in said
    assert "no need, deduction or new relocation transfer can be recorded" in said
    assert "payments and alternative measures carried out are still recorded" in said
    # a closing date within the year is refused, naming the date
    r = client.post(f"{API}/cycles/2026/actions/close", headers=com,
                    json={"version": cycle["version"], "on": "2026-12-31"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "on"
    assert "close it on 2027-01-01 or later" in r.json()["detail"][0]["msg"]
    r = client.post(f"{API}/cycles/2026/actions/close", headers=com,
                    json={"version": cycle["version"], "on": "2027-01-04"})
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_the_missing_next_cycle_is_flagged_with_its_due_dates(services: Services, client: TestClient,
                                                              auth_headers: H, web_client: W) -> None:
    # a world that ended the day before the 2027 cycle's proposal was due (the demo opens it on that
    # day), read on 30 November 2026
    _world(services, end=date(2026, 10, 14))
    com = auth_headers("com-solidarity")
    ov = client.get(f"{API}/cycles/2026/overview", headers=com).json()
    [missing] = ov["next_cycle"]
    assert missing["year"] == 2027 and missing["overdue"] is True
    steps = {s["step"]: s for s in missing["steps"]}
    assert (steps["create"]["due"], steps["create"]["status"]) == ("2026-10-15", "overdue")
    assert steps["create"]["legal_basis"] == ["Regulation (EU) 2024/1351, Article 9(4)",
                                              "Regulation (EU) 2024/1351, Article 11(4)",
                                              "Regulation (EU) 2024/1351, Article 12(6)"]
    assert (steps["adopt"]["due"], steps["adopt"]["status"]) == ("2026-12-31", "due")
    assert steps["adopt"]["legal_basis"] == ["Regulation (EU) 2024/1351, Article 57(1)"]

    html = unescape(web_client("com-solidarity").get("/solidarity").text)
    flag = re.search(r'<section class="card" id="next-cycle">(.*?)</section>', html, re.S)[1]  # type: ignore[index]
    assert "The 2027 cycle is <span class=\"badge bad\">overdue</span>: it has not been opened" in flag
    assert "were due by 2026-10-15" in flag
    table = re.search(r'<table id="next-cycle-2027">.*?</table>', flag, re.S)[0]  # type: ignore[index]
    assert "2026-12-31" in table and "Article 57" in table and "Article 9" in table

    # once the Commission opens it, the flag is gone
    assert client.post(f"{API}/cycles", headers=com, json={"year": 2027, "proposal_on": "2026-11-30"}).status_code == 201
    assert client.get(f"{API}/cycles/2026/overview", headers=com).json()["next_cycle"] == []
    assert 'id="next-cycle"' not in web_client("com-solidarity").get("/solidarity?year=2026").text


def test_the_next_cycle_is_due_not_overdue_before_its_dates():
    before = cyc.missing_cycle(2027, date(2026, 9, 1))
    assert before is not None and before["overdue"] is False
    assert [s["status"] for s in before["steps"]] == ["due", "due"]
    # the 2026 cycle ran in 2025, under the early application of the cycle's provisions (Art 85): on
    # 10 January 2026, a 2026 cycle not opened is overdue; no cycle binds a year before the first pool
    late = cyc.missing_cycle(2026, date(2026, 1, 10))
    assert late is not None and late["overdue"] is True
    assert cyc.missing_cycle(2025, date(2025, 1, 10)) is None

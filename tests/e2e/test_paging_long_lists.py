"""Lists that stopped silently at a fixed number of rows are paged instead: return decisions
(200), Dublin cases (200) and reception reports (5,000) answer one page of ``limit`` from
``offset`` in the list's order, with ``X-Total-Count`` saying how many there are; the web's
recorded cases and the CLI's reports say it too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.responsibility.schemas import CaseCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_reception_api import WEEK

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, make_world  # type: ignore[no-redef]


def _case(services: Services, who: Principal, ref: str) -> dict[str, Any]:
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad",
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-11-20"},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-10-01"}]}}))


def test_dublin_cases_come_in_pages_with_their_total(services: Services, client: TestClient, auth_headers,
                                                       principal: Callable[[str], Principal],
                                                       web_client: Callable[[str], TestClient]) -> None:
    de = principal("de-caseworker")
    made = [_case(services, de, f"DE-P-{i}")["id"] for i in range(5)]
    h = auth_headers("de-dublin")
    every = client.get("/api/v1/responsibility/cases", headers=h)
    assert every.headers["X-Total-Count"] == "5" and [c["id"] for c in every.json()] == made[::-1]
    first = client.get("/api/v1/responsibility/cases?limit=2", headers=h)
    last = client.get("/api/v1/responsibility/cases?limit=2&offset=4", headers=h)
    assert first.headers["X-Total-Count"] == last.headers["X-Total-Count"] == "5"
    assert [c["id"] for c in first.json()] == made[:2:-1] and [c["id"] for c in last.json()] == [made[0]]
    # another state's cases are not counted
    assert client.get("/api/v1/responsibility/cases", headers=auth_headers("it-dublin")).headers[
        "X-Total-Count"] == "0"
    bad = client.get("/api/v1/responsibility/cases?limit=0&offset=-1", headers=h)
    assert bad.status_code == 422
    assert [(p["loc"], p["msg"]) for p in bad.json()["detail"]] == [
        (["query", "limit"], "0 is not from 1 to 1000"), (["query", "offset"], "-1 is negative: give 0 or more")]

    page = web_client("de-dublin").get("/responsibility/cases")
    assert "5 cases." in page.text and 'rel="next"' not in page.text
    assert "case(s)" not in page.text


def test_the_recorded_cases_page_of_the_form_links_to_the_next(services: Services,
                                                                  principal: Callable[[str], Principal],
                                                                  web_client: Callable[[str], TestClient],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from pactum.web.views import responsibility as view

    monkeypatch.setattr(view, "CASES_PAGE", 2)
    de = principal("de-caseworker")
    for i in range(3):
        _case(services, de, f"DE-Q-{i}")
    web = web_client("de-dublin")
    first = web.get("/responsibility/cases").text
    assert "3 cases; showing 1–2." in first and 'href="?offset=2" rel="next"' in first
    assert "DE-Q-2" in first and "DE-Q-0" not in first
    second = web.get("/responsibility/cases?offset=2").text
    assert "showing 3–3" in second and 'href="?offset=0" rel="prev"' in second and "DE-Q-0" in second


def test_return_decisions_come_in_pages_with_their_total(tmp_path: Path) -> None:
    world: World = make_world(tmp_path)
    h = world.headers("it.returns")
    made = []
    for i, surname in enumerate(("Trabelsi", "Haddad", "Jaziri")):
        r = world.client.post("/api/v1/returns/decisions", headers=h, json={
            "person_id": world.person("it.returns", surname=surname, nationality="TUN"),
            "issued_on": (date(2026, 8, 20) + timedelta(days=i)).isoformat(), "grounds": ["illegal_stay"]})
        assert r.status_code == 201, r.text
        made.append(r.json()["id"])
    listed = world.client.get("/api/v1/returns/decisions?limit=2", headers=h)
    assert listed.headers["X-Total-Count"] == "3"
    assert [d["id"] for d in listed.json()] == [made[2], made[1]]  # the latest first
    rest = world.client.get("/api/v1/returns/decisions?limit=2&offset=2", headers=h)
    assert [d["id"] for d in rest.json()] == [made[0]]
    bad = world.client.get("/api/v1/returns/decisions?limit=1001&status=gone", headers=h)
    assert bad.status_code == 422
    assert [p["loc"][-1] for p in bad.json()["detail"]] == ["status", "limit"]


def test_reception_reports_come_in_pages_on_the_api_and_the_cli(client: TestClient, auth_headers, services: Services,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    h = auth_headers("it-caseworker")
    for day in ("2026-11-09", "2026-11-16", "2026-11-23"):
        assert client.post("/api/v1/reception/reports", headers=h, json={**WEEK, "reported_on": day}).status_code == 201
    page = client.get("/api/v1/reception/reports?since=2026-11-09&limit=2&offset=1", headers=h)
    assert page.headers["X-Total-Count"] == "3"
    assert [r["reported_on"] for r in page.json()] == ["2026-11-16", "2026-11-09"]
    total = int(client.get("/api/v1/reception/reports", headers=h).headers["X-Total-Count"])
    assert client.get("/api/v1/reception/reports?limit=5001", headers=h).json()["detail"][0]["loc"] == [
        "query", "limit"]

    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "it-caseworker")
    out = CliRunner().invoke(app, ["reception", "list", "--limit", "1"])
    assert out.exit_code == 0, out.output
    assert f"{total} reports in all: 1 printed from offset 0; see the next with --offset 1" in out.stderr
    refused = CliRunner().invoke(app, ["reception", "list", "--limit", "0"])
    assert refused.exit_code == 2 and "limit" in refused.output and "0 is not from 1 to 5000" in refused.output

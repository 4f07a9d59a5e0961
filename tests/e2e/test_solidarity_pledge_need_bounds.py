"""Absurd figures in a pledge or a need: until 1 December 2026 only the store's 64-bit integers bounded
them (a pledge of 2,000,000,000 relocations, the columns' limit, was saved and skewed the pool's accounts). No single
state's pledge or need is larger than the whole pool: at most the larger of the Commission's proposal
(AMMR Art 12, on whose basis the states pledge, Art 57(3)) and the pool the Council's act set (Art 57),
in relocations and in euros. Each figure beyond it is a 422 naming the field, through the API, the
pledge page and the command line, and nothing is written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import new_cycle, send
from tests.problem_paths import problem_fields

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]


def test_a_pledge_beyond_the_whole_pool_is_refused_naming_each_field(client: TestClient, auth_headers: H) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    de = auth_headers("de-admin")
    # the 2027 proposal is the Art 12(2) minimum: 30,000 relocations, EUR 600 million
    r = client.post(f"{API}/cycles/2027/pledges", headers=de, json={
        "relocations": 2_000_000_000, "financial_eur": 600_000_001, "alternative_eur": 2_000_000_000,
        "alternative_description": "reception containers"})
    assert r.status_code == 422, r.text
    assert problem_fields(r) == ["relocations", "financial_eur", "alternative_eur"]
    msgs = [d["msg"] for d in r.json()["detail"]]
    assert msgs[0].startswith("at most 30,000: a single state's pledge cannot exceed the whole pool")
    assert msgs[1].startswith("at most EUR 600,000,000:")
    assert "Regulation (EU) 2024/1351, Article 12" in msgs[0]
    assert client.get(f"{API}/cycles/2027/pledges/DE", headers=de).json()["pledge"] is None
    # the whole pool is not absurd: a state may pledge it
    r = client.post(f"{API}/cycles/2027/pledges", headers=de, json={"relocations": 30_000, "financial_eur": 600_000_000})
    assert r.status_code == 200, r.text


def test_a_need_beyond_the_whole_pool_is_refused(client: TestClient, auth_headers: H) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    it = auth_headers("it-admin")
    r = client.post(f"{API}/cycles/2027/needs", headers=it, json={"relocations": 30_001, "financial_eur": 2_000_000_000})
    assert r.status_code == 422 and problem_fields(r) == ["relocations", "financial_eur"], r.text
    assert "a single state's need cannot exceed the whole pool" in r.json()["detail"][0]["msg"]
    assert client.post(f"{API}/cycles/2027/needs", headers=it, json={"relocations": 30_000}).status_code == 200


def test_the_pledge_page_and_the_command_line_refuse_it_too(client: TestClient, auth_headers: H, web_client: W,
                                                           services: Services, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    de = web_client("de-admin")
    page = de.get("/solidarity/pledge?year=2027").text
    status, back = send(de, page, "pledge-form", relocations="2000000000")
    assert status == 422
    assert "at most 30,000: a single state&#39;s pledge cannot exceed the whole pool" in back
    assert re.search(r'<input name="relocations"[^>]*aria-invalid="true"', back)
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "de-admin")
    f = tmp_path / "p.json"
    f.write_text(json.dumps({"relocations": 2_000_000_000}))
    out = CliRunner().invoke(app, ["solidarity", "pledge", "2027", str(f)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1, out.output
    assert "relocations" in out.output and "at most 30,000" in out.output
    assert client.get(f"{API}/cycles/2027/pledges/DE", headers=auth_headers("de-admin")).json()["pledge"] is None

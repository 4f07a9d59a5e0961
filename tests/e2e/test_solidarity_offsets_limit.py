"""Art 63(3)'s obligation comes on top of the take-overs a state may make instead of its pledged relocations
(Art 63(2)), on every way of reading the offsets: API, pledge page, command line.

Germany pledges 3,000 relocations of its 4,613 fair share (at least 50%: it may volunteer, Art 63(2)(b)); the
3,000 pledged in all are below the 30,000 of Art 12(2)(a), so offsets are mandatory (Art 63(3)(a)) and Germany
owes the 1,613 of its fair share it did not pledge. Before, its limit was the larger of 3,000 and 1,613: its
1,613 mandatory take-overs used up the room of the relocations it pledged."""

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
from tests.e2e.test_solidarity_offsets import API, _adopted_pool

H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]


def test_germany_may_take_over_its_obligation_and_its_pledged_relocations(
    client: TestClient, auth_headers: H, web_client: W, services: Services, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    _adopted_pool(client, auth_headers, {"DE": 3_000})
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin")).json()
    assert view["regime"]["mandatory"] is True
    de = next(c for c in view["contributors"] if c["member_state"] == "DE")
    assert (de["may_volunteer"], de["voluntary_limit"], de["mandatory_obligation"]) == (True, 3_000, 1_613)
    assert (de["limit"], de["remaining"]) == (4_613, 4_613)  # before: 3,000
    step = next(s for s in de["trace"] if s["rule"] == "offset_limit")
    assert "the 1,613 it must take over under Article 63(3) besides the 3,000" in step["outcome"]
    html = web_client("de-admin").get("/solidarity/pledge?year=2026").text
    row = re.search(r"<tr><td>DE</td>.*?</tr>", html.split('id="offset-contributors"', 1)[1], re.S)
    assert row and "<td class=\"num\">4,613</td></tr>" in row[0]  # the remaining column
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "de-admin")
    r = CliRunner().invoke(app, ["solidarity", "offsets", "2026"])
    assert r.exit_code == 0, r.output
    assert next(c for c in json.loads(r.output)["contributors"] if c["member_state"] == "DE")["limit"] == 4_613

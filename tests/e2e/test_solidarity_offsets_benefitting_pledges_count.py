"""AMMR Art 63(1), (3) and (4), read in the Official Journal text (Italian version): paragraphs 1 and 3
measure "gli impegni in materia di ricollocazione per la riserva annuale di solidarietà specificata
[contenuti] nell'atto di esecuzione del Consiglio di cui all'articolo 57", and paragraph 4 applies
paragraph 3 "anche quando gli impegni da attuare ... sono inferiori al più elevato tra i due numeri ...
perché gli Stati membri beneficiari ... non sono tenuti ad eseguire gli impegni". A benefitting state's
own relocation pledge is in the Council's act: it counts towards the thresholds of paragraphs 1 and 3,
and it is left out of the relocations to be implemented of paragraph 4.

Until 2 December 2026 Pactum left it out of paragraphs 1 and 3 too: with 14,900 relocations pledged by
contributing states and 200 by Italy (15,100 in the Council's act, 50.3% of the Commission's 30,000), a
benefitting state could not ask for offsets under Art 63(1), and the mandatory rule cited paragraph 3
only where paragraph 4 applies as well."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services

try:
    from .test_solidarity_offsets import API, _adopted_pool
except ImportError:  # tests/e2e is not a package
    from test_solidarity_offsets import API, _adopted_pool  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
AMMR = "Regulation (EU) 2024/1351"
#: 14,900 relocations pledged by contributing states, 200 by Italy (under migratory pressure)
CONTRIBUTORS = {"DE": 4555, "FR": 3245, "NL": 2500, "BE": 2200, "PL": 2400, "AT": 0}


def _adopted_with_italy(
    client: TestClient, auth_headers: H, it_relocations: int = 200, contributors: dict[str, int] | None = None
) -> None:
    """The 2026 pool of :func:`_adopted_pool` with Italy, a benefitting state, pledging too before adoption."""
    pledges = dict(contributors or CONTRIBUTORS)
    pledges["IT"] = it_relocations
    _adopted_pool(client, auth_headers, pledges)


def test_a_benefitting_states_relocation_pledge_counts_towards_the_art_63_1_threshold(
    client: TestClient, auth_headers: H, web_client: W
) -> None:
    _adopted_with_italy(client, auth_headers)
    com = auth_headers("com-solidarity")
    view = client.get(f"{API}/cycles/2026/offsets", headers=com).json()
    reg = view["regime"]
    # all the relocations of the Council's act (Art 63(1), (3)); of them Italy's 200 are not implemented
    assert (
        reg["relocation_pledges"],
        reg["not_implemented_relocations"],
        reg["relocations_to_implement"],
    ) == (15_100, 200, 14_900)
    # 15,100 of the Commission's 30,000 = 50.3%: a benefitting state may ask for offsets (on the old code
    # 14,900, 49.7%: not open)
    assert reg["requests_open"] is True
    assert reg["relocation_pledges_share"] == round(15_100 / 30_000, 4)
    # below 30,000 in the act (Art 63(3)(a)), and the relocations to be implemented below it too (Art 63(4))
    assert reg["mandatory"] is True
    assert reg["mandatory_basis"] == [f"{AMMR}, Article 63(3)(a)", f"{AMMR}, Article 63(4)"]
    # the two figures: 30,000 - 15,100 by paragraph 3 alone; 30,000 - 14,900 once paragraph 4 counts
    assert (reg["mandatory_total_pledged"], reg["mandatory_total_to_implement"], reg["mandatory_total"]) == (
        14_900,
        15_100,
        15_100,
    )
    assert reg["mandatory_total_basis"] == [f"{AMMR}, Article 63(3)", f"{AMMR}, Article 63(4)"]
    said = reg["mandatory_total_said"]
    assert (
        "at most 15,100 applications" in said
        and "14,900 relocations to be implemented (Article 63(4))" in said
    )
    assert "14,900 by Article 63(3) alone" in said and "are not counted in it" in said
    step = next(s for s in reg["trace"] if s["rule"] == "offsets_mandatory_after_deductions")
    assert step["facts"]["not_implemented_relocations"] == 200 and step["facts"]["deducted_relocations"] == 0
    assert "the benefitting states do not implement the 200 relocations they pledged" in step["outcome"]
    assert "deductions granted" not in step["outcome"]
    up_to = next(s for s in reg["trace"] if s["rule"] == "offsets_mandatory_up_to")
    assert up_to["legal_basis"] == [f"{AMMR}, Article 63(3)", f"{AMMR}, Article 63(4)"]
    # Italy is still no contributor, and still takes over nothing
    assert "IT" not in {c["member_state"] for c in view["contributors"]}
    assert "Article 63(4)" in view["benefitting_note"]["reason"]

    # the overview's Art 63(1) figures count Italy's pledge too; its totals (what is implemented) do not
    acc = client.get(f"{API}/cycles/2026/overview", headers=com).json()["accounts"]
    assert acc["offsets"]["open"] is True
    assert (acc["offsets"]["relocation_pledges"], acc["offsets"]["not_implemented_relocations"]) == (
        15_100,
        200,
    )
    assert acc["offsets"]["relocation_pledges_share_of_proposal"] == round(15_100 / 30_000, 4)
    assert acc["totals"]["pledged_relocations"] == 14_900

    # the pool page says it in words
    html = unescape(web_client("com-solidarity").get("/solidarity?year=2026").text)
    said_html = re.sub(r"<[^>]+>", "", html.split('id="offsets-mandatory-total">', 1)[1].split("</p>", 1)[0])
    assert "at most 15,100 applications" in said_html
    assert (
        "14,900 relocations to be implemented once the benefitting states’ own 200 are taken off the 15,100 "
        "pledged (Article 63(4))" in said_html
    )
    assert "by Article 63(3) alone, counting the 15,100 pledged: 14,900" in said_html
    assert "Voluntary take-overs (Article 63(1), (2))" in said_html
    assert "Their relocation pledges still count towards the thresholds of responsibility offsets" in html
    assert "relocation pledges (15,100, the 200 of benefitting states included) are 50.3%" in html


def test_paragraph_4_alone_when_the_acts_pledges_reach_30000_with_a_benefitting_states_own(
    client: TestClient, auth_headers: H, web_client: W
) -> None:
    # 29,900 by contributing states and 200 by Italy: the act's 30,100 are not below 30,000 (Art 63(3) does
    # not apply on its own terms); the 29,900 to be implemented are (Art 63(4)): offsets are mandatory for
    # at most 100 applications, cited under paragraph 4 only (on the old code: paragraph 3(a))
    _adopted_with_italy(client, auth_headers, contributors={**CONTRIBUTORS, "SE": 15_000})
    reg = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()["regime"]
    assert (reg["relocation_pledges"], reg["relocations_to_implement"]) == (30_100, 29_900)
    assert reg["mandatory"] is True and reg["mandatory_basis"] == [f"{AMMR}, Article 63(4)"]
    assert (reg["mandatory_total_pledged"], reg["mandatory_total_to_implement"], reg["mandatory_total"]) == (
        None,
        100,
        100,
    )
    assert "Article 63(3) alone not applying" in reg["mandatory_total_said"]
    html = unescape(web_client("com-solidarity").get("/solidarity?year=2026").text)
    said_html = re.sub(r"<[^>]+>", "", html.split('id="offsets-mandatory-total">', 1)[1].split("</p>", 1)[0])
    assert "Article 63(3) alone would not apply: the 30,100 pledged are not below that number" in said_html


@pytest.fixture
def cli_env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    return tmp_path


def test_the_cli_gives_both_figures_and_the_total_in_words(
    client: TestClient, auth_headers: H, cli_env: Path
) -> None:
    _adopted_with_italy(client, auth_headers)
    r = CliRunner().invoke(app, ["solidarity", "offsets", "2026"])
    assert r.exit_code == 0, r.output
    reg = json.loads(r.output)["regime"]
    assert (reg["relocation_pledges"], reg["mandatory_total_pledged"], reg["mandatory_total"]) == (
        15_100,
        14_900,
        15_100,
    )
    assert reg["mandatory_total_said"].startswith(
        "the mandatory take-overs of all contributing states together are at most 15,100 applications"
    )

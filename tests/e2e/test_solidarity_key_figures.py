"""The reference key's inputs loaded for a cycle (AMMR Art 66 and Annex I: the latest Eurostat
population and GDP). On the old code the key was frozen at the shipped Eurostat 2022 figures: every
future cycle kept ``reference_year`` 2022 and there was no way to load newer figures. Now the
Commission loads a year's figures for a cycle from a CSV file (API, CLI, page), all or nothing and
audited, before the Council's act; the 2026 cycle's adopted shares stay those of the shipped figures.

The figures below are the shipped 2022 ones with Germany's population raised by 1% and called "2025":
test data, not Eurostat's."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from pactum.solidarity import key_csv
from pactum.solidarity.fairshare import SOLIDARITY_STATES, _rows
from pactum.store.tables.platform import audit_log
from tests.e2e.test_solidarity_web_actions import new_cycle

API = "/api/v1/solidarity"
W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]
SOURCE = "Test figures: Eurostat 2022 with DE's population raised by 1%"


def _csv(*, skip: str | None = None, extra: str = "", de_factor: float = 1.01) -> str:
    rows = _rows("eurostat")[2022]
    lines = ["member_state,population,gdp_meur"]
    for ms in SOLIDARITY_STATES:
        if ms == skip:
            continue
        r = rows[ms]
        pop = round(r.population * de_factor) if ms == "DE" else r.population
        lines.append(f"{ms},{pop},{float(r.gdp):.1f}")
    return "\n".join(lines) + "\n" + extra


def _audits(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar() or 0)


def test_the_commission_loads_newer_figures_for_a_cycle(services: Services, client: TestClient,
                                                       auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    before = client.get(f"{API}/fair-shares", params={"year": 2027}, headers=com).json()
    assert before["reference_year"] == 2022 and before["figures_loaded"] is False
    # Denmark and an associated state, as a Eurostat extract lists them, are skipped and said
    r = client.post(f"{API}/cycles/2027/key-figures", headers={**com, "Content-Type": "text/csv"},
                    params={"reference_year": 2025, "source": SOURCE},
                    content=_csv(extra="DK,5932654,380000.0\nNO,5488984,550000.0\n"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["loaded"], body["skipped"]) == (26, ["DK", "NO"])
    assert (body["reference_year"], body["data_source"], body["figures_loaded"]) == (2025, SOURCE, True)
    assert sum(s["fair_share_relocations"] for s in body["states"]) == 30000
    de = {s["member_state"]: s for s in body["states"]}["DE"]
    de_before = {s["member_state"]: s for s in before["states"]}["DE"]
    assert de["population"] == round(de_before["population"] * 1.01)
    assert de["fair_share_relocations"] > de_before["fair_share_relocations"]
    # every screen of the year follows them
    ov = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    assert ov["fair_shares"]["reference_year"] == 2025 and ov["fair_shares"]["figures_loaded"] is True
    assert {s["member_state"]: s["fair_share_relocations"] for s in ov["accounts"]["states"]}["DE"] == \
        de["fair_share_relocations"]
    page = client.get(f"{API}/cycles/2027/pledges/DE", headers=auth_headers("de-admin")).json()
    assert page["reference_year"] == 2025
    # another year is untouched; the 2026 figures stay the shipped ones
    assert client.get(f"{API}/fair-shares", params={"year": 2026}, headers=com).json()["reference_year"] == 2022


def test_a_bad_file_loads_nothing_and_names_each_line(services: Services, client: TestClient,
                                                      auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    audits = _audits(services)
    # AT's row has a field too many (line 2); MT is left out, so XY is line 27 and FR again line 28
    bad = _csv(skip="MT").replace("AT,", "AT,9.1e6,", 1) + "XY,100,1.0\nFR,1,1.0\n"
    r = client.post(f"{API}/cycles/2027/key-figures", headers={**com, "Content-Type": "text/csv"},
                    params={"reference_year": 2027, "source": " "}, content=bad)
    assert r.status_code == 422
    said = {(".".join(map(str, e["loc"][1:])), e["msg"]) for e in r.json()["detail"]}
    fields = {f for f, _ in said}
    assert "source" in fields and "reference_year" in fields  # a year before the pool's, a source named
    assert "line 2" in fields  # AT's row has one field too many
    assert "line 27.member_state" in fields  # XY is no state
    assert any(f == "line 28.member_state" and "already on line" in m for f, m in said)
    # nothing was loaded, nothing audited
    assert client.get(f"{API}/fair-shares", params={"year": 2027}, headers=com).json()["figures_loaded"] is False
    assert _audits(services) == audits
    # a state missing: named
    r = client.post(f"{API}/cycles/2027/key-figures", headers={**com, "Content-Type": "text/csv"},
                    params={"reference_year": 2025, "source": SOURCE}, content=_csv(skip="MT"))
    assert r.status_code == 422 and r.json()["detail"][0]["msg"].startswith("no row for MT")
    # a state's user may not load figures
    assert client.post(f"{API}/cycles/2027/key-figures", headers={**auth_headers("de-admin"), "Content-Type": "text/csv"},
                       params={"reference_year": 2025, "source": SOURCE}, content=_csv()).status_code == 403


def test_the_adopted_pools_figures_are_history(services: Services, client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="adopted", IT="under_pressure")
    r = client.post(f"{API}/cycles/2027/key-figures", headers={**com, "Content-Type": "text/csv"},
                    params={"reference_year": 2025, "source": SOURCE}, content=_csv())
    assert r.status_code == 409 and "fixed its fair shares" in r.json()["detail"]
    assert client.get(f"{API}/fair-shares", params={"year": 2027}, headers=com).json()["reference_year"] == 2022


def test_loading_is_audited_and_replaces_figures_loaded_before(services: Services, client: TestClient,
                                                               auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="proposal", IT="under_pressure")
    audits = _audits(services)
    for year, factor in ((2024, 1.01), (2025, 1.02)):
        assert client.post(f"{API}/cycles/2027/key-figures", headers={**com, "Content-Type": "text/csv"},
                           params={"reference_year": year, "source": SOURCE},
                           content=_csv(de_factor=factor)).status_code == 201
    assert _audits(services) == audits + 2
    with services.engine.connect() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    assert last is not None and last.action == "solidarity.key_figures.load"
    shares = client.get(f"{API}/fair-shares", params={"year": 2027}, headers=com).json()
    assert shares["reference_year"] == 2025 and len(shares["states"]) == 26


def test_the_command_line_and_the_page_load_figures(services: Services, web_client: W, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, client: TestClient,
                                                   auth_headers: H) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    monkeypatch.setattr("pactum.cli.commands.solidarity.cli_services", lambda: services)
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    f = tmp_path / "key.csv"
    f.write_text(_csv(), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["solidarity", "key-figures", "2027", str(f), "--reference-year", "2024",
                            "--source", SOURCE])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["reference_year"] == 2024
    f.write_text("member_state,population\nAT,1\n", encoding="utf-8")
    r = runner.invoke(app, ["solidarity", "key-figures", "2027", str(f), "--reference-year", "2024",
                            "--source", SOURCE])
    assert r.exit_code == 2 and "missing column gdp_meur" in r.output
    template = runner.invoke(app, ["solidarity", "key-figures-template"])
    assert template.exit_code == 0 and template.output.splitlines()[0] == "member_state,population,gdp_meur"
    assert len(template.output.splitlines()) == 27

    com = web_client("com-solidarity")
    html = com.get("/solidarity/fair-shares?year=2027").text
    assert 'id="key-figures-form"' in html
    r = com.post("/solidarity/key-figures", data={"year": "2027", "reference_year": "2025", "source": SOURCE},
                 files={"file": ("key.csv", _csv(de_factor=1.05).encode(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = unescape(com.get(r.headers["location"]).text)
    assert "The reference key's figures are loaded" in page and "reference year 2025" in page
    assert f"{SOURCE} (loaded for the 2027 cycle)" in page
    # refused: said by the form, what was typed kept
    r = com.post("/solidarity/key-figures", data={"year": "2027", "reference_year": "2025", "source": "",
                                                  "text": "member_state,population,gdp_meur\nAT,x,1\n"})
    assert r.status_code == 422
    said = re.search(r'id="key-errors">.*?<ul>(.*?)</ul>', unescape(r.text), re.S)[1]  # type: ignore[index]
    assert "Source: name the source" in said and "line 2.population" in said
    assert "AT,x,1" in r.text
    # an analyst reads the page without the form
    assert 'id="key-figures-form"' not in web_client("com-analyst").get("/solidarity/fair-shares?year=2027").text
    assert web_client("com-solidarity").get("/solidarity/key-figures-template.csv").text == key_csv.TEMPLATE


def test_the_key_file_is_read_whole_or_refused() -> None:
    ok = key_csv.parse("\ufeff" + _csv().replace("EL,", "GR,", 1))
    assert sorted(ok.rows) == sorted(SOLIDARITY_STATES) and ok.skipped == []
    for text, where, said in (
        ("", "file", "no figures"),
        ("state,population,gdp_meur\n", "line 1", "unknown column"),
        (_csv().replace("AT,", "AT,-", 1), "line 2.population", "not a whole number"),
        (_csv() + "BE,1,1\n", "line 28.member_state", "already on line 3"),
        ("member_state,population,gdp_meur\nAT,100,1e5\n", "line 2.gdp_meur", "not a number of million EUR"),
        ("member_state,population,gdp_meur\nAT,100,0\n", "line 2.gdp_meur", "not a state's GDP"),
        ("member_state,population,gdp_meur\nAT,100,5\n", "file", "no row for BE, BG"),
    ):
        with pytest.raises(Exception) as err:
            key_csv.parse(text)
        problems = err.value.problems  # type: ignore[attr-defined]
        assert any(f.startswith(where) and said in m for f, m in problems), (where, problems)

"""A benefitting state's side of the Annual Solidarity Pool on its pledge page (AMMR Part IV): the need
it recorded, the relocation pledges distributed to it by contributing state, the relocation transfers
out of it and the applications taken over from it, in the API, the CLI and the page; and the offsets
"Taken over" table citing its legal basis once, not on every row.

Every figure is checked against what a coordinator already sees elsewhere: the distribution endpoint,
the pool at a glance, the transfer tracker and the offsets view. Each test failed on the old code: the
pledge page had no ``receives`` and no "What Italy receives" section, and every take-over row repeated
its three citations."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
BENEFITTING = ("CY", "EL", "ES", "IT")
PENDING = ("matched", "security_cleared", "accepted", "transfer_decided")
# the keys the pledge page returned before ``receives``: kept, each with its value
OLD_KEYS = {"year", "member_state", "name", "cycle_status", "designation", "fair_share", "reference_year",
            "account", "pledge", "distribution", "offsets", "bound_by_solidarity"}


@pytest.fixture
def world(demo_world: Callable[..., Services]) -> Services:
    """The demo world's 2026 pool in implementation, with Dublin cases so that contributing states
    have taken over applications from the benefitting states (CY, EL, ES, IT under pressure). Scale S:
    an application is taken over only while no Dublin request runs on it and the benefitting state is
    responsible for it, which the smaller world has too few of."""
    return demo_world(scale="S", seed=7, end=date(2026, 11, 28),
                      only=["registry", "responsibility", "solidarity"])


def _expected(client: TestClient, com: dict[str, str], ms: str) -> dict[str, Any]:
    """What the Commission's coordinator reads for ``ms`` on the pool's other screens."""
    dist = client.get(f"{API}/cycles/2026/distribution", headers=com).json()
    overview = client.get(f"{API}/cycles/2026/overview", headers=com).json()
    tracker = client.get(f"{API}/transfers", headers=com, params={"era": "ammr", "year": 2026, "limit": 5000}).json()
    offsets = client.get(f"{API}/cycles/2026/offsets", headers=com).json()
    from_ms = [t for t in tracker["transfers"] if t["origin_member_state"] == ms]
    return {
        "by_contributor": {d["member_state"]: d["allocation"][ms] for d in dist if d["allocation"].get(ms)},
        "need": next(n for n in overview["needs"] if n["member_state"] == ms),
        "arrived": tracker["arrived_by_origin"].get(ms, 0),
        "pending": sum(1 for t in from_ms if t["stage"] in PENDING),
        "closed": sum(1 for t in from_ms if t["stage"] in ("excluded", "cancelled")),
        "arrived_by_destination": Counter(t["destination_member_state"] for t in from_ms if t["stage"] == "arrived"),
        "taken_over": Counter(t["contributor_member_state"] for t in offsets["taken_over"]
                              if t["beneficiary_member_state"] == ms),
        "offset_basis": {b for t in offsets["taken_over"] for b in t["legal_basis"]},
    }


def test_italy_sees_what_it_receives_in_the_api_and_the_figures_add_up(
        world: Services, client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    page = client.get(f"{API}/cycles/2026/pledges/IT", headers=auth_headers("it-admin"))
    assert page.status_code == 200, page.text
    body = page.json()
    assert set(body) >= OLD_KEYS
    assert body["designation"] == "under_pressure" and body["distribution"] is None  # IT pledged no relocation
    rc = body["receives"]
    exp = _expected(client, com, "IT")
    # the need recorded, as on the pool page
    assert rc["benefitting"] is True and rc["designation"] == "under_pressure"
    assert rc["need"]["relocations"] == exp["need"]["relocations"] > 0
    assert rc["need"]["financial_eur"] == exp["need"]["financial_eur"]
    assert rc["need"]["sar"] is exp["need"]["sar"] is True
    assert "Regulation (EU) 2024/1351, Article 11" in rc["need"]["legal_basis"]
    # relocations distributed to IT = the sum over contributors in the distribution = "received" on the pool page
    rows = {r["member_state"]: r for r in rc["by_contributor"]}
    assert {k: r["relocations_distributed"] for k, r in rows.items() if r["relocations_distributed"]} == exp["by_contributor"]
    assert rc["relocations"]["distributed"] == sum(exp["by_contributor"].values()) == exp["need"]["pledges_received_relocations"]
    assert rc["relocations"]["distributed"] > 0
    assert rc["relocations"]["share_of_need"] == round(rc["relocations"]["distributed"] / rc["need"]["relocations"], 4)
    assert "Regulation (EU) 2024/1351, Article 60" in rc["relocations"]["legal_basis"]
    # Germany named IT among its preferred beneficiaries; its pledge is split between IT and EL only
    assert rows["DE"]["preferred"] is True and rows["FR"]["preferred"] is False
    # relocation transfers out of IT, as the transfer tracker counts them
    assert rc["transfers"]["done"] == exp["arrived"] > 0
    assert rc["transfers"]["pending"] == exp["pending"]
    assert rc["transfers"]["closed"] == exp["closed"]
    assert sum(rc["transfers"]["by_stage"].values()) == exp["pending"] + exp["arrived"] + exp["closed"]
    assert {k: r["transfers_done"] for k, r in rows.items() if r["transfers_done"]} == dict(exp["arrived_by_destination"])
    assert "Regulation (EU) 2024/1351, Article 67(11)" in rc["transfers"]["legal_basis"]
    # applications taken over from IT as responsibility offsets, as the offsets view lists them
    assert rc["offsets"]["taken_over"] == sum(exp["taken_over"].values()) > 0
    assert {k: r["offsets_taken_over"] for k, r in rows.items() if r["offsets_taken_over"]} == dict(exp["taken_over"])
    assert set(rc["offsets"]["legal_basis"]) == exp["offset_basis"]
    # money is pledged to the pool, not to a beneficiary: said, not invented
    assert rc["financial"]["by_contributor"] is None
    overview = client.get(f"{API}/cycles/2026/overview", headers=com).json()
    # the money the states implement: the pledged money less what the Council let them replace by another type
    # (the demo's 2026 pool replaces some by alternative measures, Art 62(2)(b)) plus the money replacing others
    t = overview["accounts"]["totals"]
    assert t["replaced_financial_eur"] > 0
    assert rc["financial"]["pool_pledged_eur"] == (
        t["pledged_financial_eur"] - t["replaced_financial_eur"] + t["replacement_financial_eur"])
    # the Commission reads the same on IT's page; IT still cannot read another state's page
    assert client.get(f"{API}/cycles/2026/pledges/IT", headers=com).json()["receives"] == rc
    assert client.get(f"{API}/cycles/2026/pledges/EL", headers=auth_headers("it-admin")).status_code == 404


def test_every_relocation_pledged_reaches_a_benefitting_state_and_contributors_receive_nothing(
        world: Services, client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    overview = client.get(f"{API}/cycles/2026/overview", headers=com).json()
    offsets = client.get(f"{API}/cycles/2026/offsets", headers=com).json()
    pages = {ms: client.get(f"{API}/cycles/2026/pledges/{ms}", headers=com).json()["receives"] for ms in BENEFITTING}
    totals = overview["accounts"]["totals"]
    assert sum(p["relocations"]["distributed"] for p in pages.values()) == totals["pledged_relocations"]
    assert sum(p["transfers"]["done"] for p in pages.values()) == totals["relocated"]
    assert sum(p["offsets"]["taken_over"] for p in pages.values()) == offsets["taken_over_total"]
    # a contributing state not under pressure, without a need, has nothing on the receiving side
    de = client.get(f"{API}/cycles/2026/pledges/DE", headers=auth_headers("de-admin")).json()
    assert de["receives"] is None and de["distribution"]["relocations"] == 4555


def test_the_command_line_prints_the_same_receiving_side(
        world: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACTUM_DATABASE_URL", world.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "el-admin")
    r = CliRunner().invoke(app, ["solidarity", "pledge-page", "2026", "EL"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) >= OLD_KEYS
    dist = solidarity.distribution(world, SYSTEM, 2026)
    assert out["receives"]["relocations"]["distributed"] == sum(d["allocation"].get("EL", 0) for d in dist) > 0
    assert out["receives"]["need"]["sar"] is True


def _table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]


def _num(cell: str) -> int:
    return int(re.sub(r"<[^>]+>", "", cell).replace(",", "").strip())


def test_italys_pledge_page_says_what_it_receives(world: Services, client: TestClient, auth_headers: H,
                                                  web_client: W) -> None:
    exp = _expected(client, auth_headers("com-solidarity"), "IT")
    html = web_client("it-admin").get("/solidarity/pledge?member_state=IT").text
    assert "<h2>What Italy receives</h2>" in html
    need = re.search(r'<p id="receives-need">(.*?)</p>', html, re.S)
    assert need is not None and f"{exp['need']['relocations']:,}</strong> relocations" in need[1]
    assert "SAR" in need[1] and "Article 11" in need[1]
    table = _table(html, "receives-by-contributor")
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows[re.sub(r"<[^>]+>.*", "", cells[0]).strip()] = [_num(c) for c in cells[1:]]
    assert {k: v[0] for k, v in rows.items() if v[0]} == exp["by_contributor"]
    assert {k: v[1] for k, v in rows.items() if v[1]} == dict(exp["arrived_by_destination"])
    assert {k: v[4] for k, v in rows.items() if v[4]} == dict(exp["taken_over"])
    total = re.findall(r'<th class="num">([\d,]+)</th>', table.split('id="receives-total"', 1)[1])
    assert [_num(t) for t in total] == [sum(exp["by_contributor"].values()), exp["arrived"], exp["pending"],
                                        exp["closed"], sum(exp["taken_over"].values())]
    transfers = re.search(r'<p id="receives-transfers">(.*?)</p>', html, re.S)
    assert transfers is not None and "Article 67(11)" in transfers[1]
    assert "not attributed to a beneficiary" in html
    # a contributing state's page has no receiving side
    assert 'id="receives"' not in web_client("de-admin").get("/solidarity/pledge").text


def test_taken_over_offsets_cite_their_legal_basis_once(world: Services, web_client: W) -> None:
    taken = solidarity.offsets_view(world, SYSTEM, 2026)["taken_over"]
    assert len(taken) > 1  # on the old code each of these rows repeated the same citations
    for user, url, shown in (("it-admin", "/solidarity/pledge?member_state=IT",
                              [t for t in taken if "IT" in (t["beneficiary_member_state"], t["contributor_member_state"])]),
                             ("com-solidarity", "/solidarity", taken)):
        html = web_client(user).get(url).text
        table = _table(html, "offset-taken")
        rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
        assert len(rows) == min(len(shown), 100) >= 1
        assert "Regulation (EU)" not in table and "<th>Basis</th>" not in table
        # the per-row facts stay: application, from, to, registered, taken over (and mandatory)
        for row, t in zip(rows, shown, strict=False):
            assert len(re.findall(r"<td>", row)) == 5 and f"<td>{t['case_reference']}</td>" in row
            assert ("mandatory" in row) is t["mandatory"]
        basis = re.search(r'<p id="offset-taken-basis">(.*?)</p>', html, re.S)
        assert basis is not None
        for b in {b for t in shown for b in t["legal_basis"]}:
            assert basis[1].count(b + ";") + basis[1].count(b + ".") >= 1, b
        assert basis[1].count("Regulation (EU) 2024/1351, Article 69") == 1


def test_the_demo_relocates_only_along_the_distribution_of_each_pledge(world: Services) -> None:
    """Every 2026 relocation transfer of the demo world goes from a benefitting state to a contributing
    state whose pledge the distribution shares with it, and per pair no more than it allocates; so a
    benefitting state's pledge page shows no transfers to a state that gives it nothing. On the old
    code the matching placed anyone in any contributor: ES and CY applicants in DE (whose pledge goes
    to IT and EL only), IT and ES applicants in LU (whose pledge goes to CY)."""
    allocated = {(b, d["member_state"]): n for d in solidarity.distribution(world, SYSTEM, 2026)
                 for b, n in d["allocation"].items() if n > 0}
    tracker = solidarity.transfer_tracker(world, SYSTEM, era="ammr", year=2026, limit=5000)
    rows = tracker["transfers"]
    assert len(rows) == sum(tracker["by_stage"].values()) > 50
    pairs = Counter((t["origin_member_state"], t["destination_member_state"]) for t in rows)
    assert {p: n for p, n in pairs.items() if n > allocated.get(p, 0)} == {}
    assert {o for o, _ in pairs} == set(BENEFITTING) and len({d for _, d in pairs}) > 5
    assert {o for o, d in pairs if d == "DE"} <= {"IT", "EL"} and {o for o, d in pairs if d == "LU"} <= {"CY"}
    # a family is relocated together
    families: dict[str, set[str]] = {}
    for t in rows:
        if t["family_ref"]:
            families.setdefault(t["family_ref"], set()).add(t["destination_member_state"])
    assert families and all(len(d) == 1 for d in families.values())
    # the receiving side of each benefitting state's pledge page agrees
    for ms in BENEFITTING:
        rc = solidarity.pledge_page(world, SYSTEM, 2026, ms)["receives"]
        for r in rc["by_contributor"]:
            moved = r["transfers_done"] + r["transfers_pending"] + r["transfers_closed"]
            assert moved <= r["relocations_distributed"], (ms, r)
        assert sum(r["transfers_done"] + r["transfers_pending"] + r["transfers_closed"]
                   for r in rc["by_contributor"]) == sum(n for (o, _), n in pairs.items() if o == ms)

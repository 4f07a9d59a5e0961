"""The alternative measures a contributing state implements are not only those it pledged: the Council's act on
its deduction request may let it replace another pledged contribution by alternative measures (AMMR, read in
the Official Journal text, Italian version: the request says "se il contributo per il quale si è impegnato
possa essere sostituito da un diverso tipo di contributo di solidarietà", Art 62(2)(b); "il Consiglio adotta
un atto di esecuzione per stabilire se lo Stato membro sia autorizzato a derogare all'atto di esecuzione del
Consiglio di cui all'articolo 57", Art 62(5)).

QA on the demo world: the pool page's "Pledged so far" said EUR 1,712,090 of alternative measures while the
table of measures assigned listed, under "Pledged (EUR)", EUR 1,922,090: EE's EUR 210,000 came from the
replacement of its financial contribution, not from its pledge (EUR 0). The assignment refused beyond it said
"EE pledged EUR 210,000 of alternative measures". Now each figure is named for what it holds, the pool's
summary gives the same total, and the refusal says where the measures come from."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import ART_62_2, into_2027, new_cycle

API = "/api/v1/solidarity"
URL = f"{API}/cycles/2027/measure-assignments"
ACT = "Council Implementing Decision (EU) 2027/8"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
BASIS = f"{ACT}; Regulation (EU) 2024/1351, Article 62(2)(b) and (5)"
REFUSED = (
    "at most EUR 210,000: AT has EUR 210,000 of alternative measures to implement (EUR 0 pledged, "
    "EUR 210,000 by the replacement of its pledged financial contributions the Council granted: "
    f"{BASIS}), of which EUR 0 assigned already"
)


def _world(
    client: TestClient,
    auth_headers: H,
    *,
    at_pledge: dict[str, Any] | None = None,
    replacement: dict[str, Any] | None = None,
) -> dict[str, str]:
    """The 2027 pool in implementation: AT (facing a significant migratory situation) pledged EUR 1,000,000 of
    financial contributions and no alternative measure, DE EUR 400,000 of alternative measures; IT, under
    migratory pressure, requested EUR 900,000 of alternative measures. The Council's act on AT's request
    (Art 62) lets it replace EUR 210,000 of its money by alternative measures."""
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", AT="significant_migratory_situation", IT="under_pressure")
    for body in (
        {"member_state": "AT", "financial_eur": 1_000_000} | (at_pledge or {}),
        {"member_state": "DE", "alternative_eur": 400_000, "alternative_description": "caseworkers seconded"},
    ):
        r = client.post(f"{API}/cycles/2027/pledges", headers=com, json=body)
        assert r.status_code == 200, r.text
    need = {"member_state": "IT", "relocations": 100, "alternative_eur": 900_000}
    assert client.post(f"{API}/cycles/2027/needs", headers=com, json=need).status_code == 200
    for action, on in (("adopt", "2026-11-01"), ("start_implementation", "2027-01-04")):
        if action == "start_implementation":
            into_2027(client)
        version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
        body: dict[str, Any] = {"version": version, "on": on}
        if action == "adopt":
            body["council_act_reference"] = "CID 2026/1"
        r = client.post(f"{API}/cycles/2027/actions/{action}", headers=com, json=body)
        assert r.status_code == 200, r.text
    r = client.post(
        f"{API}/cycles/2027/deductions",
        headers=auth_headers("at-admin"),
        json={
            "on": "2027-01-04",
            "substantiation": ART_62_2,
            "relocations": 0,
            "replacement": replacement
            or {"of": "financial", "eur": 210_000, "by": "alternative", "description": "interpreters"},
        },
    )
    assert r.status_code == 201, r.text
    d = r.json()
    a = client.post(
        f"{API}/deductions/{d['id']}/assessment",
        headers=com,
        json={"version": d["version"], "justified": True, "on": "2027-01-04"},
    ).json()
    r = client.post(
        f"{API}/deductions/{d['id']}/decision",
        headers=com,
        json={"version": a["version"], "granted": True, "on": "2027-01-04", "council_act_reference": ACT},
    )
    assert r.status_code == 200, r.text
    return com


def test_the_assignments_say_pledged_by_replacement_and_to_implement(client: TestClient, auth_headers: H) -> None:
    com = _world(client, auth_headers)
    got = client.get(URL, headers=com).json()
    assert got["contributors"] == [
        {
            "member_state": "AT",
            "pledged_eur": 0,
            "replaced_eur": 0,
            "by_replacement_eur": 210_000,
            "to_implement_eur": 210_000,
            "assigned_eur": 0,
            "unassigned_eur": 210_000,
            "replacement_of": ["financial"],
            "replacement_legal_basis": [BASIS],
        },
        {
            "member_state": "DE",
            "pledged_eur": 400_000,
            "replaced_eur": 0,
            "by_replacement_eur": 0,
            "to_implement_eur": 400_000,
            "assigned_eur": 0,
            "unassigned_eur": 400_000,
            "replacement_of": [],
            "replacement_legal_basis": [],
        },
    ]
    assert got["contributor_totals"] == {
        "pledged_eur": 400_000,
        "replaced_eur": 0,
        "by_replacement_eur": 210_000,
        "to_implement_eur": 610_000,
        "assigned_eur": 0,
        "unassigned_eur": 610_000,
    }
    assert "To implement: pledged, less replaced, plus by replacement" in got["contributors_said"]
    # the pool's totals say the same: EUR 400,000 pledged, EUR 610,000 to implement
    totals = client.get(f"{API}/cycles/2027/overview", headers=com).json()["accounts"]["totals"]
    assert (totals["pledged_alternative_eur"], totals["to_implement_alternative_eur"]) == (400_000, 610_000)
    # a state reads its own row, and not the sums of the others
    own = client.get(URL, headers=auth_headers("at-admin")).json()
    assert [c["member_state"] for c in own["contributors"]] == ["AT"] and own["contributor_totals"] is None


def test_an_assignment_beyond_them_says_where_the_measures_come_from(client: TestClient, auth_headers: H) -> None:
    com = _world(client, auth_headers)
    r = client.post(
        URL, headers=com, json={"contributor_member_state": "AT", "beneficiary_member_state": "IT", "eur": 300_000}
    )
    assert r.status_code == 422
    assert [(d["loc"][-1], d["msg"]) for d in r.json()["detail"]] == [("eur", REFUSED)]
    # within them, it is recorded; a state without a replacement is said as before
    r = client.post(
        URL, headers=com, json={"contributor_member_state": "AT", "beneficiary_member_state": "IT", "eur": 210_000}
    )
    assert r.status_code == 201, r.text
    r = client.post(
        URL, headers=com, json={"contributor_member_state": "DE", "beneficiary_member_state": "IT", "eur": 400_001}
    )
    assert [d["msg"] for d in r.json()["detail"]] == [
        "at most EUR 400,000: DE pledged EUR 400,000 of alternative measures, of which EUR 0 assigned already"
    ]


def test_the_pool_page_says_one_total_and_names_its_columns(
    client: TestClient, auth_headers: H, web_client: W
) -> None:
    _world(client, auth_headers)
    page = unescape(re.sub(r"\s+", " ", web_client("com-solidarity").get("/solidarity?year=2027").text))
    summary = page.split('id="pledged-total">', 1)[1].split("</p>", 1)[0]
    assert "EUR 400,000 alternative measures" in summary
    assert "as pledged in the Council’s implementing act establishing the pool" in summary
    said = re.sub(r"<[^>]+>", "", summary.split('id="alternative-to-implement">', 1)[1])
    assert said.startswith(
        "Alternative measures to implement after the replacements the Council granted on deduction requests "
        "(Regulation (EU) 2024/1351, Articles 61(2)(b) and (4), 62(2)(b) and (5)): EUR 610,000 (EUR 400,000 "
        "pledged, plus EUR 210,000 replacing other pledged contributions, less EUR 0 replaced by other types): "
        "the total “To implement” of the alternative measures assigned below."
    )
    table = page.split('id="measures-unassigned">', 1)[1].split("</table>", 1)[0]
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", table.split("</thead>", 1)[0])
    assert heads == [
        "Contributing state",
        "Pledged (EUR)",
        "By replacement (EUR)",
        "Replaced (EUR)",
        "To implement (EUR, after replacements)",
        "Assigned (EUR)",
        "Not assigned yet (EUR)",
    ]

    def cells(row_id: str) -> list[str]:
        row = table.split(f'id="{row_id}">', 1)[1].split("</tr>", 1)[0]
        return re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)

    assert cells("measures-of-AT") == ["AT", "0", "210,000", "0", "210,000", "0", "210,000"]
    assert cells("measures-total") == ["Total", "400,000", "210,000", "0", "610,000", "0", "610,000"]
    note = page.split('id="measures-columns-said">', 1)[1].split("</p>", 1)[0]
    assert f"Replacements granted: AT ({BASIS})." in note


def test_pledged_measures_replaced_by_money_are_said_as_replaced(client: TestClient, auth_headers: H) -> None:
    """AT pledged EUR 200,000 of alternative measures; the Council lets it replace EUR 50,000 of them by money:
    EUR 150,000 to implement. Replaced whole, AT has none to assign."""
    at_measures = {"alternative_eur": 200_000, "alternative_description": "reception containers"}
    com = _world(client, auth_headers, at_pledge=at_measures,
                 replacement={"of": "alternative", "eur": 50_000, "by": "financial"})
    at = client.get(URL, headers=com).json()["contributors"][0]
    assert (at["member_state"], at["pledged_eur"], at["replaced_eur"], at["by_replacement_eur"]) == ("AT", 200_000,
                                                                                                    50_000, 0)
    assert (at["to_implement_eur"], at["replacement_of"], at["replacement_legal_basis"]) == (150_000, [], [BASIS])
    r = client.post(
        URL, headers=com, json={"contributor_member_state": "AT", "beneficiary_member_state": "IT", "eur": 150_001}
    )
    assert [d["msg"] for d in r.json()["detail"]] == [
        "at most EUR 150,000: AT has EUR 150,000 of alternative measures to implement (EUR 200,000 pledged, less "
        f"EUR 50,000 of them the Council allowed to be replaced by another type: {BASIS}), of which EUR 0 "
        "assigned already"
    ]


def test_measures_replaced_whole_leave_nothing_to_assign(client: TestClient, auth_headers: H) -> None:
    at_measures = {"alternative_eur": 200_000, "alternative_description": "reception containers"}
    com = _world(client, auth_headers, at_pledge=at_measures,
                 replacement={"of": "alternative", "eur": 200_000, "by": "financial"})
    assert [c["member_state"] for c in client.get(URL, headers=com).json()["contributors"]] == ["DE"]
    r = client.post(
        URL, headers=com, json={"contributor_member_state": "AT", "beneficiary_member_state": "IT", "eur": 1_000}
    )
    assert [(d["loc"][-1], d["msg"]) for d in r.json()["detail"]] == [
        (
            "contributor_member_state",
            "AT has no alternative solidarity measures to implement for 2027: the Council's act on its deduction "
            "request allowed the EUR 200,000 of alternative measures it pledged to be replaced by another type of "
            "contribution (Regulation (EU) 2024/1351, Articles 61(2)(b), 62(2)(b))",
        )
    ]


@pytest.fixture
def cli_env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    return tmp_path


def test_the_command_line_says_the_same(client: TestClient, auth_headers: H, cli_env: Path) -> None:
    _world(client, auth_headers)
    runner = CliRunner()
    r = runner.invoke(app, ["solidarity", "measure-assignments", "2027"])
    assert r.exit_code == 0, r.output
    at = json.loads(r.output)["contributors"][0]
    assert (at["pledged_eur"], at["by_replacement_eur"], at["to_implement_eur"]) == (0, 210_000, 210_000)
    body = cli_env / "assign.json"
    body.write_text(json.dumps({"contributor_member_state": "AT", "beneficiary_member_state": "IT", "eur": 300_000}))
    r = runner.invoke(app, ["solidarity", "measure-assign", "2027", str(body)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert REFUSED in r.output

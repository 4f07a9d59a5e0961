"""A deduction request may ask for a pledged contribution of any type to be replaced by a different type
(AMMR Arts 61(2)(b), 62(2)(b), read in the Official Journal text, Italian version: "se il contributo per il
quale si è impegnato possa essere sostituito da un diverso tipo di contributo di solidarietà"; the text names
neither type). On the old code only pledged relocations could be replaced, by money or alternative measures:
``replacement.of`` and ``replacement.eur`` were refused as unknown fields, ``by: relocations`` was not a
choice, and a state that pledged money only was told "only pledged relocations can be replaced"."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import ART_62_2, errors, forms, new_cycle, notice, send

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
ACT = "Council Implementing Decision (EU) 2027/8"


def _world(client: TestClient, auth_headers: H) -> dict[str, str]:
    """The 2027 pool in implementation: AT (facing a significant migratory situation) pledged EUR 1,000,000 of
    financial contributions and EUR 200,000 of alternative measures, DE 300 relocations; IT is under migratory
    pressure with a need of 1,000 relocations."""
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", AT="significant_migratory_situation", IT="under_pressure")
    for body in (
        {
            "member_state": "AT",
            "financial_eur": 1_000_000,
            "alternative_eur": 200_000,
            "alternative_description": "reception containers",
        },
        {"member_state": "DE", "relocations": 300},
    ):
        assert client.post(f"{API}/cycles/2027/pledges", headers=com, json=body).status_code == 200
    assert (
        client.post(
            f"{API}/cycles/2027/needs", headers=com, json={"member_state": "IT", "relocations": 1000}
        ).status_code
        == 200
    )
    from tests.e2e.test_solidarity_web_actions import into_2027

    for action, on in (("adopt", "2026-11-01"), ("start_implementation", "2027-01-04")):
        if action == "start_implementation":
            into_2027(client)
        version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
        body: dict[str, Any] = {"version": version, "on": on}
        if action == "adopt":
            body["council_act_reference"] = "CID 2026/1"
        assert client.post(f"{API}/cycles/2027/actions/{action}", headers=com, json=body).status_code == 200
    return com


def _ask(client: TestClient, headers: dict[str, str], **body: object) -> Any:
    return client.post(
        f"{API}/cycles/2027/deductions",
        headers=headers,
        json={"on": "2027-01-04", "substantiation": ART_62_2, "relocations": 0} | body,
    )


def _decide(client: TestClient, com: dict[str, str], d: dict[str, Any], **grant: object) -> Any:
    a = client.post(
        f"{API}/deductions/{d['id']}/assessment",
        headers=com,
        json={"version": d["version"], "justified": True, "on": "2027-01-04"},
    ).json()
    return client.post(
        f"{API}/deductions/{d['id']}/decision",
        headers=com,
        json={"version": a["version"], "granted": True, "on": "2027-01-04", "council_act_reference": ACT}
        | grant,
    )


def _account(client: TestClient, com: dict[str, str], ms: str) -> dict[str, Any]:
    overview = client.get(f"{API}/cycles/2027/overview", headers=com).json()
    return next(s for s in overview["accounts"]["states"] if s["member_state"] == ms)


def test_pledged_money_replaced_by_alternative_measures_as_the_council_grants_it(
    client: TestClient, auth_headers: H
) -> None:
    com = _world(client, auth_headers)
    at = auth_headers("at-admin")
    r = _ask(
        client,
        at,
        replacement={
            "of": "financial",
            "eur": 400_000,
            "by": "alternative",
            "description": "Interpreters for the reception centres of IT",
        },
    )
    assert r.status_code == 201, r.text
    d = r.json()
    rp = d["replacement"]
    assert (rp["of"], rp["amount_eur"], rp["relocations"], rp["by"], rp["eur"]) == (
        "financial",
        400_000,
        None,
        "alternative",
        400_000,
    )
    assert rp["said"] == (
        "EUR 400,000 of pledged financial contributions replaced by alternative solidarity measures "
        "of EUR 400,000"
    )
    assert rp["legal_basis"][:3] == [
        "Regulation (EU) 2024/1351, Article 62(2)(b)",
        "Regulation (EU) 2024/1351, Article 56(2)",
        "Regulation (EU) 2024/1351, Article 56(2)(c)",
    ]
    # the Council's act grants EUR 300,000 of it: a partial grant, in EUR
    r = _decide(client, com, d, granted_replacement_eur=400_001)
    assert r.status_code == 422
    assert [(e["loc"][-1], e["msg"]) for e in r.json()["detail"]] == [
        (
            "granted_replacement_eur",
            "at most 400,000: AT asked for the replacement of EUR 400,000 of financial contributions",
        )
    ]
    d = client.get(f"{API}/cycles/2027/overview", headers=com).json()["deductions"][0]
    r = client.post(
        f"{API}/deductions/{d['id']}/decision",
        headers=com,
        json={
            "version": d["version"],
            "granted": True,
            "on": "2027-01-04",
            "council_act_reference": ACT,
            "granted_replacement_eur": 300_000,
        },
    )
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["partial_grant"] is True and done["replacement"]["granted_amount_eur"] == 300_000
    assert done["replacement"]["granted_said"] == (
        "EUR 300,000 of pledged financial contributions replaced by "
        "alternative solidarity measures of EUR 300,000"
    )
    account = _account(client, com, "AT")
    # the pledge of the Council's act establishing the pool stays; what AT implements changes
    assert (account["pledged_financial_eur"], account["pledged_alternative_eur"]) == (1_000_000, 200_000)
    assert account["replacement"] == {
        "relocations": 0,
        "replaced_financial_eur": 300_000,
        "replaced_alternative_eur": 0,
        "replacing_relocations": 0,
        "financial_eur": 0,
        "alternative_eur": 300_000,
        "relocations_after": 0,
        "financial_eur_after": 700_000,
        "alternative_eur_after": 500_000,
    }
    totals = client.get(f"{API}/cycles/2027/overview", headers=com).json()["accounts"]["totals"]
    assert (totals["replaced_financial_eur"], totals["replacement_alternative_eur"]) == (300_000, 300_000)
    csv = client.get(f"{API}/cycles/2027/overview.csv", headers=com).text.splitlines()
    row = dict(
        zip(csv[0].split(","), next(x for x in csv if x.startswith("2027,AT,")).split(","), strict=True)
    )
    assert (row["replaced_financial_eur"], row["replacement_alternative_eur"]) == ("300000", "300000")
    # AT pays what it implements and carries out the measures that replace the money
    version = client.get(f"{API}/cycles/2027/pledges/AT", headers=at).json()["pledge"]["version"]
    r = client.post(
        f"{API}/cycles/2027/pledges/AT/progress", headers=at, json={"version": version, "paid_eur": 700_001}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "paid_eur"
    r = client.post(
        f"{API}/cycles/2027/pledges/AT/progress",
        headers=at,
        json={"version": version, "paid_eur": 700_000, "alternative_done_eur": 500_000},
    )
    assert r.status_code == 200, r.text
    # a further request replaces at most the EUR 700,000 of money left
    r = _ask(
        client,
        at,
        replacement={"of": "financial", "eur": 700_001, "by": "alternative", "description": "more"},
    )
    assert r.status_code == 422
    assert [(e["loc"][-2:], e["msg"]) for e in r.json()["detail"]] == [
        (
            ["replacement", "eur"],
            "at most EUR 700,000: AT pledged EUR 1,000,000 of financial contributions, of which "
            "EUR 300,000 granted or asked to be replaced already",
        )
    ]


def test_pledged_measures_replaced_by_relocations_make_whole_relocations(
    client: TestClient, auth_headers: H
) -> None:
    com = _world(client, auth_headers)
    at = auth_headers("at-admin")
    r = _ask(client, at, replacement={"of": "alternative", "eur": 150_000, "by": "relocations"})
    assert r.status_code == 422
    assert [(e["loc"][-2:], e["msg"]) for e in r.json()["detail"]] == [
        (
            ["replacement", "eur"],
            "EUR 150,000 is not a whole number of relocations at EUR 20,000 each (Regulation (EU) "
            "2024/1351, Article 12(3)): replace EUR 140,000 or EUR 160,000",
        )
    ]
    # the same type, or the amount in the other unit: refused naming the field
    r = _ask(
        client,
        at,
        replacement={"of": "alternative", "relocations": 5, "by": "alternative", "description": "x"},
    )
    assert r.status_code == 422
    assert {tuple(e["loc"][-2:]) for e in r.json()["detail"]} == {
        ("replacement", "relocations"),
        ("replacement", "by"),
        ("replacement", "eur"),
    }
    r = _ask(client, at, replacement={"of": "alternative", "eur": 160_000, "by": "relocations"})
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["replacement"]["replacing_relocations"] == 8
    assert (
        d["replacement"]["said"]
        == "EUR 160,000 of pledged alternative solidarity measures replaced by 8 relocations"
    )
    assert _decide(client, com, d).status_code == 200
    account = _account(client, com, "AT")
    assert (account["replacement"]["relocations_after"], account["replacement"]["alternative_eur_after"]) == (
        8,
        40_000,
    )
    # the pool distributes AT's 8 relocations to IT, the only beneficiary
    dist = {x["member_state"]: x for x in client.get(f"{API}/cycles/2027/distribution", headers=com).json()}
    assert dist["AT"]["allocation"] == {"IT": 8}


def test_a_pledge_keeps_the_money_asked_to_be_replaced(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", AT="significant_migratory_situation", IT="under_pressure")
    assert (
        client.post(
            f"{API}/cycles/2027/pledges", headers=com, json={"member_state": "AT", "financial_eur": 500_000}
        ).status_code
        == 200
    )
    r = client.post(
        f"{API}/cycles/2027/deductions",
        headers=auth_headers("at-admin"),
        json={
            "on": "2026-11-20",
            "substantiation": ART_62_2,
            "relocations": 0,
            "replacement": {"of": "financial", "eur": 200_000, "by": "relocations"},
        },
    )
    assert r.status_code == 201, r.text
    version = client.get(f"{API}/cycles/2027/pledges/AT", headers=com).json()["pledge"]["version"]
    r = client.post(
        f"{API}/cycles/2027/pledges",
        headers=com,
        json={"member_state": "AT", "financial_eur": 100_000, "version": version},
    )
    assert r.status_code == 422
    assert [(e["loc"][-1], e["msg"]) for e in r.json()["detail"]] == [
        (
            "financial_eur",
            "at least EUR 200,000: AT's deduction requests ask, or the Council's act allowed, to replace "
            "EUR 200,000 of its pledged financial contributions by another type of contribution "
            "(Regulation (EU) 2024/1351, Articles 61(2)(b), 62(2)(b))",
        )
    ]


def test_the_pages_take_a_replacement_of_money(client: TestClient, auth_headers: H, web_client: W) -> None:
    com_h = _world(client, auth_headers)
    at = web_client("at-admin")
    html = at.get("/solidarity/pledge?year=2027").text
    # before: the fieldset was offered only to a state that pledged relocations
    assert 'id="replacement-fieldset"' in html and 'name="replacement_of"' in html
    typed = {
        "relocations": "0",
        "on": "2027-01-04",
        **ART_62_2,
        "replacement_of": "financial",
        "replacement_by": "relocations",
    }
    status, page = send(at, html, "deduction-form", **typed, replacement_eur="30000")
    assert status == 422 and errors(page, "deduction-errors") == [
        "Pledged amount to replace (EUR): EUR 30,000 is not a whole number of relocations at EUR 20,000 each "
        "(Regulation (EU) 2024/1351, Article 12(3)): replace EUR 20,000 or EUR 40,000"
    ]
    assert forms(page)["deduction-form"][1]["replacement_eur"] == "30000"
    status, where = send(at, html, "deduction-form", **typed, replacement_eur="40000")
    assert status == 303, where
    assert notice(at.get(where).text) == (
        "Replacement of EUR 40,000 of pledged financial contributions by 2 relocations requested: the Commission "
        "assesses it by 2027-02-01. It is listed under \u201cDeductions\u201d below."
    )
    com = web_client("com-solidarity")
    pool = com.get("/solidarity?year=2027").text
    d = client.get(f"{API}/cycles/2027/overview", headers=com_h).json()["deductions"][0]
    status, where = send(com, pool, f"assessment-{d['id']}", on="2027-01-04", justified="yes")
    assert status == 303, where
    pool = com.get(where).text
    fields = forms(pool)[f"decision-{d['id']}"][1]
    assert fields["granted_replacement_eur"] == "40000" and "granted_replacement_relocations" not in fields
    status, where = send(
        com, pool, f"decision-{d['id']}", on="2027-01-04", granted="yes", council_act_reference=ACT
    )
    assert status == 303, where
    after = com.get(where).text
    accounts = after.split('<table id="accounts">', 1)[1].split("</table>", 1)[0]
    assert 'id="replaced-financial-AT">(EUR 40,000 replaced)' in accounts
    html = at.get("/solidarity/pledge?year=2027").text
    assert (
        "Replacement granted by the Council: <strong>EUR 40,000</strong> of the pledged financial contributions is "
        "replaced by 2 relocations"
    ) in html


@pytest.fixture
def env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    return tmp_path


def test_the_command_line_takes_a_replacement_of_measures(
    client: TestClient, auth_headers: H, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", AT="significant_migratory_situation", IT="under_pressure")
    assert (
        client.post(
            f"{API}/cycles/2027/pledges",
            headers=com,
            json={"member_state": "AT", "alternative_eur": 100_000, "alternative_description": "tents"},
        ).status_code
        == 200
    )
    monkeypatch.setenv("PACTUM_CLI_USER", "at-admin")
    runner = CliRunner()
    f = env / "d.json"
    f.write_text(
        json.dumps(
            {
                "relocations": 0,
                "on": "2026-11-20",
                "substantiation": ART_62_2,
                "replacement": {"of": "alternative", "eur": 100_001, "by": "financial"},
            }
        )
    )
    r = runner.invoke(app, ["solidarity", "deduction", "2027", str(f)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "replacement.eur" in r.output
    f.write_text(
        json.dumps(
            {
                "relocations": 0,
                "on": "2026-11-20",
                "substantiation": ART_62_2,
                "replacement": {"of": "alternative", "eur": 100_000, "by": "financial"},
            }
        )
    )
    r = runner.invoke(app, ["solidarity", "deduction", "2027", str(f)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["replacement"]["said"] == (
        "EUR 100,000 of pledged alternative solidarity measures replaced by financial contributions of EUR 100,000"
    )

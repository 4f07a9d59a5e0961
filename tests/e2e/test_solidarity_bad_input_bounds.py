"""Bad input the QA walk sent to the solidarity area, each answered with a 4xx naming the field and
nothing written: a pool year of 9999 (and a proposal of 0001-01-01); transfers imported with arrivals
in 9999 or matched in year 1, and the same person tracked twice; a need sent as {} erasing the need a
state recorded; progress beyond the pledge; progress on the pledge of a state benefitting from the
pool, which it does not implement (Art 58)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import into_2027, new_cycle
from tests.problem_paths import field_path

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]


def _says(r: object, field: str, text: str = "") -> bool:
    """Whether a 422 names ``field`` (as ``a[0].b``) with a message containing ``text``."""
    if r.status_code != 422:  # type: ignore[attr-defined]
        return False
    return any(field_path(p["loc"][1:]) == field and text in p["msg"]
               for p in r.json()["detail"])  # type: ignore[attr-defined]


# ------------------------------------------------------------------ the pool's year


@pytest.mark.parametrize("year", [2025, 2028, 3000, 5000, 9999])
def test_a_cycle_is_opened_for_2026_to_next_year_only(client: TestClient, auth_headers: H, year: int) -> None:
    com = auth_headers("com-solidarity")
    r = client.post(f"{API}/cycles", headers=com, json={"year": year, "proposal_on": "2026-11-20"})
    assert r.status_code == 422, r.text
    assert "year" in r.text and "use 2026 to 2027" in r.text  # the bounds are said (clock: 2026-11-28)
    assert client.get(f"{API}/cycles/{year}", headers=com).status_code == 404


def test_the_proposal_is_dated_from_the_year_before_the_pool(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    for on in ("0001-01-01", "2025-12-31"):
        r = client.post(f"{API}/cycles", headers=com, json={"year": 2027, "proposal_on": on})
        assert r.status_code == 422 and "proposal_on" in r.text and "2026-01-01" in r.text, r.text
    assert client.post(f"{API}/cycles", headers=com, json={"year": 2027, "proposal_on": "2026-10-15"}).status_code == 201


@pytest.mark.parametrize("year", [2025, 2028, 9999])
def test_fair_shares_are_asked_for_2026_to_next_year(client: TestClient, auth_headers: H, year: int) -> None:
    r = client.get(f"{API}/fair-shares", params={"year": year}, headers=auth_headers("com-analyst"))
    assert r.status_code == 422 and "year" in r.text and "use 2026 to 2027" in r.text, r.text
    assert "exists from 2026" not in r.text or year < 2026
    assert client.get(f"{API}/fair-shares", params={"year": 2027}, headers=auth_headers("com-analyst")).status_code == 200


# ------------------------------------------------------------------ transfers


def _transfer(ref: str = "T-1", **dates: str) -> dict[str, str]:
    return {"applicant_ref": ref, "origin_member_state": "IT", "destination_member_state": "FR",
            "matched_on": "2023-03-01"} | dates


@pytest.mark.parametrize(("field", "value", "said"), [
    ("arrived_on", "9999-12-31", "after today"), ("arrived_on", "2100-01-01", "after today"),
    ("matched_on", "9999-12-30", "after today"), ("matched_on", "0001-01-01", "too early"),
    ("transfer_decided_on", "9999-12-30", "after today"),
])
def test_an_imported_transfer_is_dated_when_it_happened(client: TestClient, auth_headers: H,
                                                         field: str, value: str, said: str) -> None:
    com = auth_headers("com-solidarity")
    stages = {"security_cleared_on": "2023-03-05", "accepted_on": "2023-03-10", "transfer_decided_on": "2023-03-15",
              "arrived_on": "2023-03-20"}
    t = _transfer() | stages | {field: value}
    if field == "transfer_decided_on":
        t.pop("arrived_on")
    r = client.post(f"{API}/transfers/import", headers=com, json={"transfers": [t]})
    assert _says(r, f"transfers[0].{field}", said) and "start" not in r.text, r.text
    assert client.get(f"{API}/transfers", headers=com).json()["transfers"] == []


def test_a_person_is_tracked_by_one_transfer(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    r = client.post(f"{API}/transfers/import", headers=com, json={"transfers": [_transfer(), _transfer()]})
    assert _says(r, "transfers[1].applicant_ref", "is already in transfers[0]"), r.text
    assert client.post(f"{API}/transfers/import", headers=com, json={"transfers": [_transfer()]}).status_code == 201
    tracked = client.get(f"{API}/transfers", headers=com).json()["transfers"]
    assert len(tracked) == 1
    for path in ("/transfers/import", "/transfers"):
        r = client.post(API + path, headers=com, json={"transfers": [_transfer("T-2"), _transfer()]})
        assert _says(r, "transfers[1].applicant_ref", f"already tracked by transfer {tracked[0]['id']}"), r.text
    assert len(client.get(f"{API}/transfers", headers=com).json()["transfers"]) == 1
    # the same reference from another state is another person
    other = _transfer() | {"origin_member_state": "EL"}
    assert client.post(f"{API}/transfers/import", headers=com, json={"transfers": [other]}).status_code == 201


def test_a_recorded_transfer_is_not_matched_in_year_one(client: TestClient, auth_headers: H) -> None:
    r = client.post(f"{API}/transfers", headers=auth_headers("com-solidarity"),
                    json={"transfers": [_transfer(matched_on="0001-01-01")]})
    assert _says(r, "transfers[0].matched_on", "too early"), r.text


# ------------------------------------------------------------------ needs


def _need_2027(client: TestClient, auth_headers: H) -> tuple[dict[str, str], dict[str, str]]:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    it = auth_headers("it-admin")
    r = client.post(f"{API}/cycles/2027/needs", headers=it,
                    json={"relocations": 5000, "financial_eur": 100_000_000, "sar": True})
    assert r.status_code == 200, r.text
    return com, it


def _need(client: TestClient, com: dict[str, str]) -> dict[str, object]:
    page = client.get(f"{API}/cycles/2027/pledges/IT", headers=com).json()
    need = page["receives"]["need"]
    return {k: need[k] for k in ("relocations", "financial_eur", "sar")}


def test_an_empty_need_erases_nothing(client: TestClient, auth_headers: H) -> None:
    com, it = _need_2027(client, auth_headers)
    r = client.post(f"{API}/cycles/2027/needs", headers=it, json={})
    assert r.status_code == 422 and "relocations" in r.text, r.text
    assert _need(client, com) == {"relocations": 5000, "financial_eur": 100_000_000, "sar": True}
    # a field left out keeps its recorded value: correcting the money keeps the relocations
    r = client.post(f"{API}/cycles/2027/needs", headers=it, json={"financial_eur": 80_000_000})
    assert r.status_code == 200, r.text
    assert _need(client, com) == {"relocations": 5000, "financial_eur": 80_000_000, "sar": True}


def test_the_cli_refuses_an_empty_need(services: Services, client: TestClient, auth_headers: H,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    com, _ = _need_2027(client, auth_headers)
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_CLI_USER", "it-admin")
    f = tmp_path / "need.json"
    f.write_text(json.dumps({}))
    r = CliRunner().invoke(app, ["solidarity", "need", "2027", str(f)])
    assert r.exit_code == 2 and "relocations" in r.output, r.output
    assert _need(client, com)["relocations"] == 5000


# ------------------------------------------------------------------ progress


def test_progress_does_not_exceed_the_pledge(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    de = auth_headers("de-admin")
    assert client.post(f"{API}/cycles/2027/pledges", headers=de,
                       json={"relocations": 100, "alternative_eur": 1_000_000,
                             "alternative_description": "Reception capacity in IT"}).status_code == 200
    for action in ("adopt", "start_implementation"):
        on = "2026-11-01"
        if action == "start_implementation":  # the 2027 pool is implemented in 2027
            into_2027(client)
            on = "2027-01-04"
        version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
        body = {"version": version, "on": on} | (
            {"council_act_reference": "Council Implementing Decision (EU) 2026/1"} if action == "adopt" else {})
        assert client.post(f"{API}/cycles/2027/actions/{action}", headers=com, json=body).status_code == 200
    version = client.get(f"{API}/cycles/2027/pledges/DE", headers=de).json()["pledge"]["version"]
    r = client.post(f"{API}/cycles/2027/pledges/DE/progress", headers=de,
                    json={"version": version, "paid_eur": 2_000_000_000})
    assert r.status_code == 422 and "paid_eur" in r.text and "EUR 0" in r.text, r.text
    r = client.post(f"{API}/cycles/2027/pledges/DE/progress", headers=de,
                    json={"version": version, "alternative_done_eur": 1_000_001})
    assert r.status_code == 422 and "alternative_done_eur" in r.text, r.text
    page = client.get(f"{API}/cycles/2027/pledges/DE", headers=de).json()["pledge"]
    assert (page["paid_eur"], page["alternative_done_eur"]) == (0, 0)
    r = client.post(f"{API}/cycles/2027/pledges/DE/progress", headers=de,
                    json={"version": version, "alternative_done_eur": 1_000_000})
    assert r.status_code == 200 and r.json()["pledge"]["alternative_done_eur"] == 1_000_000, r.text


def test_a_benefitting_state_records_no_progress_on_its_own_pledge(
        client: TestClient, auth_headers: H, web_client: Callable[[str], TestClient]) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    it = auth_headers("it-admin")
    assert client.post(f"{API}/cycles/2027/needs", headers=it, json={"relocations": 5000}).status_code == 200
    assert client.post(f"{API}/cycles/2027/pledges", headers=it, json={"financial_eur": 2_000_000}).status_code == 200
    for action in ("adopt", "start_implementation"):
        on = "2026-11-01"
        if action == "start_implementation":  # the 2027 pool is implemented in 2027
            into_2027(client)
            on = "2027-01-04"
        version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
        body = {"version": version, "on": on} | (
            {"council_act_reference": "Council Implementing Decision (EU) 2026/1"} if action == "adopt" else {})
        assert client.post(f"{API}/cycles/2027/actions/{action}", headers=com, json=body).status_code == 200
    html = web_client("it-admin").get("/solidarity/pledge?year=2027").text
    assert "progress-form" not in html
    version = client.get(f"{API}/cycles/2027/pledges/IT", headers=it).json()["pledge"]["version"]
    r = client.post(f"{API}/cycles/2027/pledges/IT/progress", headers=it, json={"version": version, "paid_eur": 1})
    assert r.status_code == 409 and "does not implement its own pledges" in r.text and "Article 60(3)" in r.text, r.text
    assert client.get(f"{API}/cycles/2027/pledges/IT", headers=it).json()["pledge"]["paid_eur"] == 0

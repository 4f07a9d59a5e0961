"""Only the Commission manages the Annual Solidarity Pool (AMMR Arts 11, 12, 57, 61) and records the
Union Resettlement and Humanitarian Admission Plans (Regulation (EU) 2024/1350, Art 8). The QA walk
found an administrator of any EU body acting as the Commission: a Frontex admin opened the 2031 cycle
(201). Administrators of eu-LISA, Frontex and the EUAA run the platform, not the pool: every write of
the Commission's is refused to them (403), and their pages offer none of its forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from pactum.scenario.steps.registry import DEMO_PASSWORD
from pactum.services import resettlement, solidarity
from pactum.services import users as users_service
from pactum.services.auth import SYSTEM, Role
from pactum.services.bootstrap import Services
from tests.conftest import principal_of
from tests.e2e.test_solidarity_web_actions import ART_62_2, new_cycle

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
EU_ADMINS = ("eu-admin", "frontex-admin", "euaa-admin")


@pytest.fixture
def eu_admins(services: Services) -> tuple[str, ...]:
    for username, authority in (("frontex-admin", "FRONTEX"), ("euaa-admin", "EUAA")):
        users_service.create_user(services, SYSTEM, users_service.UserCreate(
            username=username, full_name=f"Administrator ({authority})", authority=authority,
            roles=[Role.admin], password=DEMO_PASSWORD))
    return EU_ADMINS


def test_an_eu_bodys_administrator_does_not_act_as_the_commission_on_the_pool(
        services: Services, client: TestClient, auth_headers: H, eu_admins: tuple[str, ...]) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure", AT="significant_migratory_situation")
    at = auth_headers("at-admin")
    deduction = client.post(f"{API}/cycles/2027/deductions", headers=at,
                            json={"relocations": 10, "on": "2026-11-20", "substantiation": ART_62_2})
    assert deduction.status_code == 201, deduction.text
    d = deduction.json()
    version = client.get(f"{API}/cycles/2027", headers=com).json()["version"]
    writes = [
        ("/cycles", {"year": 2031, "proposal_on": "2026-11-20"}),
        ("/cycles/2027/actions/adopt", {"version": version, "on": "2026-11-20",
                                         "council_act_reference": "Council Implementing Decision (EU) 2026/9"}),
        (f"/deductions/{d['id']}/assessment", {"version": d["version"], "justified": True, "on": "2026-11-21"}),
        (f"/deductions/{d['id']}/decision", {"version": d["version"], "granted": True, "on": "2026-11-21",
                                              "council_act_reference": "Council Implementing Decision (EU) 2026/9"}),
        ("/cycles/2027/needs", {"member_state": "IT", "relocations": 10}),
        ("/cycles/2027/pledges", {"member_state": "FR", "relocations": 10}),
        ("/cycles/2027/deductions", {"member_state": "AT", "relocations": 10, "on": "2026-11-20"}),
        ("/cycles/2027/beneficiary-agreements", {"contributor_member_state": "FR", "beneficiary_member_state": "IT",
                                                 "agreed_on": "2026-11-20"}),
        ("/transfers", {"transfers": [{"applicant_ref": "A-1", "origin_member_state": "IT",
                                       "destination_member_state": "FR", "matched_on": "2026-11-20"}]}),
        ("/transfers/import", {"transfers": [{"applicant_ref": "A-1", "origin_member_state": "IT",
                                              "destination_member_state": "FR", "matched_on": "2026-11-20"}]}),
    ]
    for username in eu_admins:
        headers = auth_headers(username)
        for path, body in writes:
            r = client.post(API + path, headers=headers, json=body)
            assert r.status_code == 403, (username, path, r.status_code, r.text)
        r = client.post(f"{API}/cycles/2027/key-figures?reference_year=2025&source=Eurostat",
                        headers=headers | {"Content-Type": "text/csv"}, content="member_state,population,gdp_meur\n")
        assert r.status_code == 403, (username, r.text)
        assert not solidarity.manages_pool(principal_of(services, username))
    # nothing was written: no 2031 cycle, the 2027 one still at pledging, the deduction still requested
    assert client.get(f"{API}/cycles/2031", headers=com).status_code == 404
    assert client.get(f"{API}/cycles/2027", headers=com).json()["status"] == "pledging"
    # the Commission's coordinator still does it all
    r = client.post(f"{API}/cycles/2027/actions/adopt", headers=com, json=writes[1][1])
    assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
    assert solidarity.manages_pool(principal_of(services, "com-solidarity"))
    assert solidarity.manages_pool(SYSTEM)  # the local operator (CLI without PACTUM_CLI_USER, demo build)


def test_the_pool_page_offers_an_eu_administrator_no_commission_form(
        services: Services, client: TestClient, auth_headers: H, web_client: Callable[[str], TestClient],
        eu_admins: tuple[str, ...]) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    html = web_client("eu-admin").get("/solidarity?year=2027").text
    assert "cycle-create-form" not in html
    assert "/solidarity/cycles/2027/actions/" not in html
    assert "cycle-create-form" in web_client("com-solidarity").get("/solidarity?year=2027").text


def test_only_the_commission_records_and_closes_resettlement_plans(
        services: Services, client: TestClient, auth_headers: H, eu_admins: tuple[str, ...]) -> None:
    for username in eu_admins:
        assert not resettlement.manages_plans(principal_of(services, username))
        r = client.post("/api/v1/resettlement/load", headers=auth_headers(username))
        assert r.status_code == 403, (username, r.text)
    r = client.post("/api/v1/resettlement/load", headers=auth_headers("com-solidarity"))
    assert r.status_code == 200, r.text
    key = r.json()["created"][0]
    plan = client.get(f"/api/v1/resettlement/plans/{key}", headers=auth_headers("com-solidarity")).json()
    for username in eu_admins:
        r = client.post(f"/api/v1/resettlement/plans/{key}/close", headers=auth_headers(username),
                        json={"version": plan["version"]})
        assert r.status_code == 403, (username, r.text)
    assert resettlement.manages_plans(SYSTEM)

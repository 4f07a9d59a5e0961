"""Responsibility offsets (AMMR Arts 63, 69) through the API and the CLI service: a contributing
state takes over applications of persons on its territory for which a benefitting state is
responsible, and the responsible Member State of each Dublin case changes with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from pactum.responsibility.schemas import CaseCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log
from tests.problem_paths import problem_fields as _locs

H = Callable[[str], dict[str, str]]
P = Callable[[str], Principal]
API = "/api/v1/solidarity"


def _adopted_pool(client: TestClient, auth_headers: H, pledges: dict[str, int]) -> None:
    """The 2026 pool: CY, EL, IT, ES under pressure; the Commission proposes 30,000 relocations (Art 63(1)
    measures the pledges against the proposal's number) and the Council fixes 21,000."""
    com = auth_headers("com-solidarity")
    r = client.post(f"{API}/cycles", headers=com, json={
        "year": 2026, "proposal_on": "2025-11-11", "pool_relocations": 30000, "pool_financial_eur": 600_000_000,
        "designations": [{"member_state": s, "status": "under_pressure"} for s in ("CY", "EL", "IT", "ES")]})
    assert r.status_code == 201, r.text
    c = client.post(f"{API}/cycles/2026/actions/open_pledging", headers=com,
                    json={"version": r.json()["version"], "on": "2025-11-20"}).json()
    for ms, n in pledges.items():
        body: dict[str, Any] = {"relocations": n}
        if n == 0:
            body["financial_eur"] = 20_000_000
        r = client.post(f"{API}/cycles/2026/pledges", headers=auth_headers(f"{ms.lower()}-admin"), json=body)
        assert r.status_code == 200, r.text
    c = client.post(f"{API}/cycles/2026/actions/adopt", headers=com, json={
        "version": c["version"], "on": "2025-12-19", "council_act_reference": "Council Implementing Decision (EU) 2025/2642",
        "pool_relocations": 21000, "pool_financial_eur": 420_000_000})
    assert c.status_code == 200, c.text


def _case(services: Services, who: Principal, ref: str, registered_on: str, *, entered_in: str = "IT") -> dict:
    """An applicant who crossed into ``entered_in`` irregularly and then applied where ``who`` works:
    ``entered_in`` is responsible under the irregular-entry criterion (AMMR Art 33(1))."""
    ms = who.member_state
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad",
        "facts": {"application": {"registered_in": ms, "registered_on": registered_on},
                  "entries": [{"kind": "irregular_crossing", "member_state": entered_in, "on": "2026-08-01"}]}}))


# DE 4,555 + FR 3,361 + NL 2,500 + BE 2,200 + PL 2,400 + SE 15,000 = 30,016 relocations pledged = 100.1% of
# the 30,000 of the Commission's proposal: requests are open (>= 50%, Art 63(1)); not below the 30,000 of
# Art 12(2)(a) (Art 63(3)(a)) nor below 60% of the 21,000 the Council fixed (Art 63(3)(b)): offsets are not
# mandatory. (Until 1 December 2026 the scenario had no SE: its 15,016 relocations, below 30,000, make
# offsets mandatory under Art 63(3)(a), tests/e2e/test_solidarity_offsets_mandatory_minimum.py.)
VOLUNTARY = {"DE": 4555, "FR": 3361, "NL": 2500, "BE": 2200, "PL": 2400, "SE": 15000, "AT": 0}


def test_germany_takes_over_italian_cases_of_persons_in_germany_instead_of_relocating(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    de_cw = principal("de-caseworker")
    old = _case(services, de_cw, "DE-OFF-1", "2026-10-01")
    mid = _case(services, de_cw, "DE-OFF-2", "2026-10-15")
    new = _case(services, de_cw, "DE-OFF-3", "2026-11-01")
    fr_case = _case(services, principal("fr-caseworker"), "FR-OFF-1", "2026-10-20")
    assert old["determination"]["responsible_member_state"] == "IT"

    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    assert view["regime"]["requests_open"] is True and view["regime"]["mandatory"] is False
    assert view["regime"]["relocation_pledges"] == 30016
    assert "Article 63" in view["regime"]["trace"][0]["legal_basis"][0]
    assert view["benefitting_states"] == ["CY", "EL", "ES", "IT"]
    eligible = {(e["beneficiary_member_state"], e["contributor_member_state"]): e["applications"]
                for e in view["eligible_applications"]}
    assert eligible[("IT", "DE")] == 3 and eligible[("IT", "FR")] == 1
    de_row = next(s for s in view["contributors"] if s["member_state"] == "DE")
    # instead of relocation: up to the relocations pledged and not carried out
    assert de_row["may_volunteer"] is True and de_row["limit"] == 4555 and de_row["mandatory_obligation"] == 0

    de = auth_headers("de-admin")
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "count": 2, "on": "2026-11-28"})
    assert r.status_code == 201, r.text
    body = r.json()
    # the applications registered longest ago go first
    assert [t["reference"] for t in body["taken_over"]] == ["DE-OFF-1", "DE-OFF-2"]
    assert body["mandatory"] is False
    assert body["legal_basis"] == ["Regulation (EU) 2024/1351, Article 63(1)", "Regulation (EU) 2024/1351, Article 69"]

    # the Dublin case now names Germany responsible, with the reason at the end of its explanation
    case = responsibility.get_case(services, de_cw, old["id"])
    assert case["determination"]["responsible_member_state"] == "DE"
    step = case["determination"]["trace"][-1]
    assert step["rule"] == "responsibility_offset" and step["facts"]["previously_responsible"] == "IT"
    assert "Regulation (EU) 2024/1351, Article 69" in case["determination"]["legal_basis"]
    assert responsibility.get_case(services, de_cw, new["id"])["determination"]["responsible_member_state"] == "IT"
    with services.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.entity_id).where(
            audit_log.c.action == "solidarity.offset.take_over")).scalars().all()
    assert sorted(audited) == sorted([old["id"], mid["id"]])

    # Germany cannot take over a person who is in France, nor the same application twice
    r = client.post(f"{API}/cycles/2026/offsets", headers=de, json={
        "beneficiary_member_state": "IT", "case_ids": [fr_case["id"], old["id"], new["id"]], "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == ["case_ids[0]", "case_ids[1]"]
    assert "present on its territory" in r.json()["detail"][0]["msg"]
    assert "already taken over" in r.json()["detail"][1]["msg"]
    assert responsibility.get_case(services, de_cw, new["id"])["determination"]["responsible_member_state"] == "IT"

    # only one application of a person in Germany is left for Italy
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "count": 2, "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == ["count"] and "only 1" in r.json()["detail"][0]["msg"]

    view = client.get(f"{API}/cycles/2026/offsets", headers=de).json()
    assert [s["member_state"] for s in view["contributors"]] == ["DE"]
    assert view["contributors"][0]["taken_over"] == 2 and view["contributors"][0]["remaining"] == 4553
    assert {t["case_reference"] for t in view["taken_over"]} == {"DE-OFF-1", "DE-OFF-2"}
    # France sees none of Germany's take-overs
    assert client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("fr-admin")).json()["taken_over"] == []


def test_a_state_that_pledged_only_money_cannot_volunteer_offsets_when_they_are_not_mandatory(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    _case(services, principal("at-caseworker"), "AT-OFF-1", "2026-10-01")
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("at-admin"),
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2026-11-28"})
    assert r.status_code == 409
    assert "not carried out" in r.text or "may not" in r.text


def test_offsets_are_mandatory_when_relocation_pledges_are_below_60_percent(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    # only Germany pledges relocations: 4,555 of 21,000 = 21.7%, below 50% and 60%
    _adopted_pool(client, auth_headers, {"DE": 4555, "AT": 0})
    at_cases = [_case(services, principal("at-caseworker"), f"AT-M-{i}", f"2026-10-{i + 1:02d}") for i in range(3)]
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    assert view["regime"]["requests_open"] is False and view["regime"]["mandatory"] is True
    fair = client.get(f"{API}/fair-shares", params={"year": 2026}, headers=auth_headers("com-analyst")).json()
    fs = {s["member_state"]: s["fair_share_relocations"] for s in fair["states"]}
    rows = {s["member_state"]: s for s in view["contributors"]}
    # Austria pledged money only: it must take over up to its whole fair share
    assert rows["AT"]["mandatory_obligation"] == fs["AT"] and rows["AT"]["may_volunteer"] is False
    # Germany: the part of its fair share not pledged as relocations
    assert rows["DE"]["mandatory_obligation"] == max(fs["DE"] - 4555, 0)
    # the benefitting states take over nothing
    assert not {"CY", "EL", "ES", "IT"} & set(rows)
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity"), json={
        "beneficiary_member_state": "IT", "contributor_member_state": "AT",
        "case_ids": [c["id"] for c in at_cases], "on": "2026-11-28"})
    assert r.status_code == 201, r.text
    assert r.json()["mandatory"] is True
    assert "Regulation (EU) 2024/1351, Article 63(3)(b)" in r.json()["legal_basis"]  # the 60% threshold
    for c in at_cases:
        case = responsibility.get_case(services, principal("at-caseworker"), c["id"])
        assert case["determination"]["responsible_member_state"] == "AT"
        assert case["determination"]["trace"][-1]["facts"]["mandatory"] is True


def test_bad_take_over_requests_name_the_field(client: TestClient, auth_headers: H) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    de = auth_headers("de-admin")
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "count": 0, "on": "2026-05-01"})
    assert r.status_code == 422 and _locs(r) == ["count", "on"]
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "FR", "count": 1, "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == ["beneficiary_member_state"]
    assert "not a benefitting state" in r.text
    # a German user cannot take over for France
    r = client.post(f"{API}/cycles/2026/offsets", headers=de, json={
        "beneficiary_member_state": "IT", "contributor_member_state": "FR", "count": 1, "on": "2026-11-28"})
    assert r.status_code == 403


def test_offsets_on_the_pool_page_and_the_take_over_form_on_a_states_pledge_page(
        client: TestClient, auth_headers: H, principal: P, services: Services,
        web_client: Callable[[str], TestClient]) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    case = _case(services, principal("de-caseworker"), "DE-WEB-1", "2026-10-01")
    pool = web_client("com-solidarity").get("/solidarity?year=2026").text
    assert 'id="offsets"' in pool and "benefitting states may ask for offsets" in pool
    assert 'id="offsets-mandatory"' not in pool
    de = web_client("de-admin")
    page = de.get("/solidarity/pledge?year=2026").text
    assert 'id="offset-form"' in page
    bad = de.post("/solidarity/offsets", data={"year": "2026", "beneficiary_member_state": "IT", "count": "5",
                                               "on": "2026-11-28"})
    assert bad.status_code == 422 and "only 1 application" in bad.text
    ok = de.post("/solidarity/offsets", data={"year": "2026", "beneficiary_member_state": "IT", "count": "1",
                                              "on": "2026-11-28"}, follow_redirects=False)
    assert ok.status_code == 303
    page = de.get("/solidarity/pledge?year=2026").text
    assert "DE-WEB-1" in page.split('id="offset-taken"', 1)[1]
    assert responsibility.get_case(services, principal("de-caseworker"), case["id"])[
        "determination"]["responsible_member_state"] == "DE"
    # France has no form to take over for Germany and sees no German take-over
    fr = web_client("fr-admin").get("/solidarity/pledge?year=2026").text
    assert "DE-WEB-1" not in fr


def test_the_offsets_regime_of_a_pool_not_adopted_says_it_is_not_settled(client: TestClient, auth_headers: H) -> None:
    """While pledges are made the API answered `mandatory: true` from the pledges so far, as if settled:
    it is settled on the pledges of the Council's act (AMMR Arts 57, 63(1), (3)); the answer now says so."""
    com = auth_headers("com-solidarity")
    r = client.post(f"{API}/cycles", headers=com, json={
        "year": 2026, "proposal_on": "2025-11-11", "pool_relocations": 30000, "pool_financial_eur": 600_000_000,
        "designations": [{"member_state": s, "status": "under_pressure"} for s in ("CY", "EL", "IT", "ES")]})
    assert r.status_code == 201, r.text
    assert client.post(f"{API}/cycles/2026/actions/open_pledging", headers=com,
                       json={"version": r.json()["version"], "on": "2025-11-20"}).status_code == 200
    view = client.get(f"{API}/cycles/2026/offsets", headers=com).json()
    assert view["cycle_status"] == "pledging" and view["regime_settled"] is False
    assert "not adopted yet" in view["regime_note"] and "Articles 57 and 63(1), (3)" in view["regime_note"]


def test_the_offsets_regime_of_an_adopted_pool_is_settled(client: TestClient, auth_headers: H) -> None:
    _adopted_pool(client, auth_headers, {"DE": 4555, "FR": 3361})
    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    assert (view["regime_settled"], view["regime_note"]) == (True, None)

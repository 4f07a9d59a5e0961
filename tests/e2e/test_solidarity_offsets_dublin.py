"""Responsibility offsets and the Dublin procedure agree (AMMR Arts 63, 69): an application is taken
over only while the benefitting state is responsible for it and no Dublin request runs on it, only
under the AMMR, and once taken over the case's "responsible now" names the contributing state from
the day of the take-over, with the offset's legal basis."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

try:
    from .test_solidarity_offsets import API, VOLUNTARY, _adopted_pool, _locs
except ImportError:  # tests/e2e is not a package
    from test_solidarity_offsets import API, VOLUNTARY, _adopted_pool, _locs  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
P = Callable[[str], Principal]


def _case(services: Services, who: Principal, ref: str, registered_on: str, entered_on: str) -> dict[str, Any]:
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad",
        "facts": {"application": {"registered_in": "DE", "registered_on": registered_on},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": entered_on}]}}))


def _send(services: Services, de: Principal, case_id: str) -> dict[str, Any]:
    return responsibility.send_request(services, de, case_id, RequestCreate.model_validate(
        {"kind": "take_charge", "requested_member_state": "IT"}))


def test_no_take_over_while_a_dublin_request_runs_nor_of_a_dublin_iii_case_nor_once_responsibility_moved(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    de_unit, it_unit = principal("de-dublin"), principal("it-dublin")
    pending = _case(services, de_unit, "DE-RUN-1", "2026-10-05", "2026-08-01")
    _send(services, de_unit, pending["id"])
    accepted = _case(services, de_unit, "DE-RUN-2", "2026-10-06", "2026-08-01")
    req = _send(services, de_unit, accepted["id"])
    responsibility.act(services, it_unit, req["id"], "accept", RequestAction(version=req["version"]))
    # registered before the AMMR applies: determined under Regulation (EU) No 604/2013
    d3 = _case(services, de_unit, "DE-D3-1", "2026-05-04", "2026-04-01")
    assert d3["determination"]["regime"] == "dublin_iii"
    # no take-charge request within two months of the registration: DE is responsible (Art 39(1))
    lapsed = _case(services, de_unit, "DE-LATE-1", "2026-09-01", "2026-08-01")
    assert responsibility.get_case(services, de_unit, lapsed["id"])["responsible_now"]["member_state"] == "DE"
    free = _case(services, de_unit, "DE-FREE-1", "2026-11-02", "2026-08-01")

    view = client.get(f"{API}/cycles/2026/offsets", headers=auth_headers("com-solidarity")).json()
    eligible = {(e["beneficiary_member_state"], e["contributor_member_state"]): e["applications"]
                for e in view["eligible_applications"]}
    assert eligible[("IT", "DE")] == 1  # only DE-FREE-1

    de = auth_headers("de-admin")
    ids = [pending["id"], accepted["id"], d3["id"], lapsed["id"]]
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "case_ids": ids, "on": "2026-11-28"})
    assert r.status_code == 422 and _locs(r) == [f"case_ids[{i}]" for i in range(4)], r.text
    msgs = [d["msg"] for d in r.json()["detail"]]
    assert "Dublin procedure is running" in msgs[0] and "awaiting reply" in msgs[0]
    assert "Dublin procedure is running" in msgs[1] and "accepted" in msgs[1]
    assert "Regulation (EU) No 604/2013" in msgs[2] and "Art 84(2)" in msgs[2]
    assert "no longer responsible" in msgs[3]
    for c in (pending, accepted):  # nothing changed
        assert responsibility.get_case(services, de_unit, c["id"])["determination"]["responsible_member_state"] == "IT"
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "count": 2, "on": "2026-11-28"})
    assert r.status_code == 422 and "only 1 application" in r.text
    # the take-over is dated: not before the application was registered, not in the future
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "case_ids": [free["id"]], "on": "2026-11-01"})
    assert r.status_code == 422 and _locs(r) == ["on"]
    r = client.post(f"{API}/cycles/2026/offsets", headers=de,
                    json={"beneficiary_member_state": "IT", "case_ids": [free["id"]], "on": "2026-11-29"})
    assert r.status_code == 422 and _locs(r) == ["on"]


def test_a_case_taken_over_names_the_contributing_state_responsible_now_from_the_take_over_date(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    de_unit = principal("de-dublin")
    case = _case(services, de_unit, "DE-TAKE-1", "2026-11-02", "2026-08-01")
    before = responsibility.get_case(services, de_unit, case["id"])["responsible_now"]
    assert before["member_state"] == "IT"
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2026-11-20"})
    assert r.status_code == 201, r.text
    got = client.get(f"/api/v1/responsibility/cases/{case['id']}", headers=auth_headers("de-dublin")).json()
    now = got["responsible_now"]
    assert now["member_state"] == "DE" and now["rule"] == "responsibility_offset"
    assert now["since"] == "2026-11-20" and now["shifted"] is True
    assert now["legal_basis"] == ["Regulation (EU) 2024/1351, Article 63(1)", "Regulation (EU) 2024/1351, Article 69"]
    assert "took over the examination from IT" in now["reason"]
    assert got["determination"]["responsible_member_state"] == "DE"
    step = got["determination"]["trace"][-1]
    # the step is dated on the take-over, not on the start of the cycle (12 June 2026)
    assert step["rule"] == "responsibility_offset" and step["facts"]["on"] == "2026-11-20"
    listed = client.get("/api/v1/responsibility/cases", headers=auth_headers("de-dublin")).json()
    row = next(c for c in (listed["items"] if isinstance(listed, dict) else listed) if c["id"] == case["id"])
    assert row["responsible_now"]["member_state"] == "DE"
    # no take-charge request lies any more: Germany examines the application
    r = client.post(f"/api/v1/responsibility/cases/{case['id']}/requests", headers=auth_headers("de-dublin"),
                    json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 409 and "responsibility offset" in r.text

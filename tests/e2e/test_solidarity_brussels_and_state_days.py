"""The days the solidarity area still took from UTC: the Commission's matching page and the transfers it records,
the fair shares' reference year the Commission loads, and whether a state's agreement to receive beneficiaries is
in force today. The Commission's coordinator acts for the Union on Brussels's day; a state's agreement is dated,
and is in force, on the state's day (its capital's clock), as the rest of the area already reads it. At 22:30 UTC
on 1 September 2026 it is already 2 September in Brussels and Berlin (CEST); at 23:30 UTC on 31 December 2026 it
is 2027 in Brussels. On the old code each of these said UTC's day."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.test_solidarity_beneficiary_agreements import _beneficiary, pool  # noqa: F401
from tests.e2e.test_solidarity_web_actions import new_cycle

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]


def _at(client: TestClient, when: datetime) -> None:
    client.app.state.services.clock.set(when)  # type: ignore[attr-defined]


def test_an_agreement_is_in_force_on_the_states_day_and_matched_on_brussels_day(
    pool: TestClient, auth_headers: H, web_client: W  # noqa: F811
) -> None:
    com, de = auth_headers("com-solidarity"), auth_headers("de-admin")
    _at(pool, datetime(2026, 9, 1, 22, 30, tzinfo=UTC))
    r = pool.post(f"{API}/cycles/2026/beneficiary-agreements", headers=de,
                  json={"beneficiary_member_state": "IT", "agreed_on": "2026-09-02"})
    assert r.status_code == 201, r.text
    assert r.json()["in_force"] is True  # agreed today in Berlin
    listed = pool.get(f"{API}/cycles/2026/beneficiary-agreements", headers=com).json()
    assert [(a["contributor_member_state"], a["in_force"]) for a in listed] == [("DE", True)]
    page: Any = pool.get(f"{API}/cycles/2026/pledges/DE", headers=de).json()
    assert [a["in_force"] for a in page["beneficiary_agreements"]] == [True]
    # the Commission's matching day is Brussels's: DE receives IT's beneficiaries today
    caps = pool.get(f"{API}/cycles/2026/matching-capacities", params={"beneficiary": "IT"}, headers=com).json()
    assert [(c["member_state"], c["accepts_beneficiaries"]) for c in caps["capacities"]] == [("DE", True)]
    form = web_client("com-solidarity").get("/solidarity/matching?year=2026").text
    assert re.search(r'name="on" value="2026-09-02"', form)
    # ... a matching of that day is recorded; one of the next day is in the future, said in Brussels's terms
    url = f"{API}/transfers"
    r = pool.post(url, params={"year": 2026}, headers=com, json={"transfers": [_beneficiary("B1", "2026-09-02")]})
    assert r.status_code == 201, r.text
    r = pool.post(url, params={"year": 2026}, headers=com, json={"transfers": [_beneficiary("B2", "2026-09-03")]})
    assert r.status_code == 422
    assert [(d["loc"][-1], d["msg"]) for d in r.json()["detail"]] == [
        ("matched_on", "a matching cannot be recorded for a future date (today is 2026-09-02 in Brussels)")
    ]


def test_the_reference_year_the_commission_loads_is_brussels_year(
    client: TestClient, auth_headers: H, web_client: W
) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="proposal")
    _at(client, datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    page = web_client("com-solidarity").get("/solidarity/fair-shares?year=2027").text
    form = page.split('id="key-figures-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="reference_year" type="number" min="2000" max="2027"' in form
    # figures of 2028 for the 2029 pool: 2028 has not begun, even in Brussels
    r = client.post(f"{API}/cycles/2029/key-figures", params={"reference_year": 2028, "source": "Eurostat"},
                    headers=com | {"content-type": "text/csv"}, content="member_state,population,gdp_meur\n")
    assert r.status_code == 422
    assert ("reference_year", "2028 is after this year (2027 in Brussels): no figures exist for it yet") in [
        (d["loc"][-1], d["msg"]) for d in r.json()["detail"]
    ]
    # figures of 2027 are this year's in Brussels: the year is not refused (the 2029 cycle is not there)
    r = client.post(f"{API}/cycles/2029/key-figures", params={"reference_year": 2027, "source": "Eurostat"},
                    headers=com | {"content-type": "text/csv"}, content="member_state,population,gdp_meur\n")
    assert "reference_year" not in {d["loc"][-1] for d in r.json().get("detail", [])}

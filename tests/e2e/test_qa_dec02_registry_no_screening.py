"""QA walk of 2 December: the person's page of an arrival in Mayotte on 26 November 2026 said "No
screening (encounter before the Screening Regulation applied)", which is false: the Regulation
applies since 12 June 2026; it does not apply there, outside the Schengen area (CISA Art 138). The
page now says why there is none, and still says the date where that is the reason."""

from __future__ import annotations

import copy
from typing import Any

MAYOTTE: dict[str, Any] = {
    "identity": {"given_names": "Ali", "surname": "Soilihi", "sex": "M", "date_of_birth": "1998-03-02",
                 "nationality": "COM"},
    "encounter": {"member_state": "FR", "occurred_at": "2026-11-25T21:30:00Z", "kind": "irregular_crossing",
                  "place": "Mamoudzou", "region": "FR-976"},
}


def _screening_line(page: str) -> str:
    return page.split('id="no-screening">', 1)[1].split("</p>", 1)[0]


def test_an_arrival_in_mayotte_says_no_screening_there_not_before_the_regulation(
        client, auth_headers, web_client) -> None:
    body = client.post("/api/v1/registry/arrivals", json=MAYOTTE, headers=auth_headers("fr-caseworker"))
    assert body.status_code == 201, body.text
    page = web_client("fr-caseworker").get(f"/registry/persons/{body.json()['person_id']}").text
    assert "before the Screening Regulation applied" not in page
    assert _screening_line(page) == ("No screening: the Screening Regulation does not apply in Mayotte, "
                                     "outside the Schengen area (see the encounter).")


def test_an_arrival_in_paris_before_the_pact_still_says_before_the_regulation(
        client, auth_headers, web_client) -> None:
    data = copy.deepcopy(MAYOTTE)
    data["encounter"].update(occurred_at="2026-03-02T10:00:00Z", place="Paris")
    del data["encounter"]["region"]
    body = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("fr-caseworker"))
    assert body.status_code == 201, body.text
    page = web_client("fr-caseworker").get(f"/registry/persons/{body.json()['person_id']}").text
    assert _screening_line(page) == "No screening (encounter before the Screening Regulation applied)."

"""A person's cases in one place: the person page lists their asylum applications, Dublin cases and
return decisions, each for the officers whose roles read that area, and the API narrows each
area's list to one person (``?person_id=``)."""

from __future__ import annotations

from tests.e2e.test_registry_api import ARRIVAL
from tests.e2e.test_responsibility_support import EXAMPLE


def _person_with_cases(client, auth_headers) -> dict[str, str]:  # type: ignore[no-untyped-def]
    it = auth_headers("de-caseworker")
    arrival = {**ARRIVAL, "encounter": {**ARRIVAL["encounter"], "member_state": "DE"}}
    person_id = client.post("/api/v1/registry/arrivals", json=arrival, headers=it).json()["person_id"]
    other = client.post("/api/v1/registry/arrivals", json={
        **arrival, "identity": {**ARRIVAL["identity"], "surname": "Someone-Else"}}, headers=it).json()["person_id"]
    # the return decision first: a person whose application is pending has the right to remain
    # (APR Art 10(1)); an application made after a return decision is examined all the same
    decision = client.post("/api/v1/returns/decisions", headers=auth_headers("de-return"), json={
        "person_id": person_id, "issued_on": "2026-11-25"})
    assert decision.status_code == 201, decision.text
    case = client.post("/api/v1/procedures/applications", headers=it, json={
        "person_id": person_id, "made_on": "2026-11-26", "registered_on": "2026-11-26",
        "context": "in_territory"})
    assert case.status_code == 201, case.text
    client.post("/api/v1/procedures/applications", headers=it, json={
        "person_id": other, "made_on": "2026-11-26", "registered_on": "2026-11-26", "context": "in_territory"})
    dublin = client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"), json={
        "reference": "DE-DUB-7", "person_id": person_id, "facts": EXAMPLE})
    assert dublin.status_code == 201, dublin.text
    return {"person": person_id, "other": other, "case": case.json()["id"], "dublin": dublin.json()["id"],
            "decision": decision.json()["id"]}


def test_each_areas_list_narrows_to_one_person(client, auth_headers):
    ids = _person_with_cases(client, auth_headers)
    cases = client.get("/api/v1/procedures/applications", params={"person_id": ids["person"]},
                       headers=auth_headers("de-caseworker")).json()
    assert [c["id"] for c in cases] == [ids["case"]] and cases[0]["state"]
    dublin = client.get("/api/v1/responsibility/cases", params={"person_id": ids["person"]},
                        headers=auth_headers("de-dublin")).json()
    assert [c["id"] for c in dublin] == [ids["dublin"]] and dublin[0]["person_id"] == ids["person"]
    decisions = client.get("/api/v1/returns/decisions", params={"person_id": ids["person"]},
                           headers=auth_headers("de-return")).json()
    assert [d["id"] for d in decisions] == [ids["decision"]]
    assert client.get("/api/v1/returns/decisions", params={"person_id": ids["other"]},
                      headers=auth_headers("de-return")).json() == []
    # another state's officer sees none of them
    assert client.get("/api/v1/procedures/applications", params={"person_id": ids["person"]},
                      headers=auth_headers("it-caseworker")).json() == []


def test_the_person_page_lists_the_cases_each_officer_reads(client, auth_headers, web_client):
    ids = _person_with_cases(client, auth_headers)
    page = web_client("de-caseworker").get(f"/registry/persons/{ids['person']}").text
    assert 'id="cases"' in page
    assert f'href="/procedures/cases/{ids["case"]}"' in page
    assert f'href="/responsibility/cases/{ids["dublin"]}"' in page and "DE-DUB-7" in page
    assert f'href="/returns/decisions/{ids["decision"]}"' in page
    # the Dublin case's regime and criterion in the responsibility pages' words, not codes
    row = page.split(f'href="/responsibility/cases/{ids["dublin"]}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>AMMR</td><td>IT</td><td>irregular entry across an external border</td>" in row
    assert "irregular_entry" not in row
    # the other person's application is not listed as this person's own; the registration linked the
    # two records white (the same identity data and biometrics but for the surname), so it is listed
    # as an application of the same person under another record
    other = web_client("de-caseworker").get(f"/registry/persons/{ids['other']}").text
    own, _, same_person = other.partition('id="same-person-cases"')
    assert f'href="/procedures/cases/{ids["case"]}"' not in own and "No Dublin case." in other
    assert f'href="/procedures/cases/{ids["case"]}"' in same_person
    # a return officer does not read Dublin cases: that list is left out, not refused
    returns_officer = web_client("de-return").get(f"/registry/persons/{ids['person']}")
    assert returns_officer.status_code == 200
    assert "<h3>Dublin cases</h3>" not in returns_officer.text
    assert f'href="/returns/decisions/{ids["decision"]}"' in returns_officer.text


def test_the_case_names_its_applicant(client, auth_headers, web_client):
    ids = _person_with_cases(client, auth_headers)
    case = client.get(f"/api/v1/procedures/applications/{ids['case']}", headers=auth_headers("de-caseworker")).json()
    assert case["person_name"] == "Mohammed Haddad"  # the Latin script of the name registered in Arabic
    page = web_client("de-caseworker").get(f"/procedures/cases/{ids['case']}").text
    assert f"<h1>{case['person_name']}: asylum case" in page
    assert f'<a href="/registry/persons/{ids["person"]}">{case["person_name"]}</a>' in page

"""Found on the daily walk of the Greek caseworker: the arrival form and the screening form kept
answers the officer never gave.

- An encounter's route is counted by its Frontex name ("Eastern Mediterranean Route") in the
  arrivals by route; a route sent spelt otherwise ("eastern_mediterranean", by the API or a forged
  form) was stored and counted as a route of its own. It is refused, naming the route.
- A screening answer other than yes, no or blank (``cooperated=maybe``) was saved as "no": the
  person was recorded as not having cooperated (Screening Reg. (EU) 2024/1356 Art 9). It is refused,
  naming the point, and nothing is saved."""

from __future__ import annotations

import copy

from sqlalchemy import func, select

from pactum.store.tables.registry import encounters as E
from tests.e2e.test_registry_api import ARRIVAL


def _arrival(route: str) -> dict:
    data = copy.deepcopy(ARRIVAL)
    data["encounter"].update({"member_state": "EL", "place": "Lesvos", "route": route,
                              "kind": "irregular_crossing"})
    return data


def _encounters(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(E)).scalar()


def test_an_arrival_on_a_route_frontex_does_not_name_is_refused_naming_the_route(client, auth_headers, services):
    before = _encounters(services)
    r = client.post("/api/v1/registry/arrivals", json=_arrival("eastern_mediterranean"),
                    headers=auth_headers("el-caseworker"))
    assert r.status_code == 422, r.text
    assert "route" in r.text and "is not a Frontex migratory route" in r.text
    assert _encounters(services) == before
    ok = client.post("/api/v1/registry/arrivals", json=_arrival("Eastern Mediterranean Route"),
                     headers=auth_headers("el-caseworker"))
    assert ok.status_code == 201, ok.text


def test_the_arrival_form_refuses_an_unknown_route_and_keeps_what_was_typed(web_client, services):
    officer = web_client("el-caseworker")
    before = _encounters(services)
    r = officer.post("/registry/register", data={
        "surname": "Haddad", "given_names": "Omar", "sex": "M", "date_of_birth": "1999", "nationality": "SYR",
        "document_type": "passport", "kind": "irregular_crossing", "occurred_at": "2026-11-25T06:30",
        "place": "Lesvos", "route": "eastern_mediterranean"}, follow_redirects=False)
    assert r.status_code == 422
    assert "Route: &#39;eastern_mediterranean&#39; is not a Frontex migratory route" in r.text
    assert 'value="Lesvos"' in r.text and 'value="Haddad"' in r.text
    assert _encounters(services) == before


def _screening(client, auth_headers) -> str:
    r = client.post("/api/v1/registry/arrivals", json=_arrival("Eastern Mediterranean Route"),
                    headers=auth_headers("el-caseworker"))
    assert r.status_code == 201, r.text
    return r.json()["screening"]["id"]


def test_a_screening_answer_that_is_neither_yes_nor_no_is_refused_not_saved_as_no(client, auth_headers,
                                                                                   web_client):
    sid = _screening(client, auth_headers)
    officer = web_client("el-caseworker")
    r = officer.post(f"/registry/screenings/{sid}", data={
        "version": "1", "languages": "Arabic", "applied_for_protection": "yes", "database_hit": "no",
        "cooperated": "maybe", "outcome": ""}, follow_redirects=False)
    assert r.status_code == 422
    assert 'aria-invalid="true"' in r.text and "Cooperated" in r.text
    saved = client.get(f"/api/v1/registry/screenings/{sid}", headers=auth_headers("el-caseworker")).json()
    assert saved["cooperated"] is None and saved["languages"] is None and saved["version"] == 1
    # yes and no are read as they are
    ok = officer.post(f"/registry/screenings/{sid}", data={
        "version": "1", "applied_for_protection": "yes", "database_hit": "no", "cooperated": "no",
        "outcome": ""}, follow_redirects=False)
    assert ok.status_code == 303
    saved = client.get(f"/api/v1/registry/screenings/{sid}", headers=auth_headers("el-caseworker")).json()
    assert (saved["applied_for_protection"], saved["database_hit"], saved["cooperated"]) == (True, False, False)


def test_point_c_of_the_screening_form_starts_as_the_encounter_kind_in_words(client, auth_headers, web_client,
                                                                             services):
    sid = _screening(client, auth_headers)
    saved = client.get(f"/api/v1/registry/screenings/{sid}", headers=auth_headers("el-caseworker")).json()
    assert saved["reason"] == "irregular crossing"
    # a screening stored with the code before: the form says it in words too
    from pactum.store.tables.registry import screenings as S
    with services.engine.begin() as conn:
        conn.execute(S.update().where(S.c.id == sid).values(reason="sar_disembarkation"))
    page = web_client("el-caseworker").get(f"/registry/screenings/{sid}").text
    assert 'name="reason" value="SAR disembarkation"' in page and "sar_disembarkation" not in page

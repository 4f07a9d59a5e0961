"""Registrations a lawyer follows end to end (QA walk of the demo world): the regime and the
screening deadline by the day where the encounter happened, the Eurodac storage end without the
working-day extension, and the articles the biometric data are taken under, once each."""

from __future__ import annotations

import copy
from datetime import date

from sqlalchemy import select

from pactum.store.tables.registry import eurodac_records

ARRIVAL = {
    "identity": {"given_names": "Amina", "surname": "Bakari", "sex": "F", "date_of_birth": "1999-02-14",
                 "nationality": "ERI"},
    "encounter": {"member_state": "IT", "occurred_at": "2026-06-12T01:30:00+02:00",
                  "kind": "sar_disembarkation", "place": "Lampedusa"},
    "biometrics": {"template_ref": "tpl-amina", "captured_at": "2026-06-12T03:00:00+02:00"},
}


def _register(client, auth_headers, data, user="it-caseworker"):
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    return r.json()


def test_a_disembarkation_in_the_night_of_12_june_is_under_the_pact(client, auth_headers):
    body = _register(client, auth_headers, ARRIVAL)  # 23:30 UTC on 11 June, 01:30 on 12 June in Italy
    assert body["regime"] == "pact"
    assert body["eurodac"]["category"] == "sar"
    s = body["screening"]
    assert s is not None and s["variant"] == "border"
    # 7 days from 12 June end with 19 June where the screening runs: 23:59:59 in Rome
    assert s["deadline_at"] == "2026-06-19T21:59:59Z"
    assert s["deadline_local"] == "2026-06-19T23:59:59+02:00"
    assert s["time_zone"] == "Europe/Rome"


def test_the_same_moment_given_in_utc_is_read_on_the_states_clock(client, auth_headers):
    data = copy.deepcopy(ARRIVAL)
    data["encounter"]["occurred_at"] = "2026-06-11T23:30:00Z"
    data["biometrics"]["captured_at"] = "2026-06-12T01:00:00Z"
    body = _register(client, auth_headers, data)
    assert body["regime"] == "pact" and body["screening"] is not None
    # the evening before in Rome is still before the Pact
    data["encounter"]["occurred_at"] = "2026-06-11T21:30:00Z"
    data["biometrics"]["captured_at"] = "2026-06-11T21:45:00Z"
    body = _register(client, auth_headers, data)
    assert body["regime"] == "pre_pact" and body["screening"] is None
    assert body["eurodac"]["category"] == "irregular_crossing"


def test_the_screening_page_and_the_due_list_give_the_deadline_on_the_states_clock(
        client, auth_headers, web_client):
    data = copy.deepcopy(ARRIVAL)
    data["encounter"]["occurred_at"] = "2026-11-25T06:30:00Z"
    data["biometrics"] = {}
    body = _register(client, auth_headers, data)
    screening_id = body["screening"]["id"]
    page = web_client("it-caseworker").get(f"/registry/screenings/{screening_id}")
    assert page.status_code == 200
    assert "2026-12-02 23:59 Europe/Rome time (2026-12-02 22:59 UTC)" in page.text
    due = client.get("/api/v1/registry/screenings/due", headers=auth_headers("it-caseworker")).json()
    mine = next(d for d in due if d["id"] == screening_id)
    assert mine["deadline_local"] == "2026-12-02T23:59:59+01:00" and mine["time_zone"] == "Europe/Rome"
    person = web_client("it-caseworker").get(f"/registry/persons/{body['person_id']}")
    assert "deadline 2026-12-02 23:59 Europe/Rome time" in person.text


def test_a_storage_period_ending_on_a_sunday_ends_that_sunday(client, auth_headers, services):
    data = copy.deepcopy(ARRIVAL)
    data["encounter"].update(occurred_at="2026-07-20T10:00:00Z", kind="irregular_crossing")
    data["biometrics"] = {"captured_at": "2026-07-20T11:00:00Z"}
    body = _register(client, auth_headers, data)
    assert body["eurodac"]["retention_until"] == "2031-07-20"  # a Sunday: 5 years (Art 29), no Monday
    assert not any("3(4)" in ref for ref in body["eurodac"]["legal_basis"])
    with services.engine.connect() as conn:
        stored = conn.execute(select(eurodac_records.c.retention_until).where(
            eurodac_records.c.id == body["eurodac"]["id"])).scalar()
    assert stored == date(2031, 7, 20)


def test_each_kind_of_person_cites_its_own_article_once(client, auth_headers):
    def basis(occurred, kind, captured):
        data = copy.deepcopy(ARRIVAL)
        data["encounter"].update(occurred_at=occurred, kind=kind)
        data["biometrics"] = {"captured_at": captured}
        return _register(client, auth_headers, data)["biometrics"]

    crossing = basis("2026-07-10T10:00:00Z", "irregular_crossing", "2026-07-10T11:00:00Z")["legal_basis"]
    assert crossing[:2] == ["Regulation (EU) 2024/1358, Article 22(1)", "Regulation (EU) 2024/1358, Article 22(2)"]
    assert not any("Article 15" in ref for ref in crossing)
    stay = basis("2026-07-10T10:00:00Z", "illegal_stay", "2026-07-10T11:00:00Z")["legal_basis"]
    assert stay[:2] == ["Regulation (EU) 2024/1358, Article 23(1)", "Regulation (EU) 2024/1358, Article 23(2)"]
    old_crossing = basis("2026-05-10T10:00:00Z", "irregular_crossing", "2026-05-10T11:00:00Z")["legal_basis"]
    assert old_crossing[:2] == ["Regulation (EU) No 603/2013, Article 14(1)",
                                "Regulation (EU) No 603/2013, Article 14(2)"]
    assert not any("Article 9" in ref for ref in old_crossing)
    old_applicant = basis("2026-05-10T10:00:00Z", "border_crossing_point_application",
                          "2026-05-10T11:00:00Z")["legal_basis"]
    assert old_applicant.count("Regulation (EU) No 603/2013, Article 9(1)") == 1
    # an illegal stay before the recast: fingerprints only checked (Art 17(1)), nothing stored, no limit
    old_stay = basis("2026-05-10T10:00:00Z", "illegal_stay", "2026-05-10T11:00:00Z")
    assert old_stay["legal_basis"] == ["Regulation (EU) No 603/2013, Article 17(1)"]
    assert old_stay["transmission_deadline"] is None


def test_a_childs_year_of_birth_that_may_make_them_six_takes_no_biometrics(client, auth_headers):
    data = copy.deepcopy(ARRIVAL)
    data["identity"]["date_of_birth"] = "2020"  # 5 or 6 on 10 July 2026: counted as under 6
    data["encounter"].update(member_state="EL", occurred_at="2026-07-10T10:00:00Z", kind="irregular_crossing",
                             place="Evros")
    data["biometrics"] = {"captured_at": "2026-07-10T11:00:00Z"}
    body = _register(client, auth_headers, data, user="el-caseworker")
    assert body["biometrics"]["required"] is False and body["eurodac"] is None
    # nothing goes to Eurodac, so no transmission limit is counted or cited
    assert body["biometrics"]["transmission_deadline"] is None
    assert body["biometrics"]["legal_basis"] == ["Regulation (EU) 2024/1358, Article 22(1)",
                                                 "Regulation (EU) 2024/1358, Article 14(1)"]
    data["identity"]["date_of_birth"] = "2020-06"  # 6 whatever the day
    body = _register(client, auth_headers, data, user="el-caseworker")
    assert body["biometrics"]["required"] is True and body["eurodac"]["category"] == "irregular_crossing"

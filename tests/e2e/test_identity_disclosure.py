"""What another Member State's officer may learn of a state's records through the identity search,
and what is logged when they do.

- The Eurodac comparison made for an applicant's record reaches other states' entry records
  (irregular crossing, search-and-rescue disembarkation, illegal stay: Reg. (EU) 2024/1358 Art
  27(1); category 2 under Reg. 603/2013 Art 9(3)): the hit Dublin III Art 13(1) and AMMR Art 33
  rest on. A name search is no comparison and does not reach them.
- Erased Eurodac data (Art 29) are never disclosed to another state, by name or by biometrics,
  whether the erased Eurodac record still names its identity record or not.
- Another state's record is returned only from the disclosure floor (a match probability of
  0.01), and only returned records are logged as disclosed: a page that lists nothing discloses
  nothing and makes no return alert "disclosed".
- Each disclosure of another state's Eurodac data is logged with its purpose (Art 41).
- A beneficiary of international protection's Eurodac mark (Art 31) travels with the record.
- Another state's entry ban (SIS refusal of entry, Reg. (EU) 2018/1861 Art 24(1)(b)) is found by
  caseworkers and return officers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from pactum.identity import components
from pactum.identity.biometrics import SyntheticBiometrics
from pactum.services import identity, registry
from pactum.services.auth import SYSTEM
from pactum.store.tables.identity import biometric_templates, identity_links, identity_search_keys
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records

API = "/api/v1/identity"


def arrival(ms: str, kind: str, given: str, surname: str, dob: str, *, nationality: str = "MLI",
            on: str = "2026-11-20", sex: str = "M", place: str = "Bamako") -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "sex": sex, "date_of_birth": dob,
                         "nationality": nationality, "place_of_birth": place},
            "encounter": {"member_state": ms, "occurred_at": f"{on}T06:30:00Z", "kind": kind, "place": "border"},
            "biometrics": {"captured_at": f"{on}T09:00:00Z", "transmitted_at": f"{on}T10:00:00Z"}}


def register(client, auth_headers, user: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Register an arrival through the API and give the record its search keys, as the
    registration page (or the ``identity_index`` job) does."""
    r = client.post("/api/v1/registry/arrivals", json=payload, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    services = client.app.state.services
    with services.uow() as uow:
        identity.index_record(uow.conn, r.json()["identity_record_id"])
        uow.commit()
    return r.json()


def search(client, auth_headers, user: str, **body: Any) -> dict[str, Any]:
    r = client.post(f"{API}/search", json=body, headers=auth_headers(user))
    assert r.status_code == 200, r.text
    return r.json()


def candidates(client, auth_headers, user: str, record_id: str) -> list[dict[str, Any]]:
    r = client.post(f"{API}/records/{record_id}/candidates", headers=auth_headers(user))
    assert r.status_code == 200, r.text
    return list(r.json())


def audit(services, action: str) -> list[Any]:
    with services.engine.connect() as conn:
        return list(conn.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq)))


MOUSSA = {"given_names": "Moussa", "surname": "Traore", "date_of_birth": "2000-02-02", "nationality": "MLI"}


# ------------------------------------------------------------------ 1. the Eurodac comparison


def test_an_applicants_registration_finds_another_states_irregular_crossing(client, auth_headers, services):
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "irregular_crossing", "Moussa", "Traore", "2000-02-02", on="2026-10-01"))
    # a name search is no Eurodac comparison: Italy's category-2 record is not returned to it
    found = search(client, auth_headers, "de-caseworker", **MOUSSA)
    assert it["identity_record_id"] not in {c["identity_record_id"] for c in found["candidates"]}
    # Germany registers the person as an applicant: the comparison of the applicant's data reaches
    # Italy's irregular crossing (Reg. 2024/1358 Art 27(1)), and a link waits for Germany's verification
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Mousa", "Traore", "2000-02-02", on="2026-11-25"))
    cands = candidates(client, auth_headers, "de-caseworker", de["identity_record_id"])
    hit = next(c for c in cands if c["identity_record_id"] == it["identity_record_id"])
    assert hit["component"] == "eurodac" and hit["member_state"] == "IT"
    assert hit["eurodac"]["category"] == "irregular_crossing" and hit["match_probability"] > 0.9
    assert hit["link"]["colour"] == "yellow" and hit["link"]["status"] == "pending"
    # the disclosure is logged with the comparison and its legal basis
    logged = [a for a in audit(services, identity.DISCLOSED_EURODAC) if a.entity_id == hit["eurodac"]["eurodac_record_id"]]
    assert len(logged) == 1 and logged[0].authority == "DE"
    assert logged[0].after["purpose"] == "eurodac_comparison"
    assert logged[0].after["compared_record_id"] == de["identity_record_id"]
    assert logged[0].after["legal_basis"] == "Regulation (EU) 2024/1358, Article 27(1)"
    # once Germany's Dublin unit verifies the link, the draft of the Dublin facts holds the entry
    # into Italy (AMMR Art 33(1))
    link = client.get(f"{API}/links/{hit['link']['id']}", headers=auth_headers("de-dublin")).json()
    assert link["records"]["linked_record"]["category"] == "irregular_crossing"
    ok = client.post(f"{API}/links/{link['id']}/decision", headers=auth_headers("de-dublin"),
                     json={"colour": "white", "reason": "same person, fingerprints compared", "version": link["version"]})
    assert ok.status_code == 200, ok.text
    facts = client.get(f"/api/v1/responsibility/persons/{de['person_id']}/facts", headers=auth_headers("de-dublin"))
    assert facts.status_code == 200, facts.text
    assert {"kind": "irregular_crossing", "member_state": "IT", "on": "2026-10-01"} in facts.json()["facts"]["entries"]


def test_the_registration_page_lists_the_eurodac_hit(client, auth_headers, web_client):
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "sar_disembarkation", "Moussa", "Traore", "2000-02-02", on="2026-10-01"))
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Moussa", "Traore", "2000-02-02", on="2026-11-25"))
    # registered through the API: the officer's "Search for matches" on the person's page compares it
    page = web_client("de-caseworker").post(f"/registry/persons/{de['person_id']}/matches",
                                            data={"record_id": de["identity_record_id"]})
    assert page.status_code == 200
    assert it["identity_record_id"] in page.text  # Italy's search-and-rescue record (Art 24)
    assert "No candidate matches" not in page.text


@pytest.mark.parametrize(("kind", "on", "found"), [
    ("sar_disembarkation", "2026-10-01", True),   # Art 24 data, compared under Art 27(1)
    ("illegal_stay", "2026-10-01", True),          # Art 23 data
    ("irregular_crossing", "2026-03-01", True),    # category 2 under Reg. 603/2013
    ("illegal_stay", "2026-03-01", False),         # Reg. 603/2013 stored no illegal stay
])
def test_what_the_applicants_comparison_reaches(client, auth_headers, kind, on, found):
    it = register(client, auth_headers, "it-caseworker", arrival("IT", kind, "Moussa", "Traore", "2000-02-02", on=on))
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Moussa", "Traore", "2000-02-02", on="2026-11-25"))
    ids = {c["identity_record_id"] for c in candidates(client, auth_headers, "de-caseworker", de["identity_record_id"])}
    assert (it["identity_record_id"] in ids) is found


def test_the_comparison_rules():
    # Reg. 2024/1358 Art 27(1): any category but resettlement, against all stored categories
    assert components.comparison_reach("applicant", "pact") >= {"irregular_crossing", "sar", "illegal_stay"}
    assert components.comparison_reach("irregular_crossing", "pact") >= {"applicant", "sar"}
    assert components.comparison_reach("union_resettlement", "pact") == frozenset()
    # Reg. 603/2013: category 1 against 1 and 2; category 2 against nothing; category 3 against 1
    assert components.comparison_reach("applicant", "pre_pact") == {"applicant", "irregular_crossing"}
    assert components.comparison_reach("irregular_crossing", "pre_pact") == frozenset()
    assert components.comparison_reach("illegal_stay", "pre_pact") == {"applicant"}
    # no Eurodac data (a child under the age of biometrics, erased data): no comparison
    assert components.record_reach(None, "pact") == components.SEARCH_REACH == {"applicant"}


# ------------------------------------------------------------------ 2. erased Eurodac data


@pytest.fixture
def italian_applicant(client, auth_headers, services) -> dict[str, Any]:
    """An Italian applicant with a template, found by Germany by name and by fingerprints, and
    linked to a German record by Germany's registration."""
    identity_index = __import__("pactum.services.identity.biometric_index", fromlist=["_INDEXES"])
    identity_index._INDEXES.clear()
    bio = SyntheticBiometrics(seed=11)
    person = bio.person(1)
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "in_territory_application", "Amadou", "Diallo", "1990-04-04", nationality="GIN"))
    r = client.post(f"{API}/templates", headers=auth_headers("it-caseworker"),
                    json={"identity_record_id": it["identity_record_id"], "vector": bio.captures(person[None, :], 1)[0].tolist()})
    assert r.status_code == 201, r.text
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Amadou", "Diallo", "1990-04-04", nationality="GIN",
                          on="2026-11-25"))
    cands = candidates(client, auth_headers, "de-caseworker", de["identity_record_id"])
    link = next(c["link"] for c in cands if c["identity_record_id"] == it["identity_record_id"])
    return {"it": it, "de": de, "probe": bio.captures(person[None, :], 2)[0].tolist(), "link": link}


def _found(client, auth_headers, user: str, record_id: str, probe: list[float]) -> tuple[bool, bool]:
    by_name = search(client, auth_headers, user, given_names="Amadou", surname="Diallo", date_of_birth="1990-04-04")
    r = client.post(f"{API}/biometric-search", headers=auth_headers(user), json={"vector": probe, "k": 5})
    assert r.status_code == 200, r.text
    return (record_id in {c["identity_record_id"] for c in by_name["candidates"]},
            record_id in {h["identity_record_id"] for h in r.json()})


def _expire(services, record_id: str) -> None:
    with services.uow() as uow:
        uow.conn.execute(update(eurodac_records).where(eurodac_records.c.identity_record_id == record_id)
                         .values(retention_until=date(2026, 11, 1)))
        uow.commit()


def test_erased_eurodac_data_are_not_disclosed_by_name_or_biometrics(client, auth_headers, services,
                                                                     italian_applicant):
    rid, probe = italian_applicant["it"]["identity_record_id"], italian_applicant["probe"]
    assert _found(client, auth_headers, "de-caseworker", rid, probe) == (True, True)
    _expire(services, rid)
    assert registry.apply_retention(services, SYSTEM, on=date(2026, 11, 28))["erased"] >= 1
    # however the erasure left the Eurodac record (here: no longer naming the identity record)
    assert _found(client, auth_headers, "de-caseworker", rid, probe) == (False, False)
    # Italy keeps its national record
    assert _found(client, auth_headers, "it-caseworker", rid, probe)[0]
    # the link Germany's registration made no longer shows Italy's identity data
    link = client.get(f"{API}/links/{italian_applicant['link']['id']}", headers=auth_headers("de-dublin")).json()
    linked = link["records"]["linked_record"]
    assert linked["withheld"] is True and linked["member_state"] == "IT"
    assert linked["surname"] is None and linked["date_of_birth"] is None


def test_an_erasure_that_keeps_the_record_and_deletes_the_templates(client, auth_headers, services, italian_applicant):
    rid, probe = italian_applicant["it"]["identity_record_id"], italian_applicant["probe"]
    with services.uow() as uow:  # erased as Art 29 asks: the Eurodac record kept as erased, templates deleted
        uow.conn.execute(update(eurodac_records).where(eurodac_records.c.identity_record_id == rid)
                         .values(erased_at=uow.now))
        assert identity.forget_eurodac_data(uow.conn, rid) == 1
        uow.commit()
    assert _found(client, auth_headers, "de-caseworker", rid, probe) == (False, False)
    # Italy's own search finds its national record by name, its fingerprints no longer
    assert _found(client, auth_headers, "it-caseworker", rid, probe) == (True, False)
    with services.engine.connect() as conn:
        assert conn.execute(select(biometric_templates).where(biometric_templates.c.identity_record_id == rid)).first() is None
        # other states' searches no longer reach its keys (Italy's own search still does)
        assert conn.execute(select(identity_search_keys.c.category).where(
            identity_search_keys.c.identity_record_id == rid)).scalar_one() is None


def test_erased_biometrics_are_not_returned_even_while_a_template_remains(client, auth_headers, services,
                                                                          italian_applicant):
    rid, probe = italian_applicant["it"]["identity_record_id"], italian_applicant["probe"]
    with services.uow() as uow:  # Eurodac data erased, the template left behind
        uow.conn.execute(update(eurodac_records).where(eurodac_records.c.identity_record_id == rid)
                         .values(erased_at=uow.now))
        uow.commit()
    assert _found(client, auth_headers, "it-caseworker", rid, probe) == (True, False)
    assert _found(client, auth_headers, "de-caseworker", rid, probe) == (False, False)


# ------------------------------------------------------------------ 3 and 4. floor and logging


def test_non_matching_records_of_other_states_are_neither_returned_nor_logged(client, auth_headers, services):
    # an Italian applicant and a French record under a return alert, namesakes by surname only,
    # born within two years of the person sought: in the search's blocks, scored, no match
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "in_territory_application", "Oumar", "Coulibaly", "2001-07-30", nationality="CIV",
                          place="Abidjan"))
    fr = register(client, auth_headers, "fr-caseworker",
                  arrival("FR", "irregular_crossing", "Fatoumata", "Coulibaly", "2004-12-12", sex="F"))
    r = client.post("/api/v1/returns/decisions", headers=auth_headers("fr-return"),
                    json={"person_id": fr["person_id"], "issued_on": "2026-11-25"})
    assert r.status_code == 201, r.text
    alert_id = r.json()["alert"]["id"]
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Ibrahim", "Coulibaly", "2003-05-17", on="2026-11-25"))
    before = {a: len(audit(services, a)) for a in (identity.DISCLOSED_ALERT, identity.DISCLOSED_EURODAC)}
    res = search(client, auth_headers, "de-caseworker", given_names="Ibrahim", surname="Coulibaly",
                 date_of_birth="2003-05-17", sex="M")
    others = [c for c in res["candidates"] if c["member_state"] != "DE"]
    assert others == [] and res["below_floor"] >= 2 and res["floor"] == components.DISCLOSURE_FLOOR
    cands = candidates(client, auth_headers, "de-caseworker", de["identity_record_id"])
    assert all(c["member_state"] == "DE" for c in cands), [(c["member_state"], c["match_probability"], c.get("link")) for c in cands]
    for action, n in before.items():
        assert len(audit(services, action)) == n, action
    with services.engine.connect() as conn:
        assert not identity.alert_disclosed_to(conn, alert_id, "DE")
    # a match is returned, and logged
    res = search(client, auth_headers, "de-caseworker", given_names="Oumar", surname="Coulibaly", date_of_birth="2001-07-30")
    hit = next(c for c in res["candidates"] if c["identity_record_id"] == it["identity_record_id"])
    assert hit["match_probability"] >= components.DISCLOSURE_FLOOR
    logged = audit(services, identity.DISCLOSED_EURODAC)[-1]
    assert (logged.entity_type, logged.entity_id) == ("eurodac_record", hit["eurodac"]["eurodac_record_id"])
    assert logged.authority == "DE" and logged.actor == "de-caseworker"
    assert logged.after["purpose"] == "identity_search" and logged.after["category"] == "applicant"


def test_every_eurodac_record_returned_is_logged_once_per_search(client, auth_headers, services):
    for ms in ("IT", "ES", "EL"):
        register(client, auth_headers, f"{ms.lower()}-caseworker",
                 arrival(ms, "in_territory_application", "Seydou", "Keita", "1995-09-09"))
    res = search(client, auth_headers, "de-caseworker", given_names="Seydou", surname="Keita", date_of_birth="1995-09-09")
    eurodac = [c for c in res["candidates"] if c["component"] == "eurodac"]
    assert len(eurodac) == 3
    logged = audit(services, identity.DISCLOSED_EURODAC)
    assert sorted(a.entity_id for a in logged) == sorted(c["eurodac"]["eurodac_record_id"] for c in eurodac)


def test_a_caller_that_shows_only_return_alerts_discloses_only_them(client, auth_headers, services, principal):
    """The returns area's alert search shows the return alerts a search finds: asking for them
    only, it is given (and logged as disclosed) nothing else."""
    from pactum.identity.schemas import SearchQuery

    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "in_territory_application", "Seydou", "Keita", "1995-09-09"))
    fr = register(client, auth_headers, "fr-caseworker",
                  arrival("FR", "irregular_crossing", "Seydou", "Keita", "1995-09-09"))
    r = client.post("/api/v1/returns/decisions", headers=auth_headers("fr-return"),
                    json={"person_id": fr["person_id"], "issued_on": "2026-11-25"})
    assert r.status_code == 201, r.text
    query = SearchQuery(given_names="Seydou", surname="Keita", date_of_birth="1995-09-09")
    res = identity.search(services, principal("de-return"), query, only=frozenset({"sis_return_alert"}))
    assert [c["identity_record_id"] for c in res["candidates"]] == [fr["identity_record_id"]]
    assert audit(services, identity.DISCLOSED_EURODAC) == [] and len(audit(services, identity.DISCLOSED_ALERT)) == 1
    everything = identity.search(services, principal("de-return"), query)
    assert {c["identity_record_id"] for c in everything["candidates"]} == {it["identity_record_id"], fr["identity_record_id"]}


# ------------------------------------------------------------------ 5. the mark of protection


def test_another_states_grant_of_protection_travels_with_the_record(client, auth_headers, services, web_client,
                                                                    principal):
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "in_territory_application", "Aminata", "Sangare", "1994-06-06", sex="F"))
    officer = principal("it-caseworker")
    with services.uow() as uow:
        registry.mark_protection_granted(uow, officer, person_id=it["person_id"],
                                         granted_on=date(2026, 11, 27))
        uow.commit()
    res = search(client, auth_headers, "de-caseworker", given_names="Aminata", surname="Sangare",
                 date_of_birth="1994-06-06", sex="F")
    hit = next(c for c in res["candidates"] if c["identity_record_id"] == it["identity_record_id"])
    assert hit["eurodac"]["marked_at"] is not None and hit["record"]["marked_at"] == hit["eurodac"]["marked_at"]
    assert audit(services, identity.DISCLOSED_EURODAC)[-1].after["marked_at"] == hit["eurodac"]["marked_at"]
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Aminata", "Sangare", "1994-06-06", sex="F", on="2026-11-25"))
    link = next(c["link"] for c in candidates(client, auth_headers, "de-caseworker", de["identity_record_id"])
                if c["identity_record_id"] == it["identity_record_id"])
    page = web_client("de-dublin").get(f"/identity/links/{link['id']}")
    assert page.status_code == 200
    assert "Beneficiary of international protection in IT (Eurodac mark of 2026-11-28)" in page.text
    queue = web_client("de-dublin").get("/identity/queue").text
    assert "beneficiary of international protection in IT" in queue


# ------------------------------------------------------------------ 6. entry bans


def test_another_states_entry_ban_is_found_by_caseworkers_and_return_officers(client, auth_headers, services):
    fr = register(client, auth_headers, "fr-caseworker",
                  arrival("FR", "irregular_crossing", "Bakary", "Sissoko", "1988-01-15"))
    r = client.post("/api/v1/returns/decisions", headers=auth_headers("fr-return"),
                    json={"person_id": fr["person_id"], "issued_on": "2026-11-21", "entry_ban_years": 3,
                          "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    decision = r.json()
    r = client.post(f"/api/v1/returns/decisions/{decision['id']}/departure", headers=auth_headers("fr-return"),
                    json={"version": decision["version"], "departed_on": "2026-11-26", "mode": "voluntary"})
    assert r.status_code == 200, r.text
    ban = r.json()["entry_ban_alert"]
    assert ban and ban["id"].startswith("eba_")
    query = {"given_names": "Bakary", "surname": "Sissoko", "date_of_birth": "1988-01-15"}
    for user in ("de-caseworker", "de-return"):
        hit = next(c for c in search(client, auth_headers, user, **query)["candidates"]
                   if c["identity_record_id"] == fr["identity_record_id"])
        assert hit["component"] == "sis_entry_ban"
        assert hit["entry_ban"] == {"id": ban["id"], "member_state": "FR", "starts_on": "2026-11-26",
                                    "ends_on": ban["ends_on"]}
    logged = audit(services, identity.DISCLOSED_ENTRY_BAN)
    assert [a.entity_id for a in logged] == [ban["id"], ban["id"]]
    # a Dublin unit's search does not reach refusal-of-entry alerts; an irregular crossing is no
    # applicant record: nothing of France's is returned to it
    ids = {c["identity_record_id"] for c in search(client, auth_headers, "de-dublin", **query)["candidates"]}
    assert fr["identity_record_id"] not in ids
    # France's own officer sees the record as national, with its ban
    own = next(c for c in search(client, auth_headers, "fr-caseworker", **query)["candidates"]
               if c["identity_record_id"] == fr["identity_record_id"])
    assert own["component"] == "national" and own["entry_ban"]["id"] == ban["id"]


def test_an_entry_ban_no_longer_in_force_is_not_found(client, auth_headers, services):
    fr = register(client, auth_headers, "fr-caseworker",
                  arrival("FR", "irregular_crossing", "Bakary", "Sissoko", "1988-01-15"))
    r = client.post("/api/v1/returns/decisions", headers=auth_headers("fr-return"),
                    json={"person_id": fr["person_id"], "issued_on": "2026-11-21", "entry_ban_years": 1,
                          "voluntary_departure_days": 7})
    decision = r.json()
    r = client.post(f"/api/v1/returns/decisions/{decision['id']}/departure", headers=auth_headers("fr-return"),
                    json={"version": decision["version"], "departed_on": "2026-11-26", "mode": "voluntary"})
    assert r.status_code == 200, r.text
    from pactum.store.tables.returns import entry_ban_alerts

    with services.uow() as uow:  # the ban ended yesterday
        uow.conn.execute(update(entry_ban_alerts).values(ends_on=date(2026, 11, 28) - timedelta(days=1)))
        uow.commit()
    ids = {c["identity_record_id"] for c in search(client, auth_headers, "de-return", given_names="Bakary",
                                                   surname="Sissoko", date_of_birth="1988-01-15")["candidates"]}
    assert fr["identity_record_id"] not in ids


def test_links_keep_their_records_while_eurodac_holds_them(client, auth_headers, services):
    """A link's page shows the other state's identity while its Eurodac data are stored."""
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "irregular_crossing", "Moussa", "Traore", "2000-02-02", on="2026-10-01"))
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Moussa", "Traore", "2000-02-02", on="2026-11-25"))
    candidates(client, auth_headers, "de-caseworker", de["identity_record_id"])
    with services.engine.connect() as conn:
        link_id = conn.execute(select(identity_links.c.id).where(
            identity_links.c.linked_record_id == it["identity_record_id"])).scalar_one()
    linked = client.get(f"{API}/links/{link_id}", headers=auth_headers("de-dublin")).json()["records"]["linked_record"]
    assert linked["withheld"] is False and linked["surname"] == "Traore"


# ------------------------------------------------------------------ the same on PostgreSQL


@pytest.mark.postgres
def test_comparison_erasure_floor_mark_and_entry_ban_on_postgres(pg_services, pg_client):
    from pactum.services import users as users_service
    from tests.conftest import principal_of

    def headers(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {users_service.open_session(pg_services, principal_of(pg_services, user), 'api')}"}

    def reg(user: str, payload: dict[str, Any]) -> dict[str, Any]:
        r = pg_client.post("/api/v1/registry/arrivals", json=payload, headers=headers(user))
        assert r.status_code == 201, r.text
        return r.json()

    it = reg("it-caseworker", arrival("IT", "irregular_crossing", "Moussa", "Traore", "2000-02-02", on="2026-10-01"))
    app = reg("it-caseworker", arrival("IT", "in_territory_application", "Aminata", "Sangare", "1994-06-06", sex="F"))
    fr = reg("fr-caseworker", arrival("FR", "irregular_crossing", "Bakary", "Sissoko", "1988-01-15"))
    de = reg("de-caseworker", arrival("DE", "in_territory_application", "Moussa", "Traore", "2000-02-02", on="2026-11-25"))
    with pg_services.uow() as uow:
        identity.index_missing(uow.conn)
        registry.mark_protection_granted(uow, principal_of(pg_services, "it-caseworker"), person_id=app["person_id"],
                                         granted_on=date(2026, 11, 27))
        uow.commit()
    r = pg_client.post("/api/v1/returns/decisions", headers=headers("fr-return"),
                       json={"person_id": fr["person_id"], "issued_on": "2026-11-21", "entry_ban_years": 3,
                             "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    r = pg_client.post(f"/api/v1/returns/decisions/{r.json()['id']}/departure", headers=headers("fr-return"),
                       json={"version": r.json()["version"], "departed_on": "2026-11-26", "mode": "voluntary"})
    assert r.status_code == 200, r.text
    # the applicant's comparison reaches Italy's irregular crossing
    cands = pg_client.post(f"{API}/records/{de['identity_record_id']}/candidates", headers=headers("de-caseworker")).json()
    hit = next(c for c in cands if c["identity_record_id"] == it["identity_record_id"])
    assert hit["eurodac"]["category"] == "irregular_crossing" and hit["link"]["colour"] == "yellow"

    def found(user: str, **q: Any) -> dict[str, Any]:
        r = pg_client.post(f"{API}/search", json=q, headers=headers(user))
        assert r.status_code == 200, r.text
        return {c["identity_record_id"]: c for c in r.json()["candidates"]}

    marked = found("de-caseworker", given_names="Aminata", surname="Sangare", date_of_birth="1994-06-06")
    assert marked[app["identity_record_id"]]["eurodac"]["marked_at"] is not None
    banned = found("de-return", given_names="Bakary", surname="Sissoko", date_of_birth="1988-01-15")
    assert banned[fr["identity_record_id"]]["component"] == "sis_entry_ban"
    # Italy's applicant data erased: no longer found by Germany; the link withholds them
    with pg_services.uow() as uow:
        uow.conn.execute(update(eurodac_records).where(eurodac_records.c.identity_record_id == app["identity_record_id"])
                         .values(erased_at=uow.now))
        identity.forget_eurodac_data(uow.conn, app["identity_record_id"])
        uow.commit()
    assert app["identity_record_id"] not in found("de-caseworker", given_names="Aminata", surname="Sangare",
                                                  date_of_birth="1994-06-06")
    link = pg_client.get(f"{API}/links/{hit['link']['id']}", headers=headers("de-dublin")).json()
    assert link["records"]["linked_record"]["withheld"] is False

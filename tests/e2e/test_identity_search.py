"""Identity search and multiple-identity links through the API and the registration page.

One person registered in Italy, Germany and France under different spellings; another French
record of an irregular crosser; a French return alert. An Italian officer's name search must find
the Italian record (national), the German applicant record (Eurodac) and the French record with the
alert (SIS return alert), and must never receive the French irregular-crossing record: a name search
is no Eurodac comparison. The comparison of the Italian search-and-rescue record's Eurodac data
does reach it (Reg. (EU) 2024/1358 Art 27(1): data transmitted under Art 24 are compared with those
stored under Art 22).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from pactum.identity.biometrics import SyntheticBiometrics
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log

API = "/api/v1/identity"


def arrival(ms: str, kind: str, given: str, surname: str, dob: str, *, script: str | None = None,
            father: str | None = None, doc: str | None = None) -> dict[str, Any]:
    identity: dict[str, Any] = {"given_names": script or given, "given_names_latin": given, "surname": surname,
                                "sex": "M", "date_of_birth": dob, "nationality": "SYR", "place_of_birth": "Aleppo"}
    if father:
        identity["father_name"] = father
    if doc:
        identity["documents"] = [{"type": "passport", "number": doc, "country": "SYR"}]
    return {"identity": identity,
            "encounter": {"member_state": ms, "occurred_at": "2026-11-20T06:30:00Z", "kind": kind,
                          "place": "border"},
            "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}


def register(client, auth_headers, user: str, payload: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", json=payload, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def world(client, auth_headers, services) -> dict[str, Any]:
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "sar_disembarkation", "Mohammed", "Haddad", "1996-03-14", script="محمد",
                          father="Ahmad", doc="N1234567"))
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Muhammad", "Hadad", "1996-03-14", father="Ahmed"))
    fr_hidden = register(client, auth_headers, "fr-caseworker",
                         arrival("FR", "irregular_crossing", "Mohamed", "Haddad", "1996-03-14", father="Ahmed"))
    fr_alert = register(client, auth_headers, "fr-caseworker",
                        arrival("FR", "irregular_crossing", "Mouhamed", "El-Haddad", "1996-03-14"))
    r = client.post("/api/v1/returns/decisions", headers=auth_headers("fr-return"),
                    json={"person_id": fr_alert["person_id"], "issued_on": "2026-11-25"})
    assert r.status_code == 201, r.text
    for rec in (it, de, fr_hidden, fr_alert):
        with services.uow() as uow:
            from pactum.services.identity import index_record

            index_record(uow.conn, rec["identity_record_id"])
            uow.commit()
    return {"it": it, "de": de, "fr_hidden": fr_hidden, "fr_alert": fr_alert}


def search(client, auth_headers, user: str, **body: Any):
    return client.post(f"{API}/search", json=body, headers=auth_headers(user))


def test_italian_officer_finds_national_eurodac_and_return_alert_candidates(client, auth_headers, world):
    r = search(client, auth_headers, "it-caseworker", given_names="Mohamad", surname="Hadad",
               date_of_birth="1996-03-14")
    assert r.status_code == 200, r.text
    cands = {c["identity_record_id"]: c for c in r.json()["candidates"]}
    assert cands[world["it"]["identity_record_id"]]["component"] == "national"
    assert cands[world["de"]["identity_record_id"]]["component"] == "eurodac"
    alert = cands[world["fr_alert"]["identity_record_id"]]
    assert alert["component"] == "sis_return_alert" and alert["alert_id"]
    assert world["fr_hidden"]["identity_record_id"] not in cands
    # the same person under other spellings ranks high and explains itself field by field
    de = cands[world["de"]["identity_record_id"]]
    assert de["match_probability"] > 0.9
    assert de["explanation"]["names"]["level"] == "same name, other transliteration"
    assert de["explanation"]["date_of_birth"]["level"] == "same full date"
    assert de["explanation"]["date_of_birth"]["weight"] > 0


def test_arabic_script_query_finds_the_latin_records(client, auth_headers, world):
    r = search(client, auth_headers, "de-caseworker", given_names="محمد", surname="حداد", date_of_birth="1996")
    ids = {c["identity_record_id"] for c in r.json()["candidates"]}
    assert world["de"]["identity_record_id"] in ids


def test_french_officer_sees_both_french_records_as_national(client, auth_headers, world):
    r = search(client, auth_headers, "fr-caseworker", given_names="Mohamed", surname="Haddad",
               date_of_birth="1996-03-14")
    comps = {c["identity_record_id"]: c["component"] for c in r.json()["candidates"]}
    assert comps[world["fr_hidden"]["identity_record_id"]] == "national"
    assert comps[world["fr_alert"]["identity_record_id"]] == "national"
    # the Italian SAR record is neither an applicant record nor under a return alert
    assert world["it"]["identity_record_id"] not in comps


def test_a_german_spelling_is_found_by_its_english_one_and_back(client, auth_headers, services):
    # German authorities write kh as ch (Chalid Chasan), and only a year of birth is known: no
    # neutral key, given-name key, surname key or full date is shared with Khalid Hasan
    de = register(client, auth_headers, "de-caseworker",
                  arrival("DE", "in_territory_application", "Chalid", "Chasan", "1990"))
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "in_territory_application", "Khalid", "Hasan", "1990"))
    from pactum.services.identity import index_record

    with services.uow() as uow:
        for rec in (de, it):
            index_record(uow.conn, rec["identity_record_id"])
        uow.commit()
    r = search(client, auth_headers, "it-caseworker", given_names="Khalid", surname="Hasan", date_of_birth="1990")
    found = {c["identity_record_id"]: c for c in r.json()["candidates"]}
    assert found[de["identity_record_id"]]["explanation"]["names"]["level"] == \
        "same name as the recording authority writes it"
    # a German officer's query is read as German: it finds the Italian record
    r = search(client, auth_headers, "de-caseworker", given_names="Chalid", surname="Chasan", date_of_birth="1990")
    found = {c["identity_record_id"]: c for c in r.json()["candidates"]}
    assert found[it["identity_record_id"]]["explanation"]["names"]["level"] == \
        "same name as the recording authority writes it"
    # a French officer's Chalid is the French sh: not read as kh
    r = search(client, auth_headers, "fr-caseworker", given_names="Chalid", surname="Chasan", date_of_birth="1990")
    assert it["identity_record_id"] not in {c["identity_record_id"] for c in r.json()["candidates"]}


def test_rights_and_bad_input(client, auth_headers, world):
    assert search(client, auth_headers, "com-analyst", surname="Haddad").status_code == 403
    assert client.post(f"{API}/search", json={"surname": "Haddad"}).status_code == 401
    r = search(client, auth_headers, "it-caseworker", surname="Haddad", date_of_birth="14/03/1996")
    assert r.status_code == 422
    assert "date_of_birth" in r.text
    r = search(client, auth_headers, "it-caseworker", date_of_birth="1996")
    assert r.status_code == 422
    # an impossible date from another system's record is searched on what can be read of it
    r = search(client, auth_headers, "it-caseworker", given_names="Muhammad", surname="Hadad",
               date_of_birth="1996-03-34")
    assert r.status_code == 200
    assert world["de"]["identity_record_id"] in {c["identity_record_id"] for c in r.json()["candidates"]}


def test_registration_candidates_create_a_yellow_link_that_the_officer_verifies(
        client, auth_headers, web_client, world, services):
    rid = world["it"]["identity_record_id"]
    r = client.post(f"{API}/records/{rid}/candidates", headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    cands = r.json()
    # the Eurodac comparison of Italy's search-and-rescue data reaches France's irregular crossing
    crossing = next(c for c in cands if c["identity_record_id"] == world["fr_hidden"]["identity_record_id"])
    assert crossing["component"] == "eurodac" and crossing["eurodac"]["category"] == "irregular_crossing"
    de = next(c for c in cands if c["identity_record_id"] == world["de"]["identity_record_id"])
    assert set(de) >= {"identity_record_id", "member_state", "component", "match_probability", "explanation"}
    # no biometric comparison and no shared document: manual verification needed
    assert de["link"]["colour"] == "yellow"
    queue = client.get(f"{API}/links/queue", headers=auth_headers("it-dublin")).json()
    link = next(x for x in queue if x["linked_record_id"] == world["de"]["identity_record_id"])
    # the queue shows the two identities the officer must compare, with where each was registered
    mine, other = link["records"]["record"], link["records"]["linked_record"]
    assert (mine["surname"], mine["member_state"], other["surname"], other["member_state"]) == (
        "Haddad", "IT", "Hadad", "DE")
    assert other["date_of_birth"] == "1996-03-14" and other["father_name"] == "Ahmed"
    listing = web_client("it-dublin").get("/identity/queue").text
    assert "Muhammad Hadad" in listing and "found in Eurodac" in listing
    # the officer sees the evidence field by field, the names weight with its share for how
    # common the name is
    page = web_client("it-dublin").get(f"/identity/links/{link['id']}")
    assert page.status_code == 200 and "same name, other transliteration" in page.text
    assert "for how common the name is in the store" in page.text
    assert 'id="identities"' in page.text and "Ahmad" in page.text and "Ahmed" in page.text
    # another state's authority neither sees it in its queue nor by id
    assert all(x["id"] != link["id"] for x in client.get(f"{API}/links/queue", headers=auth_headers("de-dublin")).json())
    assert client.get(f"{API}/links/{link['id']}", headers=auth_headers("de-dublin")).status_code == 404
    bad = client.post(f"{API}/links/{link['id']}/decision", headers=auth_headers("it-dublin"),
                      json={"colour": "yellow", "reason": "x", "version": link["version"]})
    assert bad.status_code == 422
    stale = client.post(f"{API}/links/{link['id']}/decision", headers=auth_headers("it-dublin"),
                        json={"colour": "white", "reason": "same person, fingerprints compared", "version": 99})
    assert stale.status_code == 409
    ok = client.post(f"{API}/links/{link['id']}/decision", headers=auth_headers("it-dublin"),
                     json={"colour": "white", "reason": "same person, fingerprints compared", "version": 1})
    assert ok.status_code == 200, ok.text
    assert ok.json()["colour"] == "white" and ok.json()["status"] == "verified"
    assert ok.json()["records"] == link["records"]
    # deciding it again the same is no decision (a revision names another colour, with its reason)
    again = client.post(f"{API}/links/{link['id']}/decision", headers=auth_headers("it-dublin"),
                        json={"colour": "white", "reason": "same again", "version": 2})
    assert again.status_code == 409
    with services.engine.connect() as conn:
        actions = [a for (a,) in conn.execute(select(audit_log.c.action).where(audit_log.c.entity_id == link["id"]))]
        assert actions == ["identity.link.create", "identity.link.verify"]
        from pactum.services.identity import verified_labels

        labels = verified_labels(conn)
    assert {"unique_id_l": rid, "unique_id_r": world["de"]["identity_record_id"], "clerical_match_score": 1.0} in labels


def test_search_candidates_is_only_for_own_records(client, auth_headers, world):
    rid = world["de"]["identity_record_id"]
    assert client.post(f"{API}/records/{rid}/candidates", headers=auth_headers("it-caseworker")).status_code == 404


def test_biometric_match_with_a_different_identity_is_a_yellow_link_and_outranks(
        client, auth_headers, world, services):
    bio = SyntheticBiometrics(seed=5)
    person = bio.person(1)
    other = bio.person(2)
    it_id, de_id = world["it"]["identity_record_id"], world["de"]["identity_record_id"]
    hidden = world["fr_hidden"]["identity_record_id"]
    # a different identity registered in Germany as applicant with the same fingerprints
    twin = register(client, auth_headers, "de-caseworker",
                    arrival("DE", "in_territory_application", "Karim", "Nasser", "1980-01-01"))
    for user, rid, vec in (("it-caseworker", it_id, bio.captures(person[None, :], 1)[0]),
                           ("de-caseworker", twin["identity_record_id"], bio.captures(person[None, :], 2)[0]),
                           ("de-caseworker", de_id, bio.captures(other[None, :], 3)[0]),
                           ("fr-caseworker", hidden, bio.captures(person[None, :], 4)[0])):
        r = client.post(f"{API}/templates", headers=auth_headers(user),
                        json={"identity_record_id": rid, "vector": vec.tolist()})
        assert r.status_code == 201, r.text
    # an officer cannot enrol a template on another state's record
    r = client.post(f"{API}/templates", headers=auth_headers("it-caseworker"),
                    json={"identity_record_id": de_id, "vector": person.tolist()})
    assert r.status_code == 404
    hits = client.post(f"{API}/biometric-search", headers=auth_headers("it-caseworker"),
                       json={"vector": bio.captures(person[None, :], 9)[0].tolist(), "k": 5}).json()
    assert hits[0]["identity_record_id"] in (it_id, twin["identity_record_id"]) and hits[0]["match"]
    assert hidden not in {h["identity_record_id"] for h in hits}
    cands = client.post(f"{API}/records/{it_id}/candidates", headers=auth_headers("it-caseworker")).json()
    twin_cand = next(c for c in cands if c["identity_record_id"] == twin["identity_record_id"])
    assert cands.index(twin_cand) < 2  # with the French crossing, the two biometric matches first
    assert twin_cand["biometric_score"] >= 0.85
    assert twin_cand["link"]["colour"] == "yellow"
    # the Eurodac comparison of Italy's SAR data reaches France's irregular crossing (Art 27(1)):
    # same fingerprints and the same identity, a white link
    crossing = next(c for c in cands if c["identity_record_id"] == hidden)
    assert crossing["biometric_score"] >= 0.85 and crossing["link"]["colour"] == "white"
    r = client.post(f"{API}/templates", headers=auth_headers("it-caseworker"),
                    json={"identity_record_id": it_id, "vector": [0.0] * 128})
    assert r.status_code == 422 and "vector" in r.text
    with services.engine.connect() as conn:
        colours = {row.linked_record_id: row.colour for row in conn.execute(select(identity_links))}
    assert colours[twin["identity_record_id"]] == "yellow"


def test_registration_page_shows_candidates_with_explanations(web_client, world):
    c = web_client("it-caseworker")
    # opening the page reads only; the officer's "Search for matches" runs the comparison
    r = c.post(f"/registry/persons/{world['it']['person_id']}/matches",
               data={"record_id": world["it"]["identity_record_id"]})
    assert r.status_code == 200
    assert "Possible matches" in r.text
    assert world["de"]["identity_record_id"] in r.text and "Eurodac" in r.text
    # the officer sees who the candidate is, the link the match made, and the evidence in words (the
    # candidates follow the person's links, which name the linked record too)
    row = r.text.split("Possible matches", 1)[1].split(world["de"]["identity_record_id"], 1)[1].split("</tr>", 1)[0]
    assert "Muhammad Hadad" in row and "born 1996-03-14 · <abbr title=\"Syria\">SYR</abbr>" in row
    link = re.search(r'<a href="/identity/links/([^"]+)"><span class="badge yellow">yellow</span></a> pending', row)
    assert link is not None
    page = c.get(f"/identity/links/{link[1]}")
    assert page.status_code == 200
    # the evidence adds up: the prior plus each field's weight is the total, and the total's odds
    # are the match probability shown
    evidence = page.text.split('<table id="evidence">', 1)[1].split("</table>", 1)[0]
    weights = [float(w) for w in re.findall(r'<td class="num">([+-][0-9.]+)</td>', evidence)]
    total = float(re.search(r'<td class="num"><strong>([+-][0-9.]+)</strong>', evidence)[1])
    probability = float(re.search(r"match probability ([0-9.]+), from the odds", evidence)[1])
    assert "Before the evidence" in evidence and len(weights) == 7  # six comparisons and the prior
    assert weights[-1] <= 0  # the prior never gives more than even odds (this small store's: exactly even)
    assert abs(sum(weights) - total) < 0.02
    assert abs(probability - 1 / (1 + 2 ** -total)) < 0.002
    # each comparison by what the officer calls it, not by its field name in the API
    assert "Names: same name, other transliteration" in row and "Date of birth: " in row
    assert ": null" not in r.text and "father_name" not in row
    q = c.get("/identity/queue")
    assert q.status_code == 200 and "yellow" in q.text
    m = c.get("/identity/model")
    assert m.status_code == 200 and "same name, other transliteration" in m.text
    # the link page says its prior is the one it was scored with, by which model, and kept with it
    prior_row = evidence.split("Before the evidence", 1)[1].split("</tr>", 1)[0]
    assert "when this link was scored" in prior_row and "by the shipped model" in prior_row
    assert "is kept with the link" in prior_row
    # the model page says where a score made now starts (here the store has not grown since, so the
    # link's value) and that the prior follows the store's size while a link keeps its own: it no
    # longer says that every score starts from today's prior
    start = re.search(r"a match weight of ([+-][0-9.]+), where a score this model makes now starts", m.text)
    assert start is not None and float(start[1]) == weights[-1]
    assert "where every score of this model starts" not in m.text
    assert "The prior follows the store's size" in m.text
    assert "a link keeps the prior it was scored with" in m.text
    # each comparison is described as the design describes it, not by Splink's class name
    assert "Given name and surname together, in any order" in m.text and "CustomComparison" not in m.text
    assert "<h3>Place of birth and nationality <code>origin</code></h3>" in m.text
    # every level in the design's words, as the link page says them: not Splink's defaults
    assert "<td>one character different</td>" in m.text
    assert "Exact match on" not in m.text and "All other comparisons" not in m.text


def test_a_stored_model_of_an_earlier_design_is_not_used_after_an_upgrade(client, auth_headers, web_client,
                                                                          world, services):
    """A store trained under the previous comparison design keeps that model, but its weights
    belong to other levels (read by position): search scores with the shipped model until the
    store is trained again, and the model page says why."""
    import copy
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from pactum.services.identity import default_model
    from pactum.store.tables.identity import identity_models

    old = copy.deepcopy(default_model())
    old["pactum"]["design_version"] = "2026.11.5"
    for comp in old["comparisons"]:  # weights that would rank every candidate as a non-match
        for lev in comp["comparison_levels"]:
            if lev.get("u_probability"):
                lev["u_probability"] = 0.999
    with services.uow() as uow:
        uow.conn.execute(insert(identity_models).values(
            id="IDM-OLD", version=1, design_version="2026.11.5", trained_on="store: before the upgrade",
            labelled_pairs=0, model=old, metrics=None, active=True, created_at=datetime(2026, 11, 1, tzinfo=UTC)))
        uow.commit()
    r = search(client, auth_headers, "it-caseworker", given_names="Mohamad", surname="Hadad",
               date_of_birth="1996-03-14")
    cands = {c["identity_record_id"]: c for c in r.json()["candidates"]}
    de = cands[world["de"]["identity_record_id"]]
    assert de["model_version"] == 0 and de["match_probability"] > 0.9
    models = {m["version"]: m for m in client.get(f"{API}/models", headers=auth_headers("eu-admin")).json()}
    assert models[1]["superseded_design"] and not models[1]["active"]
    assert models[0]["active"] and models[0]["design_version"] != "2026.11.5"
    page = web_client("eu-admin").get("/identity/model").text
    assert "earlier design, not used" in page and "pactum identity train" in page


def test_the_officer_decides_a_link_through_the_web_form(client, auth_headers, web_client, world, services):
    rid = world["it"]["identity_record_id"]
    assert client.post(f"{API}/records/{rid}/candidates", headers=auth_headers("it-caseworker")).status_code == 200
    link = next(x for x in client.get(f"{API}/links/queue", headers=auth_headers("it-dublin")).json()
                if x["linked_record_id"] == world["de"]["identity_record_id"])
    officer = web_client("it-dublin")
    url = f"/identity/links/{link['id']}"
    bad = officer.post(url, data={"colour": "green", "reason": "different fathers", "version": "zz"})
    assert bad.status_code == 422 and "version" in bad.text and 'id="decision-form"' in bad.text
    # the refused decision keeps the officer's colour and reason
    assert 'value="green" checked>' in bad.text and ">different fathers</textarea>" in bad.text
    missing = officer.post(url, data={"reason": "different fathers", "version": str(link["version"])})
    assert missing.status_code == 422 and "colour" in missing.text
    assert web_client("de-dublin").post(url, data={"colour": "green", "reason": "x y z", "version": "1"}
                                        ).status_code == 404
    assert web_client("com-analyst").post(url, data={"colour": "green", "reason": "x y z", "version": "1"}
                                          ).status_code == 403
    ok = officer.post(url, data={"colour": "green", "reason": "different fathers", "version": str(link["version"])},
                      follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"].split("?")[0] == "/identity/queue"
    decided = client.get(f"{API}/links/{link['id']}", headers=auth_headers("it-dublin")).json()
    assert (decided["colour"], decided["status"], decided["decided_by"]) == ("green", "verified", "it-dublin")
    again = officer.post(url, data={"colour": "green", "reason": "same again", "version": str(decided["version"])})
    assert again.status_code == 409

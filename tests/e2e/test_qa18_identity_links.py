"""QA walk W4-4 and W4-10: the links between one pair of persons, and the correction of a decision.

A person has a record per encounter and per application, and each pair of their records with
another person's may carry a link of its own: a state's queue held two to four links for one pair
of persons, one could be verified white (the same person) and the next green (two persons), both
accepted without a word, and the other state's person page listed only the links of its latest
record. White and red say the two persons are one, green that they are two
(Reg. (EU) 2019/818 Arts 31-33): a verification that contradicts a decided link between the same
two persons is now refused (409) naming it, and the person page lists the links of all the
person's records.

A verified decision could not be corrected (409 "only a pending yellow link is verified"): the
verifying authority now revises it, with a reason, at the version it read, audited with the
decision it replaces (Arts 31(5) and 33(5): an authority with evidence that a link was recorded
wrongly rectifies it). The link's page shows both records' identity documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from pactum.services.bootstrap import Services
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import identity_records

Headers = Callable[[str], dict[str, str]]
API = "/api/v1/identity/links"


def _arrival(ms: str, kind: str, given: str, surname: str, on: str, doc: str) -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "sex": "M", "date_of_birth": "1996-03-14",
                         "nationality": "SYR", "documents": [{"type": "passport", "number": doc, "country": "SYR"}]},
            "encounter": {"member_state": ms, "occurred_at": f"{on}T06:30:00Z", "kind": kind, "place": "x"},
            "biometrics": {"captured_at": f"{on}T09:00:00Z", "transmitted_at": f"{on}T10:00:00Z"}}


def _register(client: TestClient, auth_headers: Headers, user: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", json=body, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def _link(services: Services, link_id: str, record: str, linked: str, authority: str, *,
          colour: str = "yellow", status: str = "pending") -> None:
    with services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id=link_id, record_id=record, linked_record_id=linked, colour=colour, status=status,
            verifying_authority=authority, match_probability=0.8, basis={"component": "eurodac", "explanation": {}},
            created_at=services.clock.now(), version=1))


@pytest.fixture
def pair(client: TestClient, auth_headers: Headers, services: Services) -> dict[str, Any]:
    """Italy's person with two records (an irregular crossing and, on a second encounter, an
    application) and Greece's person with two records, linked pairwise: Italy verifies the links of
    its records to Greece's applicant record, Greece the link of its irregular-crossing record."""
    it1 = _register(client, auth_headers, "it-caseworker",
                    _arrival("IT", "irregular_crossing", "Walid", "Gharbi", "2026-11-02", "P1111111"))
    it2 = client.post("/api/v1/registry/arrivals", headers=auth_headers("it-caseworker"), json={
        **_arrival("IT", "in_territory_application", "Walid", "Gharbi", "2026-11-10", "P1111111"),
        "person_id": it1["person_id"]}).json()
    el1 = _register(client, auth_headers, "el-caseworker",
                    _arrival("EL", "irregular_crossing", "Walid", "Garbi", "2026-11-15", "P2222222"))
    el2 = client.post("/api/v1/registry/arrivals", headers=auth_headers("el-caseworker"), json={
        **_arrival("EL", "in_territory_application", "Walid", "Garbi", "2026-11-20", "P2222222"),
        "person_id": el1["person_id"]}).json()
    _link(services, "idl_it_1", it1["identity_record_id"], el2["identity_record_id"], "IT")
    _link(services, "idl_it_2", it2["identity_record_id"], el2["identity_record_id"], "IT")
    _link(services, "idl_el_1", el1["identity_record_id"], it1["identity_record_id"], "EL")
    return {"it": it1["person_id"], "el": el1["person_id"], "it_records": [it1["identity_record_id"],
            it2["identity_record_id"]], "el_records": [el1["identity_record_id"], el2["identity_record_id"]]}


def _decide(client: TestClient, auth_headers: Headers, user: str, link_id: str, colour: str,
            reason: str = "compared the records", version: int | None = None):  # type: ignore[no-untyped-def]
    h = auth_headers(user)
    if version is None:
        version = client.get(f"{API}/{link_id}", headers=h).json()["version"]
    return client.post(f"{API}/{link_id}/decision", headers=h,
                       json={"colour": colour, "reason": reason, "version": version})


def test_a_decision_contradicting_a_verified_link_between_the_same_persons_is_refused(client, auth_headers, pair):
    assert _decide(client, auth_headers, "it-caseworker", "idl_it_1", "white").status_code == 200
    refused = _decide(client, auth_headers, "it-caseworker", "idl_it_2", "green")
    assert refused.status_code == 409, refused.text
    said = refused.json()["detail"]
    assert "idl_it_1" in said and "verified white" in said and "the same person" in said
    assert "revise link idl_it_1 first" in said
    # the sibling is still waiting, and its consistent decision is taken
    assert client.get(f"{API}/idl_it_2", headers=auth_headers("it-caseworker")).json()["status"] == "pending"
    assert _decide(client, auth_headers, "it-caseworker", "idl_it_2", "red").status_code == 200
    # another authority's link between the same persons: refused too, naming Italy's decision
    other = _decide(client, auth_headers, "el-caseworker", "idl_el_1", "green")
    assert other.status_code == 409 and "by IT" in other.json()["detail"] and "ask IT to revise it" in other.json()["detail"]
    assert _decide(client, auth_headers, "el-caseworker", "idl_el_1", "white").status_code == 200


def test_the_link_page_names_the_other_links_between_the_same_persons_and_both_documents(
        client, auth_headers, pair, web_client):
    _decide(client, auth_headers, "it-caseworker", "idl_it_1", "white")
    page = web_client("it-caseworker").get("/identity/links/idl_it_2").text
    siblings = page.split('id="siblings"', 1)[1].split("</section>", 1)[0]
    assert "idl_it_1" in siblings and "idl_el_1" in siblings and 'badge white">white' in siblings
    documents = page.split('id="documents"', 1)[1].split("</tr>", 1)[0]
    assert "P1111111" in documents and "P2222222" in documents
    # refused on the page as through the API, the form keeps what was typed
    r = web_client("it-caseworker").post("/identity/links/idl_it_2", data={
        "colour": "green", "reason": "different fathers", "version": "1"})
    assert r.status_code == 409 and "idl_it_1" in r.text and "different fathers" in r.text


def test_every_link_of_the_persons_records_is_on_the_person_page(client, auth_headers, pair, web_client):
    _decide(client, auth_headers, "it-caseworker", "idl_it_1", "white", reason="same fingerprints")
    page = web_client("el-caseworker").get(f"/registry/persons/{pair['el']}").text
    links = page.split('id="links"', 1)[1].split("</section>", 1)[0]
    for link_id in ("idl_it_1", "idl_it_2", "idl_el_1"):
        assert f'id="link-{link_id}"' in links, link_id
    decision = links.split('id="link-idl_it_1"', 1)[1].split("</div>", 1)[0]
    assert "verified by IT" in decision and "same fingerprints" in decision
    assert 'href="/identity/links/idl_el_1"' in links  # Greece verifies this one
    assert 'href="/identity/links/idl_it_1"' not in links  # Italy's: read here, opened there


def test_the_verifying_authority_revises_a_verified_decision_with_a_reason(client, auth_headers, services, pair):
    it = auth_headers("it-caseworker")
    _decide(client, auth_headers, "it-caseworker", "idl_it_1", "white")
    _decide(client, auth_headers, "it-caseworker", "idl_it_2", "white")
    _decide(client, auth_headers, "el-caseworker", "idl_el_1", "white")
    link = client.get(f"{API}/idl_it_1", headers=it).json()
    assert link["revisable"] is True
    # bad revisions: a stale version, the same colour, no reason, another state's officer
    assert _decide(client, auth_headers, "it-caseworker", "idl_it_1", "green",
                   version=link["version"] - 1).status_code == 409
    same = _decide(client, auth_headers, "it-caseworker", "idl_it_1", "white")
    assert same.status_code == 409 and "already white" in same.json()["detail"]
    blank = _decide(client, auth_headers, "it-caseworker", "idl_it_1", "green", reason="   ")
    assert blank.status_code == 422 and blank.json()["detail"][0]["loc"][-1] == "reason"
    assert _decide(client, auth_headers, "el-caseworker", "idl_it_1", "green",
                   version=link["version"]).status_code == 404
    r = _decide(client, auth_headers, "it-caseworker", "idl_it_1", "green",
                reason="the fingerprint expert found two persons")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["colour"] == "green" and out["status"] == "verified" and out["revised"] is True
    # Italy's other link between the same persons says the same now; Greece's is Greece's to revise
    assert out["also_revised"] == ["idl_it_2"]
    assert client.get(f"{API}/idl_it_2", headers=it).json()["colour"] == "green"
    assert [o["link_id"] for o in out["other_authorities_to_inform"]] == ["idl_el_1"]
    assert [(h["action"], h["colour"]) for h in out["history"]] == [("verified", "white"), ("revised", "green")]
    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log.c.before, audit_log.c.after, audit_log.c.actor).where(
            audit_log.c.action == "identity.link.revise", audit_log.c.entity_id == "idl_it_1")).one()
    assert entry.before["colour"] == "white" and entry.before["reason"] == "compared the records"
    assert entry.after["reason"] == "the fingerprint expert found two persons" and entry.actor == "it-caseworker"


def test_the_link_page_offers_the_revision_and_says_whom_to_inform(client, auth_headers, pair, web_client):
    _decide(client, auth_headers, "it-caseworker", "idl_it_1", "white")
    _decide(client, auth_headers, "el-caseworker", "idl_el_1", "white")
    c = web_client("it-caseworker")
    page = c.get("/identity/links/idl_it_1").text
    assert 'id="revision-form"' in page and 'value="white"' not in page.split('id="revision-form"', 1)[1]
    r = c.post("/identity/links/idl_it_1", data={"colour": "green", "reason": "two persons after all",
                                                 "version": "2"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/identity/links/idl_it_1?revised=true"
    page = c.get(r.headers["location"]).text
    assert "Decision revised" in page and 'badge green">green' in page
    inform = page.split('id="inform"', 1)[1].split("</p>", 1)[0]
    assert "idl_el_1" in inform and "EL" in inform
    history = page.split('id="history"', 1)[1].split("</section>", 1)[0]
    assert "revised from white to" in history and "two persons after all" in history


def test_an_automatic_white_link_is_revised_by_its_authority(client, auth_headers, services, pair):
    with services.engine.begin() as conn:
        conn.execute(identity_links.delete())
        it_rec = conn.execute(select(identity_records.c.id).where(
            identity_records.c.person_id == pair["it"]).order_by(identity_records.c.recorded_on)).scalars().first()
    _link(services, "idl_auto", it_rec, pair["el_records"][1], "IT", colour="white", status="automatic")
    _link(services, "idl_yellow", pair["it_records"][1], pair["el_records"][1], "IT")
    refused = _decide(client, auth_headers, "it-caseworker", "idl_yellow", "green")
    assert refused.status_code == 409 and "made automatically" in refused.json()["detail"]
    r = _decide(client, auth_headers, "it-caseworker", "idl_auto", "green", reason="different persons: checked")
    assert r.status_code == 200 and r.json()["status"] == "verified" and r.json()["colour"] == "green"
    assert _decide(client, auth_headers, "it-caseworker", "idl_yellow", "green").status_code == 200

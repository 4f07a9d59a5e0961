"""QA walk W4-13: opening a person page wrote to the store. The first view by another state made a
pending link, and every reload added ``identity.search.eurodac_returned`` entries with the purpose
``eurodac_comparison``: the disclosure log (Reg. (EU) 2024/1358 Art 41) filled with comparisons
nobody made. Opening the page now reads only (the links already made, of all the person's records);
the officer's "Search for matches" (a POST) runs the comparison, makes the links and logs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pactum.services.bootstrap import Services
from pactum.services.identity import DISCLOSED_EURODAC, index_record
from pactum.store.tables.identity import identity_links, identity_search_keys
from pactum.store.tables.platform import audit_log

Headers = Callable[[str], dict[str, str]]


def _arrival(ms: str, kind: str, given: str, surname: str) -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "sex": "M", "date_of_birth": "1994-05-02",
                         "nationality": "TUN"},
            "encounter": {"member_state": ms, "occurred_at": "2026-11-20T06:30:00Z", "kind": kind, "place": "x"},
            "biometrics": {"captured_at": "2026-11-20T09:00:00Z"}}


@pytest.fixture
def world(client: TestClient, auth_headers: Headers, services: Services) -> dict[str, Any]:
    out = {}
    for key, user, ms, kind, given, surname in (
            ("it", "it-caseworker", "IT", "in_territory_application", "Walid", "Gharbi"),
            ("el", "el-caseworker", "EL", "irregular_crossing", "Walid", "Garbi")):
        r = client.post("/api/v1/registry/arrivals", json=_arrival(ms, kind, given, surname),
                        headers=auth_headers(user))
        assert r.status_code == 201, r.text
        out[key] = r.json()
    with services.uow() as uow:
        index_record(uow.conn, out["it"]["identity_record_id"])  # Italy's applicant record, searchable
        uow.commit()
    return out


def _store(services: Services) -> tuple[int, int, int]:
    """What a page view must leave as it was: links, audit entries, search keys."""
    with services.engine.connect() as conn:
        return tuple(int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)  # type: ignore[return-value]
                     for t in (identity_links, audit_log, identity_search_keys))


def test_opening_and_reloading_the_person_page_writes_nothing(services, web_client, world):
    el = web_client("el-caseworker")
    before = _store(services)
    for url in (f"/registry/persons/{world['el']['person_id']}?registered={world['el']['identity_record_id']}",
                f"/registry/persons/{world['el']['person_id']}", f"/registry/persons/{world['el']['person_id']}"):
        page = el.get(url)
        assert page.status_code == 200
    assert _store(services) == before  # no link made, nothing logged as disclosed, no key written
    assert 'id="search-matches"' in page.text and "Search for matches" in page.text
    assert "Possible matches" not in page.text


def test_the_search_for_matches_is_an_explicit_action_that_links_and_logs(services, web_client, world):
    el = web_client("el-caseworker")
    person, record = world["el"]["person_id"], world["el"]["identity_record_id"]
    page = el.post(f"/registry/persons/{person}/matches", data={"record_id": record})
    assert page.status_code == 200, page.text
    assert "Possible matches" in page.text and world["it"]["identity_record_id"] in page.text
    with services.engine.connect() as conn:
        links = conn.execute(select(identity_links.c.id).where(identity_links.c.record_id == record)).scalars().all()
        logged = conn.execute(select(audit_log.c.after).where(audit_log.c.action == DISCLOSED_EURODAC)).scalars().all()
    assert len(links) == 1 and len(logged) == 1 and logged[0]["compared_record_id"] == record
    # the page opened afterwards lists the link, still without searching again
    before = _store(services)
    shown = el.get(f"/registry/persons/{person}").text
    assert _store(services) == before
    assert f'id="link-{links[0]}"' in shown.split('id="links"', 1)[1]


def test_the_search_for_matches_takes_only_a_record_of_the_person(services, web_client, world):
    el = web_client("el-caseworker")
    before = _store(services)
    r = el.post(f"/registry/persons/{world['el']['person_id']}/matches",
                data={"record_id": world["it"]["identity_record_id"]})
    assert r.status_code == 422 and "record_id" in r.text
    assert _store(services) == before

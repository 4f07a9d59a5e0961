"""The menu says where the user is on a detail page too: a person page or a screening reached from
the search marks "Search", an identity link's page marks "Identity links" (WCAG 2.1 2.4.8)."""

from __future__ import annotations

import re

from tests.e2e.test_registry_api import ARRIVAL


def _current(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', page)


def test_a_person_page_and_its_screening_mark_the_search_entry(client, auth_headers, web_client):
    arrival = {**ARRIVAL, "encounter": {**ARRIVAL["encounter"], "member_state": "DE"}}
    made = client.post("/api/v1/registry/arrivals", json=arrival, headers=auth_headers("de-caseworker")).json()
    de = web_client("de-caseworker")
    assert _current(de.get(f"/registry/persons/{made['person_id']}").text) == ["/registry/search"]
    assert _current(de.get(f"/registry/screenings/{made['screening']['id']}").text) == ["/registry/search"]
    assert _current(de.get("/registry/register").text) == ["/registry/register"]

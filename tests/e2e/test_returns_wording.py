"""The return officer's pages say things as the form does: refusals name the form's labels and
grounds, the issuing state confirming a departure is not told it informed itself, a removal in
the period for voluntary departure is refused on the page, and a name search without a date of
birth says what was searched and how to widen it."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pactum.api.app import create_app

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def browser(world: World, username: str) -> TestClient:
    client = TestClient(create_app(world.services))
    r = client.post("/login", data={"username": username, "password": "a-long-password", "next": "/returns"})
    assert r.status_code in (200, 303), r.text
    return client


def test_refusals_name_the_form_labels_and_grounds(world: World) -> None:
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN", given_names="Karim")
    it = browser(world, "it.returns")
    r = it.post("/returns/decisions/new", data={"person_id": person, "issued_on": "2026-08-20",
                                                "voluntary_departure_days": "7", "entry_ban_years": "9"})
    assert r.status_code == 422
    assert "Entry ban, years: more than 5 years needs the ground" in r.text
    assert "serious threat to public policy" in r.text
    assert "entry_ban_years:" not in r.text and "'serious_threat'" not in r.text


def test_departure_on_the_issuing_states_own_decision(world: World) -> None:
    person = world.person("it.returns", surname="Haddad", nationality="TUN", given_names="Samir")
    it = browser(world, "it.returns")
    r = it.post("/returns/decisions/new", data={"person_id": person, "issued_on": "2026-09-01",
                                                "voluntary_departure_days": "30",
                                                "grounds": "illegal_stay"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"].split("?")[0]
    page = it.get(url).text
    assert "a removal can be recorded only after that day" in page
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    # removal on the day of issue, the thirty days running: refused, the form's words
    r = it.post(f"{url}/departure", data={"version": version, "departed_on": "2026-09-01", "mode": "enforced"})
    assert r.status_code == 422
    assert "How: a removal cannot be recorded on 2026-09-01" in r.text and "(Directive 2008/115/EC, Article 8(2)); a departure within" in html.unescape(r.text)
    assert '<option value="enforced" selected>' in r.text
    r = it.post(f"{url}/departure", data={"version": version, "departed_on": "2026-09-01", "mode": "voluntary"})
    assert r.status_code == 200 and "Departure confirmed: the return alert is deleted." in r.text
    assert "issuing state informed" not in r.text


def test_a_name_search_without_a_date_of_birth_says_what_was_searched(world: World) -> None:
    de = browser(world, "de.returns")
    page = de.get("/returns/search", params={"surname": "Ghebreyesus", "given_names": "Yonas"}).text
    assert 'id="no-match"' in page
    assert "surname \u201cGhebreyesus\u201d, given names \u201cYonas\u201d" in page
    assert "Add the date of birth, or give all the given names" in page
    page = de.get("/returns/search", params={"surname": "Ghebreyesus", "date_of_birth": "1990-01-01"}).text
    assert 'id="search-hint"' not in page

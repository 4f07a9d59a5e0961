"""What a caseworker of a frontline state (Italy) met on the registration and screening pages of the
demo world: a search saying "1 record(s)" and "0 record(s)", screening deadlines on the home page in
UTC only (22:59 for a screening ending at midnight in Rome), an encounter's kind as a code with its
underscores taken out ("sar disembarkation", where its category says "SAR disembarkation"), and a
passport recorded on two of a person's records listed twice. The store's clock: 28 November 2026,
12:00 UTC."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]

#: Disembarked at Lampedusa after a search and rescue operation on 26 November 2026, 10:00 UTC.
ARRIVAL: dict[str, Any] = {
    "identity": {"given_names": "Yonas", "surname": "Tesfay", "sex": "M", "date_of_birth": "1996-02-03",
                 "nationality": "ERI",
                 "documents": [{"type": "passport", "number": "ER1234567", "country": "ERI"}]},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-26T10:00:00Z", "kind": "sar_disembarkation",
                  "place": "Lampedusa"},
    "biometrics": {"template_ref": "tpl-yonas", "captured_at": "2026-11-26T11:00:00Z"}}


def _register(client: TestClient, auth_headers: Headers, data: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    return dict(r.json())


def _said(page: str, element_id: str) -> str:
    part = page.split(f'id="{element_id}"', 1)[1].split("</p>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part.split(">", 1)[1])).strip()


def test_the_search_counts_records_in_words(client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    first = _register(client, auth_headers, ARRIVAL)
    c = web_client("it-caseworker")
    assert _said(c.get("/registry/search", params={"name": "tesfay"}).text, "results-count") == "1 record."
    assert _said(c.get("/registry/search", params={"name": "nobody"}).text, "results-count") == "No record matches."
    # registered again as the same person: two records of one person
    _register(client, auth_headers, {**ARRIVAL, "person_id": first["person_id"]})
    assert _said(c.get("/registry/search", params={"name": "tesfay"}).text,
                 "results-count") == "2 records of 1 person."


def test_the_home_page_says_a_screening_deadline_on_the_states_clock(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    screening = _register(client, auth_headers, ARRIVAL)["screening"]
    home = web_client("it-caseworker").get("/").text
    table = home.split('id="screenings-due"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr") if screening["id"] in r)
    # seven days from 26 November end at midnight in Rome: 3 December, 23:59 there, 22:59 UTC
    assert "2026-12-03 23:59 Europe/Rome time (2026-12-03 22:59 UTC)" in row


def test_the_person_page_says_the_encounter_in_words_and_each_document_once(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    first = _register(client, auth_headers, ARRIVAL)
    again = copy.deepcopy(ARRIVAL)
    again["person_id"] = first["person_id"]
    again["encounter"]["occurred_at"] = "2026-11-27T09:00:00Z"
    again["biometrics"]["captured_at"] = "2026-11-27T10:00:00Z"
    second = _register(client, auth_headers, again)
    page = web_client("it-caseworker").get(f"/registry/persons/{first['person_id']}").text
    encounters = page.split("<h2>Encounters</h2>", 1)[1].split("</section>", 1)[0]
    assert "<td>SAR disembarkation</td>" in encounters and "sar disembarkation" not in encounters
    documents = page.split("<h3>Identity documents</h3>", 1)[1].split("</table>", 1)[0]
    assert documents.count("ER1234567") == 1
    assert f"{first['identity_record_id']}, {second['identity_record_id']}" in documents


def test_the_registration_form_names_the_encounter_kinds_in_words(web_client: Login) -> None:
    form = web_client("it-caseworker").get("/registry/register").text
    kinds = re.findall(r'<option value="([a-z_]+)"[^>]*>([^<]+)</option>',
                       form.split('name="kind"', 1)[1].split("</select>", 1)[0])
    assert ("sar_disembarkation", "SAR disembarkation") in kinds
    assert ("border_crossing_point_application", "application at a border crossing point") in kinds


def test_the_person_page_says_a_screening_past_its_deadline_as_the_screening_page_does(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Any) -> None:
    """The screening page said "open: deadline passed" (Screening Reg. (EU) 2024/1356 Art 18: the
    screening has ended) while the person's page still said "open"."""
    from datetime import timedelta

    reg = _register(client, auth_headers, ARRIVAL)
    officer = web_client("it-caseworker")
    page = officer.get(f"/registry/persons/{reg['person_id']}").text
    assert 'badge warn">open</span>' in page
    services.clock.set(services.clock.now() + timedelta(days=6))  # 4 December, past 3 December
    officer = web_client("it-caseworker")  # logged in again: the session of 28 November has ended
    later = officer.get(f"/registry/persons/{reg['person_id']}").text
    assert 'badge bad">open: deadline passed</span>' in later
    assert "open: deadline passed" in officer.get(f"/registry/screenings/{reg['screening']['id']}").text

"""A refused form marks the fields it refused (WCAG 2.1 3.3.1, 1.3.1) in the asylum procedure, Dublin,
solidarity and returns areas: each refused field carries ``aria-invalid="true"`` and is described
(``aria-describedby``) by its line of the form's summary, which names the field by its label and
says the problem in words; what was typed is kept; the other forms of the page are not marked.

The pages are read as HTML (no browser): the browser test of ``test_accessibility.py`` checks the
same marks on the registry's forms, with the focus moved to the summary."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from pactum.services.jobs import load_all
from tests.e2e.test_registry_api import ARRIVAL
from tests.e2e.test_responsibility_support import EXAMPLE
from tests.e2e.test_returns_support import browser, make_world, post
from tests.e2e.test_solidarity_web_actions import forms, new_cycle, send

W = Callable[[str], TestClient]
H = Callable[[str], dict[str, str]]

_FIELD = re.compile(r"<(input|select|textarea|fieldset)\b([^>]*)>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def _said(html: str, element_id: str) -> str:
    """The text of the element with ``element_id``, in words (tags dropped, blanks collapsed)."""
    m = re.search(rf'<(\w+)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert m, f"no element {element_id!r} describes the field"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", m[2])).split())


def marked(html: str) -> dict[str, list[str]]:
    """Each field marked invalid on the page (by its name; a fieldset by its legend's first words),
    with the texts that describe it (what its ``aria-describedby`` points to)."""
    out: dict[str, list[str]] = {}
    for m in _FIELD.finditer(html):
        attrs = dict(_ATTR.findall(m[2]))
        if attrs.get("aria-invalid") != "true":
            continue
        ids = attrs.get("aria-describedby", "").split()
        assert ids, f"a field is marked invalid without its message: {m[0]}"
        name = attrs.get("name") or m[1]
        out.setdefault(name, []).extend(_said(html, i) for i in ids)
    return out


def _value(html: str, name: str) -> str | None:
    m = re.search(rf'<input\b[^>]*\bname="{re.escape(name)}"[^>]*\bvalue="([^"]*)"', html)
    return unescape(m[1]) if m else None


def _arrival(client: TestClient, auth_headers: H, state: str = "DE") -> str:
    arrival = {**ARRIVAL, "encounter": {**ARRIVAL["encounter"], "member_state": state}}
    r = client.post("/api/v1/registry/arrivals", json=arrival, headers=auth_headers(f"{state.lower()}-caseworker"))
    assert r.status_code == 201, r.text
    return str(r.json()["person_id"])


# --------------------------------------------------------------------------- returns


def test_the_new_return_decision_says_each_problem_in_words_and_marks_its_field(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    person = _arrival(client, auth_headers)
    de = web_client("de-return")
    r = de.post("/returns/decisions/new", data={
        "person_id": person, "issued_on": "", "voluntary_departure_days": "abc", "entry_ban_years": "2",
        "grounds": ["illegal_stay"]}, follow_redirects=False)
    assert r.status_code == 422
    # pydantic's words are not the officer's: each field by its label, the problem in plain words
    assert "Input should be" not in r.text and "unable to parse" not in r.text
    assert marked(r.text) == {"issued_on": ["Issued on: required"],
                              "voluntary_departure_days": ["Voluntary departure, days: 'abc' is not a whole number"]}
    assert _value(r.text, "voluntary_departure_days") == "abc" and _value(r.text, "entry_ban_years") == "2"
    # a name typed where the form asks for the person's id: the field says so, its hint kept with it
    r = de.post("/returns/decisions/new", data={"person_id": "Haddad", "issued_on": "2026-11-25"})
    assert r.status_code == 422
    said = marked(r.text)
    assert list(said) == ["person_id"]
    assert said["person_id"][0].startswith("Person: “Haddad” is not a person id")
    assert said["person_id"][1].startswith("The person's id (per_…)")  # the hint beside the field


def test_a_refused_action_on_a_return_decision_marks_its_own_form_only(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    person = _arrival(client, auth_headers)
    decision = client.post("/api/v1/returns/decisions", headers=auth_headers("de-return"),
                           json={"person_id": person, "issued_on": "2026-11-25"})
    assert decision.status_code == 201, decision.text
    url = f"/returns/decisions/{decision.json()['id']}"
    de = web_client("de-return")
    r = de.post(f"{url}/avr", data={"programme": "ERRIN", "funding_source": "AMIF", "amount_eur": "lots",
                                    "opened_on": "2026-11-26"})
    assert r.status_code == 422
    assert marked(r.text) == {"amount_eur": ["Amount (EUR): 'lots' is not a number"]}
    assert _value(r.text, "amount_eur") == "lots" and _value(r.text, "programme") == "ERRIN"
    # the amended decision on the destination keeps what was typed, the destination refused marked
    r = de.post(f"{url}/destination", data={"version": "1", "destination_country": "QQQ", "issued_on": "2026-11-26",
                                            "reasons": "the person lived there", "remedies": "appeal to the court"})
    assert r.status_code == 422
    said = marked(r.text)
    assert list(said) == ["destination_country"] and said["destination_country"][0].startswith("Destination: ")
    assert _value(r.text, "destination_country") == "QQQ"


def test_a_refused_departure_under_avr_comes_back_in_its_row_on_the_operations_page(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    """The departure under an assisted voluntary return is recorded from the operations page: a
    refused one comes back there (it came back on the decision page, which has no such form), the
    date typed kept in the case's row and marked."""
    person = _arrival(client, auth_headers)
    headers = auth_headers("de-return")
    decision = client.post("/api/v1/returns/decisions", headers=headers,
                           json={"person_id": person, "issued_on": "2026-11-25"}).json()
    avr = client.post("/api/v1/returns/avr", headers=headers, json={
        "return_decision_id": decision["id"], "programme": "IOM AVRR", "funding_source": "AMIF",
        "amount_eur": "500", "opened_on": "2026-11-26"})
    assert avr.status_code == 201, avr.text
    r = web_client("de-return").post(f"/returns/avr/{avr.json()['id']}/departure", data={
        "version": "1", "return_decision_id": decision["id"], "departed_on": "2026-11-20"})
    assert r.status_code == 422 and "<h1>Return operations</h1>" in r.text
    said = marked(r.text)
    assert list(said) == ["departed_on"], said
    assert said["departed_on"][0].startswith("Departed on: ")
    assert _value(r.text, "departed_on") == "2026-11-20"


def test_a_refused_hit_comes_back_with_the_alert_found_and_its_row_marked(tmp_path: Path) -> None:
    """A hit is recorded from the alert search's row: a refused one comes back with the search it was
    found by (it came back to a blank search, the alert and what was typed gone), its row keeping
    what was typed and marking what was refused."""
    world = make_world(tmp_path)
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    assert post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20"}).status_code == 201
    load_all()["identity_index"].fn(world.services, world.services.clock.now())
    de = browser(world, "de.returns")
    query = {"surname": "Trabelsi", "given_names": "Karim", "date_of_birth": "1994-03-02"}
    page = de.get("/returns/search", params=query).text
    alert = re.findall(r'name="alert_id" value="([^"]+)"', page)
    assert len(alert) == 1
    r = de.post("/returns/hits", data={"alert_id": alert[0], "place": "Munich", "local_person_id": "", **query},
                follow_redirects=False)
    assert r.status_code == 422
    assert re.findall(r'name="alert_id" value="([^"]+)"', r.text) == alert  # the alert found is shown again
    assert marked(r.text) == {"local_person_id": ["Person encountered: required"]}
    assert _value(r.text, "place") == "Munich"


# --------------------------------------------------------------------------- asylum procedure


def _case(client: TestClient, auth_headers: H) -> dict[str, Any]:
    person = _arrival(client, auth_headers)
    r = client.post("/api/v1/procedures/applications", headers=auth_headers("de-caseworker"), json={
        "person_id": person, "made_on": "2026-11-26", "registered_on": "2026-11-26", "context": "in_territory"})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_refused_step_of_an_asylum_case_marks_its_field_by_the_steps_label(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    case = _case(client, auth_headers)
    de = web_client("de-caseworker")
    page = de.get(f"/procedures/cases/{case['id']}").text
    assert 'name="action" value="lodge"' in page
    r = de.post(f"/procedures/cases/{case['id']}/act",
                data={"action": "lodge", "version": str(case["version"]), "lodged_on": "2026-13-45"})
    assert r.status_code == 422
    assert marked(r.text) == {"lodged_on": ["Lodged on: a date (YYYY-MM-DD) is required"]}
    assert _value(r.text, "lodged_on") == "2026-13-45"
    # a step's own label names the field (the interview's language, not "Language")
    r = de.post(f"/procedures/cases/{case['id']}/act",
                data={"action": "lodge", "version": str(case["version"]), "lodged_on": "2026-11-27"},
                follow_redirects=False)
    assert r.status_code == 303
    version = client.get(f"/api/v1/procedures/applications/{case['id']}",
                         headers=auth_headers("de-caseworker")).json()["version"]
    r = de.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "schedule_interview", "version": str(version), "interview_on": "2026-12-10", "language": "x" * 500})
    assert r.status_code == 422
    said = marked(r.text)
    assert list(said) == ["language"], said
    assert said["language"][0].startswith("Interview language: ")


def test_a_refused_end_of_a_safe_country_designation_marks_its_row(web_client: W) -> None:
    it = web_client("it-admin")
    r = it.post("/procedures/safe-countries", data={
        "scope": "IT", "concept": "safe_country_of_origin", "country": "SEN", "valid_from": "2026-11-01",
        "reference": "Decreto interministeriale 7 ottobre 2026 (test)"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = it.get("/procedures/safe-countries").text
    change = re.findall(r'action="(/procedures/safe-countries/[^"]+/change)"', page)
    assert len(change) == 1
    r = it.post(change[0], data={"version": "1", "do": "end", "valid_to": "", "reason": "the decree was annulled"})
    assert r.status_code == 422
    said = marked(r.text)
    assert list(said) == ["valid_to"], said  # the row's last day, not the designation form's "Until"
    assert said["valid_to"][0].startswith("Last day: ")
    assert _value(r.text, "reason") == "the decree was annulled"


# --------------------------------------------------------------------------- Dublin


def _dublin_case(client: TestClient, auth_headers: H) -> str:
    person = _arrival(client, auth_headers)
    r = client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"),
                    json={"reference": "DE-DUB-9", "person_id": person, "facts": EXAMPLE})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_refused_dublin_request_and_what_if_mark_their_fields(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    case_id = _dublin_case(client, auth_headers)
    de = web_client("de-dublin")
    url = f"/responsibility/cases/{case_id}"
    # a hit date typed without "Eurodac hit" ticked
    r = de.post(f"{url}/requests", data={"kind": "take_charge", "requested_member_state": "IT",
                                         "hit_on": "2026-11-01"})
    assert r.status_code == 422
    said = marked(r.text)
    assert said == {"eurodac_hit": ["Eurodac hit: a hit date is given but no Eurodac hit is stated: state the hit, "
                                    "or leave the date out"]}
    assert _value(r.text, "hit_on") == "2026-11-01"
    # a piece of evidence too long, typed in the second row (the first left blank): that row's field
    r = de.post(f"{url}/requests", data={
        "kind": "take_charge", "requested_member_state": "IT",
        "evidence[0].kind": "document", "evidence[0].description": "",
        "evidence[1].kind": "statement", "evidence[1].description": "x" * 2001})
    assert r.status_code == 422
    assert marked(r.text) == {"evidence[1].description": ["Evidence 2, What it shows: at most 2000 characters"]}
    # a kind of evidence that is none: that row's kind, not the request's own "Kind"
    r = de.post(f"{url}/requests", data={"kind": "take_charge", "requested_member_state": "IT",
                                         "evidence[0].kind": "telepathy", "evidence[0].description": "seen"})
    assert r.status_code == 422
    said = marked(r.text)
    assert list(said) == ["evidence[0].kind"], said
    assert said["evidence[0].kind"][0].startswith("Evidence 1, Kind: ")
    # the what-if of who is responsible: an event's row without its date is marked in its row
    r = de.post(f"{url}/cessation", data={"on": "2027-06-01", "events[1].kind": "residence_document_issued",
                                          "events[1].member_state": "FR"})
    assert r.status_code == 422
    said = marked(r.text)
    assert list(said) == ["events[1].on"], said
    assert said["events[1].on"][0].startswith("Event 2, On: ")


# --------------------------------------------------------------------------- solidarity


def test_a_refused_pledge_and_cycle_mark_their_fields(client: TestClient, auth_headers: H, web_client: W) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    de = web_client("de-admin")
    status, page = send(de, de.get("/solidarity/pledge?year=2027").text, "pledge-form", relocations="-5",
                        financial_eur="1000")
    assert status == 422
    assert marked(page) == {"relocations": ["Relocations: cannot be negative (got -5)"]}
    assert _value(page, "relocations") == "-5" and _value(page, "financial_eur") == "1000"
    # the Commission's cycle: a state designated that is no state is said of the field it was typed in
    com = web_client("com-solidarity")
    action, values = forms(com.get("/solidarity").text)["cycle-create-form"]
    r = com.post(action, data={**values, "year": "2026", "at_risk": "QQ"}, follow_redirects=False)
    assert r.status_code == 422
    said = marked(r.text)
    assert list(said) == ["at_risk"], said
    assert said["at_risk"][0].startswith("At risk of migratory pressure: ")
    assert _value(r.text, "at_risk") == "QQ"

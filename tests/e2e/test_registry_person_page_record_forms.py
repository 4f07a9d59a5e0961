"""The forms of a person's page that name one of the person's records — record the capture, record
the transmission to Eurodac, search for matches — refused because the record they name is not the
person's (a page opened before, a form sent by hand, another person's or another state's record) or
has nothing to record (a child below the minimum age for biometrics). Before, the capture and the
transmission answered 422 with a page that said nothing, and the search for matches said its message
at the top only, not beside the record's choice. Now the page comes back with a summary naming the
form's field and the message beside the field (or, for a record with no form on the page, where the
forms are), and nothing is recorded. The store's clock: 28 November 2026, 12:00 UTC."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log

Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]


def _arrival(given: str, surname: str, *, state: str = "IT", born: str = "1990-05-01",
             biometrics: dict[str, str] | None = None) -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "sex": "M", "date_of_birth": born,
                         "nationality": "SYR"},
            "encounter": {"member_state": state, "occurred_at": "2026-11-26T10:00:00Z",
                          "kind": "irregular_crossing", "place": "Trieste" if state == "IT" else "Lesvos"},
            "biometrics": biometrics if biometrics is not None else {"template_ref": f"tpl-{given.lower()}"}}


def _register(client: TestClient, auth_headers: Headers, arrival: dict[str, Any],
              user: str = "it-caseworker") -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", json=arrival, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    return dict(r.json())


def _biometrics(client: TestClient, auth_headers: Headers, person_id: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/registry/persons/{person_id}", headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    return dict(r.json()["biometrics"][0])


def _recorded(services: Services) -> int:
    """How many captures and transmissions to Eurodac were recorded (audited) after registration."""
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log).where(audit_log.c.action.in_(
            ("eurodac.capture_recorded", "eurodac.transmission_recorded")))).scalar_one())


def _summary(page: str) -> list[str]:
    """The lines of the page's summary of what to correct (the focus moves to it)."""
    box = re.search(r'<div class="error" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert box, "no summary of errors"
    return [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li[^>]*>(.*?)</li>", box[1], re.S)]


def _said(page: str, element_id: str) -> str:
    said = re.search(rf'<(?:p|span) class="error field-error" id="{element_id}">(.*?)</(?:p|span)>', page, re.S)
    assert said, f"no message {element_id}"
    return html.unescape(said[1])


def test_the_capture_form_naming_another_persons_record_is_refused_with_a_message(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    karim = _register(client, auth_headers, _arrival("Karim", "Haddad"))
    omar = _register(client, auth_headers, _arrival("Omar", "Saleh"))
    officer = web_client("it-caseworker")
    page = officer.post(f"/registry/persons/{karim['person_id']}/capture",
                        data={"record_id": omar["identity_record_id"], "template_ref": "tpl-omar",
                              "captured_at": "2026-11-27T09:00"}, follow_redirects=False)
    assert page.status_code == 422
    said = (f"'{omar['identity_record_id']}' is not one of this person's identity records "
            f"({karim['identity_record_id']}): record its capture on the page of the person whose record it is")
    assert _summary(page.text) == [f"Record whose capture is recorded: {said}"]
    # said where the capture forms are, in the Eurodac section, beside Karim's own form
    section = page.text.split("<h2>Eurodac and biometrics</h2>", 1)[1].split("</section>", 1)[0]
    assert _said(section, "capture-record_id-error") == said
    assert f'id="capture-{karim["identity_record_id"]}"' in section  # Karim's form is still offered
    # nothing recorded: Omar's capture is still to be recorded, and no capture is audited
    assert _biometrics(client, auth_headers, omar["person_id"])["captured_at"] is None
    assert _recorded(services) == 0


def test_the_capture_form_without_a_record_or_naming_another_states_record_is_refused(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    karim = _register(client, auth_headers, _arrival("Karim", "Haddad"))
    greek = _register(client, auth_headers, _arrival("Nikos", "Abbas", state="EL"), user="el-caseworker")
    officer = web_client("it-caseworker")
    blank = officer.post(f"/registry/persons/{karim['person_id']}/capture",
                         data={"record_id": " ", "template_ref": "tpl-karim", "captured_at": "2026-11-27T09:00"},
                         follow_redirects=False)
    assert blank.status_code == 422
    assert _summary(blank.text) == ["Record whose capture is recorded: required: the form names none of this "
                                    "person's identity records"]
    assert _said(blank.text, "capture-record_id-error").startswith("required")
    # a record of Greece's, which Italy's officer cannot see: refused the same way, not found
    other = officer.post(f"/registry/persons/{karim['person_id']}/capture",
                         data={"record_id": greek["identity_record_id"], "template_ref": "tpl-x",
                               "captured_at": "2026-11-27T09:00"}, follow_redirects=False)
    assert other.status_code == 422
    assert f"'{greek['identity_record_id']}' is not one of this person's identity records" in \
        _said(other.text, "capture-record_id-error")


def test_the_capture_of_a_childs_record_below_the_minimum_age_says_why(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    # a boy of four: Eurodac takes biometric data from the age of six (Reg. (EU) 2024/1358 Art 14(1))
    child = _register(client, auth_headers, _arrival("Sami", "Haddad", born="2022-03-01", biometrics={}))
    officer = web_client("it-caseworker")
    shown = officer.get(f"/registry/persons/{child['person_id']}").text
    assert f'id="capture-{child["identity_record_id"]}"' not in shown  # no form offered
    page = officer.post(f"/registry/persons/{child['person_id']}/capture",
                        data={"record_id": child["identity_record_id"], "template_ref": "tpl-sami",
                              "captured_at": "2026-11-27T09:00"}, follow_redirects=False)
    assert page.status_code == 422  # not a bare "not found"
    assert _said(page.text, "capture-record_id-error") == (
        f"record '{child['identity_record_id']}': the person was below the minimum age for biometrics: "
        "Eurodac stores no biometric data of this record")


def test_a_refused_capture_time_is_in_the_summary_and_beside_the_field(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    karim = _register(client, auth_headers, _arrival("Karim", "Haddad"))
    rid = karim["identity_record_id"]
    page = web_client("it-caseworker").post(
        f"/registry/persons/{karim['person_id']}/capture",
        data={"record_id": rid, "template_ref": "tpl-karim", "captured_at": "2026-11-26T09:00"},
        follow_redirects=False)
    assert page.status_code == 422
    assert _summary(page.text) == ["Biometric data taken at (UTC): is before the encounter (2026-11-26T10:00:00+00:00)"]
    field = re.search(r'<input type="datetime-local" name="captured_at"[^>]*>', page.text)
    assert field and 'aria-invalid="true"' in field[0] and 'value="2026-11-26T09:00"' in field[0]
    template = re.search(r'<input type="text" name="template_ref"[^>]*>', page.text)
    assert template and "aria-invalid" not in template[0]  # only the refused field is marked
    assert "capture-record_id-error" not in page.text


def test_the_transmission_form_naming_another_persons_record_is_refused_with_a_message(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    taken = {"template_ref": "tpl", "captured_at": "2026-11-26T11:00:00Z"}
    karim = _register(client, auth_headers, _arrival("Karim", "Haddad", biometrics=taken))
    omar = _register(client, auth_headers, _arrival("Omar", "Saleh", biometrics=taken))
    officer = web_client("it-caseworker")
    page = officer.post(f"/registry/persons/{karim['person_id']}/transmission",
                        data={"record_id": omar["identity_record_id"], "transmitted_at": "2026-11-27T09:00"},
                        follow_redirects=False)
    assert page.status_code == 422
    said = (f"'{omar['identity_record_id']}' is not one of this person's identity records "
            f"({karim['identity_record_id']}): record its transmission on the page of the person whose record it is")
    assert _summary(page.text) == [f"Record whose transmission is recorded: {said}"]
    assert _said(page.text, "transmission-record_id-error") == said
    # Karim's own form is not marked: it was not the one refused
    field = re.search(r'<input type="datetime-local" name="transmitted_at"[^>]*>', page.text)
    assert field and "aria-invalid" not in field[0]
    assert _biometrics(client, auth_headers, omar["person_id"])["transmitted_at"] is None
    assert _recorded(services) == 0


def test_a_refused_transmission_time_is_in_the_summary_and_beside_the_field(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    karim = _register(client, auth_headers, _arrival("Karim", "Haddad", biometrics={
        "template_ref": "tpl", "captured_at": "2026-11-26T11:00:00Z"}))
    rid = karim["identity_record_id"]
    page = web_client("it-caseworker").post(f"/registry/persons/{karim['person_id']}/transmission",
                                            data={"record_id": rid, "transmitted_at": "yesterday"},
                                            follow_redirects=False)
    assert page.status_code == 422
    assert _summary(page.text) == ["Transmitted to Eurodac at (UTC): give the date and time of the transmission (UTC)"]
    assert re.search(rf'<p class="error" id="transmission-error-{rid}">give the date and time', page.text)


def test_the_search_for_matches_of_another_persons_record_says_so_beside_the_choice(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    karim = _register(client, auth_headers, _arrival("Karim", "Haddad"))
    omar = _register(client, auth_headers, _arrival("Omar", "Saleh"))
    page = web_client("it-caseworker").post(f"/registry/persons/{karim['person_id']}/matches",
                                            data={"record_id": omar["identity_record_id"]})
    assert page.status_code == 422
    said = (f"'{omar['identity_record_id']}' is not one of this person's identity records "
            f"({karim['identity_record_id']}): choose one of the records listed")
    assert _summary(page.text) == [f"Search for matches of record: {said}"]
    choice = re.search(r'<select name="record_id"[^>]*>', page.text)
    assert choice and 'aria-invalid="true" aria-describedby="matches-record_id-error"' in choice[0]
    assert _said(page.text, "matches-record_id-error") == said
    assert "Possible matches" not in page.text  # nothing searched

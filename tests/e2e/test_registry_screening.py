"""The screening form (Screening Reg. 2024/1356 Art 17, 18): outcomes that contradict the answers,
completion without the security check, clearing a point, and a save after someone else's."""

from __future__ import annotations

import copy

from tests.e2e.test_registry_api import ARRIVAL


def _screening(client, auth_headers, occurred_at: str = "2026-11-25T06:30:00Z") -> str:
    data = copy.deepcopy(ARRIVAL)
    data["encounter"]["occurred_at"] = occurred_at
    data["biometrics"] = {"captured_at": occurred_at}
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    return f"/api/v1/registry/screenings/{r.json()['screening']['id']}"


def _fields(r) -> set[str]:
    return {str(e["loc"][-1]) for e in r.json()["detail"]}


def test_an_applicant_is_not_referred_to_return(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, auth_headers)
    r = client.patch(url, json={"version": 1, "applied_for_protection": True, "database_hit": False,
                                "outcome": "return"}, headers=h)
    assert r.status_code == 422, r.text
    assert _fields(r) == {"outcome"}
    assert "Article 18" in r.text
    stored = client.get(url, headers=h).json()
    assert stored["completed_at"] is None and stored["version"] == 1  # nothing written
    # nor one who did not apply to the asylum procedure
    r = client.patch(url, json={"version": 1, "applied_for_protection": False, "database_hit": False,
                                "outcome": "asylum"}, headers=h)
    assert r.status_code == 422 and _fields(r) == {"outcome"}
    # the applicant is referred to the asylum procedure
    r = client.patch(url, json={"version": 1, "applied_for_protection": True, "database_hit": False,
                                "outcome": "asylum"}, headers=h)
    assert r.status_code == 200 and r.json()["completed_at"]


def test_the_outcome_set_in_an_earlier_save_is_checked_against_the_stored_answers(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, auth_headers)
    assert client.patch(url, json={"version": 1, "applied_for_protection": True, "database_hit": True},
                        headers=h).status_code == 200
    r = client.patch(url, json={"version": 2, "outcome": "return"}, headers=h)
    assert r.status_code == 422 and _fields(r) == {"outcome"}


def test_before_its_deadline_the_screening_does_not_end_without_the_security_check(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, auth_headers)  # deadline 2 December, the clock says 28 November
    r = client.patch(url, json={"version": 1, "applied_for_protection": True, "outcome": "asylum"}, headers=h)
    assert r.status_code == 422 and _fields(r) == {"database_hit"}
    assert client.get(url, headers=h).json()["completed_at"] is None


def test_at_its_deadline_the_screening_ends_incomplete_and_says_what_is_missing(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, auth_headers, "2026-11-16T06:30:00Z")  # deadline 23 November: passed
    r = client.patch(url, json={"version": 1, "applied_for_protection": True, "outcome": "asylum"}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["completed_at"]
    assert len(body["warnings"]) == 1
    assert "(h) security check" in body["warnings"][0] and "(d) preliminary health check" in body["warnings"][0]
    assert client.get(url, headers=h).json()["warnings"] == body["warnings"]


def test_null_clears_a_point_and_an_absent_point_is_kept(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, auth_headers)
    r = client.patch(url, json={"version": 1, "languages": "Arabic", "health_check": "fine"}, headers=h)
    assert r.json()["languages"] == "Arabic"
    r = client.patch(url, json={"version": 2, "languages": None}, headers=h)
    assert r.status_code == 200
    assert r.json()["languages"] is None  # cleared
    assert r.json()["health_check"] == "fine"  # absent from the body: unchanged
    # an outcome given as null completes nothing: the outcome is already open, so nothing changes
    r = client.patch(url, json={"version": 3, "outcome": None}, headers=h)
    assert r.status_code == 422 and "nothing changed" in r.text
    assert client.get(url, headers=h).json()["completed_at"] is None


def _web_screening(web_client, register_form) -> tuple[object, str]:
    import re

    c = web_client("it-caseworker")
    loc = c.post("/registry/register", data=register_form, follow_redirects=False).headers["location"]
    url = re.search(r'href="(/registry/screenings/[^"]+)"', c.get(loc).text).group(1)
    return c, url


_FORM = {"surname": "Diallo", "given_names": "Mamadou", "sex": "M", "date_of_birth": "2001",
         "nationality": "GIN", "kind": "irregular_crossing", "occurred_at": "2026-11-26T04:10",
         "place": "Lampedusa", "captured_at": "2026-11-26T08:00"}


def test_a_field_blanked_on_the_web_form_is_cleared(web_client):
    c, url = _web_screening(web_client, _FORM)
    c.post(url, data={"version": "1", "languages": "Arabic", "cooperated": "yes"})
    assert 'value="Arabic"' in c.get(url).text
    r = c.post(url, data={"version": "2", "languages": "", "cooperated": ""}, follow_redirects=True)
    assert "Screening answers saved" in r.text
    assert 'value="Arabic"' not in r.text
    assert '<option value="yes" selected>' not in r.text


def test_a_save_after_someone_elses_keeps_the_answers_typed_and_says_what_is_on_file(web_client):
    c, url = _web_screening(web_client, _FORM)
    other = web_client("it-caseworker")
    assert other.post(url, data={"version": "1", "languages": "French"},
                      follow_redirects=False).status_code == 303
    r = c.post(url, data={"version": "1", "languages": "Arabic, Tigrinya",
                          "health_check": "sprained ankle, treated"})
    assert r.status_code == 409
    assert "someone else saved this screening" in r.text
    assert 'value="Arabic, Tigrinya"' in r.text and "sprained ankle, treated" in r.text  # kept
    conflict = r.text.split('id="screening-conflict"', 1)[1].split("</div>", 1)[0]
    assert "French" in conflict and "Arabic, Tigrinya" in conflict  # on file, and typed
    assert 'name="version" value="2"' in r.text  # saving again replaces the answers knowingly
    again = c.post(url, data={"version": "2", "languages": "Arabic, Tigrinya"}, follow_redirects=True)
    assert 'value="Arabic, Tigrinya"' in again.text


def test_a_save_after_someone_else_completed_the_screening_says_so(web_client):
    c, url = _web_screening(web_client, _FORM)
    other = web_client("it-caseworker")
    assert other.post(url, data={"version": "1", "applied_for_protection": "yes", "database_hit": "no",
                                 "outcome": "asylum"}, follow_redirects=False).status_code == 303
    r = c.post(url, data={"version": "1", "languages": "Arabic"})
    assert r.status_code == 409
    assert "now completed" in r.text and "Arabic" in r.text


def test_a_refused_outcome_is_not_shown_as_recorded(web_client):
    c, url = _web_screening(web_client, _FORM)
    r = c.post(url, data={"version": "1", "applied_for_protection": "yes", "database_hit": "no",
                          "outcome": "return", "languages": "Arabic"})
    assert r.status_code == 422
    assert "Article 18" in r.text
    header = r.text.split('<dl class="kv card">', 1)[1].split("</dl>", 1)[0]
    outcome = header.split("<dt>Outcome</dt>", 1)[1]
    assert 'badge warn">open' in outcome and "badge ok" not in outcome and "return" not in outcome
    form = r.text.split('id="screening-form"', 1)[1]
    assert '<option value="return" selected>' in form and 'value="Arabic"' in form  # typing kept

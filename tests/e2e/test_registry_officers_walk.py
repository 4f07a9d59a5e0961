"""What officers registering arrivals and completing screenings met on the walk of 1 December 2026
(registry and screening, web, API and CLI)."""

from __future__ import annotations

import copy
from datetime import datetime

from tests.e2e.test_registry_api import ARRIVAL


def test_the_screenings_due_say_when_each_screening_started_in_utc(client, auth_headers):
    """A national system reading ``started_at`` of the screenings due got "2026-11-25T06:30:00"
    (no offset, read as its own local time: an hour or two out in Rome or Athens) while the
    screening itself and its ``deadline_at`` say UTC ("…Z")."""
    h = auth_headers("it-caseworker")
    body = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h).json()
    due = client.get("/api/v1/registry/screenings/due", headers=h).json()
    [entry] = [d for d in due if d["id"] == body["screening"]["id"]]
    # disembarked at Lampedusa on 25 November 2026 at 06:30 UTC (07:30 in Rome)
    assert entry["started_at"] == "2026-11-25T06:30:00Z"
    assert datetime.fromisoformat(entry["started_at"]).utcoffset() is not None
    screening = client.get(f"/api/v1/registry/screenings/{entry['id']}", headers=h).json()
    assert entry["started_at"] == screening["started_at"]


def _held(kind: str) -> dict:
    data = copy.deepcopy(ARRIVAL)  # at Lampedusa on 25 November 2026, 06:30 UTC
    data["encounter"]["kind"] = kind
    data["held_over_72h"] = True
    return data


def test_an_irregular_crosser_held_at_the_border_over_72_hours_is_screened_in_four_days_after_them(
        client, auth_headers):
    """Art 8(3), second sentence: "i relativi accertamenti sono svolti successivamente e il periodo per
    gli accertamenti è ridotto a quattro giorni": apprehended on 25 November at 07:30 in Rome, the 72
    hours end on 28 November and the four days on 2 December (not on 29 November, four days from the
    apprehension)."""
    r = client.post("/api/v1/registry/arrivals", json=_held("irregular_crossing"),
                    headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    screening = r.json()["screening"]
    assert screening["variant"] == "border_held_over_72h"
    assert screening["deadline_local"] == "2026-12-02T23:59:59+01:00"


def test_the_four_days_are_not_given_to_a_sar_arrival_or_a_border_crossing_point_applicant(client, auth_headers):
    """Art 8(3), second sentence, shortens the screening of the persons of Art 5(1)(a) (apprehended at
    an irregular crossing) only: a person disembarked after search and rescue (Art 5(1)(b)) or applying
    at a border crossing point (Art 5(2)) has the seven days, and one met inland the three of Art
    8(4). The registration said "held over 72 hours" of them and got a screening ending three days
    early; now it names the field, and nothing is written."""
    h = auth_headers("it-caseworker")
    for kind, said in [("sar_disembarkation", "Article 5(1), point (b)"),
                       ("border_crossing_point_application", "Article 5(2)"),
                       ("illegal_stay", "Article 8(4)")]:
        r = client.post("/api/v1/registry/arrivals", json=_held(kind), headers=h)
        assert r.status_code == 422, (kind, r.text)
        [problem] = r.json()["detail"]
        assert problem["loc"] == ["body", "held_over_72h"]
        assert "Article 8(3)" in problem["msg"] and said in problem["msg"]
    assert client.get("/api/v1/registry/search", params={"name": "haddad"}, headers=h).json() == []
    # the same disembarkation, not said to be held, gets its seven days
    data = _held("sar_disembarkation")
    data["held_over_72h"] = False
    screening = client.post("/api/v1/registry/arrivals", json=data, headers=h).json()["screening"]
    assert (screening["variant"], screening["deadline_local"]) == ("border", "2026-12-02T23:59:59+01:00")


def test_the_web_form_refuses_the_tick_for_a_disembarkation_and_keeps_what_was_typed(web_client):
    c = web_client("it-caseworker")
    r = c.post("/registry/register", data={
        "surname": "Darwish", "given_names": "Ahmed", "sex": "M", "date_of_birth": "2003-05-12",
        "nationality": "SYR", "kind": "sar_disembarkation", "occurred_at": "2026-11-27T10:00",
        "place": "Lampedusa", "held_over_72h": "on"})
    assert r.status_code == 422
    errors = r.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "Held at the external border over 72 hours: only a person apprehended" in errors
    assert 'value="Darwish"' in r.text and 'value="Lampedusa"' in r.text
    assert '<option value="sar_disembarkation" selected>' in r.text
    assert 'name="held_over_72h" checked' in r.text


def test_the_72_hours_to_transmit_run_and_are_said_before_the_capture_time_is_known(client, auth_headers):
    """Eurodac counts the 72 hours from the apprehension (Reg. (EU) 2024/1358 Art 22(2)), not from
    the capture: a crosser registered before the capture time is given had no transmission limit at
    all ("transmission_deadline": null, and nothing on the person's page)."""
    data = copy.deepcopy(ARRIVAL)
    data["encounter"].update(kind="irregular_crossing", occurred_at="2026-11-27T10:00:00Z")
    data["biometrics"] = {"template_ref": "tpl-waiting"}
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    bio = r.json()["biometrics"]
    # 72 hours from the start of the hour after the apprehension (Reg. 1182/71 Art 3(1))
    assert bio["transmission_deadline"] == "2026-11-30T11:00:00Z"
    assert bio["transmission_met"] is None
    assert "Regulation (EU) 2024/1358, Article 22(2)" in bio["legal_basis"]


def test_the_person_page_says_when_the_72_hours_have_passed_without_a_transmission(web_client):
    """On 28 November at noon, a disembarkation of 24 November whose data were not transmitted is
    past its limit (27 November, 09:00 UTC): the page said "not yet transmitted", as for data still
    within their 72 hours."""
    c = web_client("it-caseworker")
    form = {"surname": "Darwish", "given_names": "Ahmed", "sex": "M", "date_of_birth": "2003-05-12",
            "nationality": "SYR", "kind": "sar_disembarkation", "place": "Lampedusa",
            "template_ref": "tpl-late"}
    late = c.post("/registry/register", data={**form, "occurred_at": "2026-11-24T08:00",
                                              "captured_at": "2026-11-24T09:00"})
    assert late.status_code == 200, late.text  # the person's page, after the redirect
    eurodac = late.text.split("Eurodac and biometrics", 1)[1].split("</section>", 1)[0]
    assert "not transmitted: the limit has passed" in eurodac and "not yet transmitted" not in eurodac
    recent = c.post("/registry/register", data={**form, "surname": "Nasser", "occurred_at": "2026-11-28T08:00"})
    eurodac = recent.text.split("Eurodac and biometrics", 1)[1].split("</section>", 1)[0]
    assert "transmit by" in eurodac and "not yet transmitted" in eurodac
    assert "the limit has passed" not in eurodac


def test_a_disembarkation_after_search_and_rescue_is_said_in_words_not_as_sar(client, auth_headers, web_client):
    """The person's page, the search and the correction page said the Eurodac category "sar"
    (Reg. (EU) 2024/1358 Art 24) where they say "irregular crossing" for the other categories."""
    body = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker")).json()
    assert body["eurodac"]["category"] == "sar"  # the API keeps its code
    c = web_client("it-caseworker")
    person = c.get(f"/registry/persons/{body['person_id']}").text
    assert "<td>SAR disembarkation</td>" in person and "Category <strong>SAR disembarkation</strong>" in person
    assert ">sar<" not in person and "(sar," not in person
    results = c.get("/registry/search?name=haddad").text.split('id="results"', 1)[1]
    assert "<td>SAR disembarkation</td>" in results and "<td>sar</td>" not in results
    correct = c.get(f"/registry/records/{body['identity_record_id']}/correct").text
    assert ", SAR disembarkation</p>" in correct

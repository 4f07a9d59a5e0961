# ruff: noqa: F811 -- the resettlement area's `api` and `pledged` fixtures are imported, and a test names a
# fixture by its parameter
"""Every time the API gives is UTC and carries its zone ("+00:00"), as the CHANGELOG promises: a
client in Lisbon or Nicosia reads "2026-11-22T15:00:00" as its own local time otherwise. SQLite
stores times without a zone, so the services say it. Found naive by the QA pass of 2026-12-02 in the
reception decisions and the resettlement pledge."""

from __future__ import annotations

from datetime import datetime

from tests.e2e.test_reception_conditions import _decision, _person
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_registration_api import pledged  # noqa: F401


def _utc(value: str) -> bool:
    at = datetime.fromisoformat(value)
    return at.tzinfo is not None and at.utcoffset() is not None and at.utcoffset().total_seconds() == 0


def test_reception_decisions_give_their_times_with_the_zone(client, auth_headers):
    h = auth_headers("it-caseworker")
    person = _person(client, h)
    r = client.post("/api/v1/reception/conditions", headers=h, json=_decision(person))
    assert r.status_code == 201, r.text
    one = r.json()
    assert _utc(one["created_at"]) and _utc(one["updated_at"]), one
    listed = client.get("/api/v1/reception/conditions", headers=h).json()["decisions"]
    assert listed and all(_utc(d["created_at"]) and _utc(d["updated_at"]) for d in listed)


def test_the_resettlement_pledge_gives_its_time_with_the_zone(api, pledged):
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert _utc(state["pledge"]["updated_at"]), state["pledge"]


def test_an_asylum_case_gives_its_timeline_times_with_the_zone(client, auth_headers, web_client):
    """Found naive by the QA pass of 2026-12-02: ``timeline[].at`` ("2026-09-20T11:00:00"). The case
    page still writes them "YYYY-MM-DD HH:MM UTC"."""
    import re

    h = auth_headers("it-caseworker")
    person = _person(client, h)
    r = client.post("/api/v1/procedures/applications", headers=h,
                    json={"person_id": person, "made_on": "2026-11-25", "registered_on": "2026-11-25",
                          "context": "sar_disembarkation"})
    assert r.status_code == 201, r.text
    case = r.json()
    r = client.post(f"/api/v1/procedures/applications/{case['id']}/actions", headers=h,
                    json={"action": "lodge", "version": case["version"], "lodged_on": "2026-11-25"})
    assert r.status_code == 200, r.text
    shown = client.get(f"/api/v1/procedures/applications/{case['id']}", headers=h).json()
    assert len(shown["timeline"]) >= 2 and all(_utc(e["at"]) for e in shown["timeline"]), shown["timeline"]
    page = web_client("it-caseworker").get(f"/procedures/cases/{case['id']}").text
    timeline = page.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    assert re.search(r'<span class="muted">\d{4}-\d\d-\d\d \d\d:\d\d UTC</span> <strong>lodged', timeline), timeline
    assert "+00:00" not in timeline


def test_a_dublin_request_and_its_case_give_their_timeline_times_with_the_zone(
    client, auth_headers, services, web_client
):
    from tests.e2e.test_responsibility_document_ends_notification import _case, _notify, _people

    it_person, _ = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    h = auth_headers("it-dublin")
    hit = client.post(f"/api/v1/responsibility/cases/{case_id}/hits", headers=h,
                      json={"hit_on": "2026-11-03", "member_state": "DE", "source": "eurodac", "category": "applicant"})
    assert hit.status_code in (200, 201), hit.text
    req = _notify(client, auth_headers, case_id, "indicated_responsible_in_eurodac")
    shown = client.get(f"/api/v1/responsibility/requests/{req['id']}", headers=h).json()
    assert shown["timeline"] and all(_utc(e["at"]) for e in shown["timeline"]), shown["timeline"]
    case = client.get(f"/api/v1/responsibility/cases/{case_id}", headers=h).json()
    actions = {e["action"] for e in case["timeline"]}
    assert {"determined", "hit_recorded"} <= actions, actions
    assert all(_utc(e["at"]) for e in case["timeline"]), case["timeline"]
    # the pages still write them as "YYYY-MM-DD HH:MM UTC"
    at = shown["timeline"][0]["at"]
    page = web_client("it-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert f"<td>{at[:10]} {at[11:16]} UTC</td>" in page.split('id="timeline"')[1]
    case_page = web_client("it-dublin").get(f"/responsibility/cases/{case_id}").text
    assert f"<td>{at[:10]} {at[11:16]} UTC</td>" in case_page

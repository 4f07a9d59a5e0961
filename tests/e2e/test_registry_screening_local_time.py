"""Every time on the screening pages is given as the home page gives the deadline: on the clock of
the place where the screening runs, with its time zone, and in UTC. A screening of a disembarkation
in the Canary Islands runs on the islands' clock (Atlantic/Canary), one hour behind Madrid's."""

from __future__ import annotations

import copy
import re
from datetime import datetime

from tests.e2e.test_registry_api import ARRIVAL


def _register(client, auth_headers, user: str, encounter: dict) -> dict:
    data = copy.deepcopy(ARRIVAL)
    data["encounter"].update(encounter)
    data["biometrics"] = {"captured_at": encounter["occurred_at"]}
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    return r.json()["screening"]


def _dd(page: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}">(.*?)</', page)
    assert m, element_id
    return m.group(1)


def test_started_deadline_and_completion_are_on_rome_time_with_utc(client, auth_headers, web_client):
    s = _register(client, auth_headers, "it-caseworker", {"occurred_at": "2026-11-25T06:30:00Z"})
    assert s["time_zone"] == "Europe/Rome" and s["started_local"].startswith("2026-11-25T07:30:00+01:00")
    officer = web_client("it-caseworker")
    page = officer.get(f"/registry/screenings/{s['id']}").text
    assert _dd(page, "screening-started") == "2026-11-25 07:30 Europe/Rome time (2026-11-25 06:30 UTC)"
    assert _dd(page, "screening-deadline") == "2026-12-02 23:59 Europe/Rome time (2026-12-02 22:59 UTC)"
    r = client.patch(f"/api/v1/registry/screenings/{s['id']}", headers=auth_headers("it-caseworker"),
                     json={"version": 1, "applied_for_protection": True, "database_hit": False,
                           "outcome": "asylum"})
    assert r.status_code == 200, r.text
    done = r.json()
    completed = datetime.fromisoformat(done["completed_at"])
    local = datetime.fromisoformat(done["completed_local"])
    assert local == completed and local.utcoffset() is not None and str(local.tzinfo) != "UTC"
    page = officer.get(f"/registry/screenings/{s['id']}").text
    assert _dd(page, "screening-completed") == (
        f"{local:%Y-%m-%d %H:%M} Europe/Rome time ({completed:%Y-%m-%d %H:%M} UTC)")


def test_an_overdue_screening_says_when_its_time_ended_on_both_clocks(client, auth_headers, web_client):
    s = _register(client, auth_headers, "it-caseworker", {"occurred_at": "2026-11-16T06:30:00Z"})
    page = web_client("it-caseworker").get(f"/registry/screenings/{s['id']}").text
    assert ("The screening's time limit ended on 2026-11-23 23:59 Europe/Rome time (2026-11-23 22:59 UTC)"
            in page)


def test_a_canary_islands_screening_runs_on_the_islands_clock(client, auth_headers, web_client):
    # 06:30 at Arguineguín, Gran Canaria, written with the islands' offset (UTC+0 in winter)
    canary = _register(client, auth_headers, "es-caseworker", {
        "member_state": "ES", "occurred_at": "2026-11-25T06:30:00+00:00", "place": "Arguineguín, Gran Canaria",
        "route": "Western African Route"})
    assert canary["time_zone"] == "Atlantic/Canary"
    # the end of 2 December on the islands: 23:59:59 at UTC+0, an hour after Madrid's midnight
    assert datetime.fromisoformat(canary["deadline_local"]).strftime("%Y-%m-%d %H:%M:%S %z") == (
        "2026-12-02 23:59:59 +0000")
    madrid = _register(client, auth_headers, "es-caseworker", {
        "member_state": "ES", "occurred_at": "2026-11-25T06:30:00+01:00", "place": "Almería",
        "route": "Western Mediterranean Route"})
    assert madrid["time_zone"] == "Europe/Madrid"
    officer = web_client("es-caseworker")
    page = officer.get(f"/registry/screenings/{canary['id']}").text
    assert _dd(page, "screening-started") == "2026-11-25 06:30 Atlantic/Canary time (2026-11-25 06:30 UTC)"
    assert _dd(page, "screening-deadline") == "2026-12-02 23:59 Atlantic/Canary time (2026-12-02 23:59 UTC)"
    home = officer.get("/").text
    assert "2026-12-02 23:59 Atlantic/Canary time (2026-12-02 23:59 UTC)" in home
    assert "2026-12-02 23:59 Europe/Madrid time (2026-12-02 22:59 UTC)" in home
    person = officer.get(f"/registry/persons/{canary['person_id']}").text
    assert "deadline 2026-12-02 23:59 Atlantic/Canary time (2026-12-02 23:59 UTC)" in person

"""Found on the daily walk of the home pages: a state officer's "Arrivals by route" said neither
whose arrivals they were nor what it counted, and an irregular crossing registered with its route
unknown was counted as "Inland (no route)", as if it had happened inside the territory. The section
now names the state whose encounters it counts and what its rows mean, and a border arrival whose
route was not recorded is "Route not recorded"; inland encounters stay "Inland (no route)"."""

from __future__ import annotations

import copy
import re

from tests.e2e.test_registry_api import ARRIVAL


def _register(client, auth_headers, **encounter) -> None:
    data = copy.deepcopy(ARRIVAL)
    data["encounter"].update({"member_state": "EL", "place": "Lesvos", **encounter})
    if encounter.get("route") is None:
        data["encounter"].pop("route")
    data["biometrics"] = {"captured_at": encounter["occurred_at"]}
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("el-caseworker"))
    assert r.status_code == 201, r.text


def _rows(page: str) -> list[tuple[str, str, str]]:
    section = page[page.index('id="encounters"'):]
    return re.findall(r"<tr><td>([\d-]+)</td><td>([^<]+)</td><td class=\"num\">(\d+)</td></tr>", section)


def test_a_border_arrival_without_a_route_is_not_counted_inland(client, auth_headers, web_client):
    _register(client, auth_headers, kind="irregular_crossing", route=None, occurred_at="2026-11-25T06:30:00Z")
    _register(client, auth_headers, kind="illegal_stay", route=None, occurred_at="2026-11-26T06:30:00Z")
    _register(client, auth_headers, kind="irregular_crossing", route="Eastern Mediterranean Route",
              occurred_at="2026-11-27T06:30:00Z")
    page = web_client("el-caseworker").get("/").text
    assert sorted(_rows(page)) == [("2026-11", "Eastern Mediterranean Route", "1"),
                                   ("2026-11", "Inland (no route)", "1"),
                                   ("2026-11", "Route not recorded", "1")]


def test_a_state_s_arrivals_name_the_state_and_what_they_count(client, auth_headers, web_client):
    _register(client, auth_headers, kind="irregular_crossing", route="Eastern Mediterranean Route",
              occurred_at="2026-11-27T06:30:00Z")
    page = web_client("el-caseworker").get("/").text
    section = page[page.index('id="encounters"'):]
    assert "Arrivals by route <small>registered by Greece</small>" in section
    assert "The encounters Greece registered in this platform" in section
    assert "nor other states' encounters" in section

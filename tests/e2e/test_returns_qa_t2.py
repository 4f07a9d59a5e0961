"""Defects found walking the returns area as Italy's return officer on the demo world.

A readmission request goes to the decision's destination as it stands: dated before the amended
decision that named that destination, it was recorded as sent to a country that was not yet the
destination (Bangladesh was until 31 August; a request of 25 August was recorded as sent to
Pakistan). The same held for an assisted voluntary return case, arranged for the destination as it
stands when it is opened.
The list of the state's decisions named each person by the platform's internal id, where the queue
and every other list name them: it names them as the queue does."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_returns_support import World, browser, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, get, make_world, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _amended(world: World) -> dict[str, Any]:
    person = world.person("it.returns", surname="Uddin", nationality="BGD")
    d = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7}).json()
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination",
             {"version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31",
              "reasons": "Bangladesh refused readmission; the person lived in Pakistan",
              "remedies": "appeal to the Tribunale di Roma within 30 days"})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_readmission_request_to_the_amended_destination_is_not_dated_before_the_amendment(world: World) -> None:
    d = _amended(world)
    r = post(world, "it.returns", "/readmission-requests", {"return_decision_id": d["id"], "sent_on": "2026-08-25"})
    assert r.status_code == 422, r.text
    (p,) = r.json()["detail"]
    assert p["loc"][-1] == "sent_on"
    assert p["msg"] == (f"PAK is the destination since the amended decision {d['reference']}-D1 of 2026-08-31: a "
                        "readmission request to it is sent on or after that day")
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["readmission_requests"] == []
    r = post(world, "it.returns", "/readmission-requests", {"return_decision_id": d["id"], "sent_on": "2026-08-31"})
    assert r.status_code == 201, r.text
    assert (r.json()["destination_country"], r.json()["sent_on"]) == ("PAK", "2026-08-31")


def test_an_assisted_voluntary_return_case_for_the_amended_destination_is_not_opened_before_it(
        world: World) -> None:
    d = _amended(world)
    body = {"return_decision_id": d["id"], "programme": "IOM AVRR", "funding_source": "AMIF", "amount_eur": "1500"}
    r = post(world, "it.returns", "/avr", {**body, "opened_on": "2026-08-30"})
    assert r.status_code == 422, r.text
    (p,) = r.json()["detail"]
    assert p["loc"][-1] == "opened_on"
    assert p["msg"] == (f"PAK is the destination since the amended decision {d['reference']}-D1 of 2026-08-31: an "
                        "assisted voluntary return case for it is opened on or after that day")
    r = post(world, "it.returns", "/avr", {**body, "opened_on": "2026-08-31"})
    assert r.status_code == 201, r.text
    assert r.json()["destination_country"] == "PAK"


def test_the_decisions_list_names_each_person_as_the_queue_does(world: World) -> None:
    d = _amended(world)
    (row,) = get(world, "it.returns", "/decisions").json()
    assert (row["person_name"], row["person_born"]) == ("Karim Uddin", 1994)
    page = html.unescape(browser(world, "it.returns").get("/returns/decisions").text)
    line = page.split(d["reference"], 1)[1].split("</tr>", 1)[0]
    assert f'<a href="/registry/persons/{d["person_id"]}">Karim Uddin</a>' in line and "born 1994" in line

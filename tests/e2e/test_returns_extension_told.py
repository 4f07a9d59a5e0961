"""An extension of the period for voluntary departure (Directive 2008/115/EC Art 7(2)) and the SIS
return alert (Regulation (EU) 2018/1860, read in its consolidated Italian text). Art 3(4): "Ogni
proroga di tale periodo è registrata senza indugio nella segnalazione" (any extension is recorded in
the alert without delay), in its field (x), the date of expiry of the period (Art 4(1)(x)), which the
CS-SIS's notice of Art 7(1) follows ("compresa ogni eventuale proroga"). The states with a hit on the
alert are in the exchange of supplementary information their hit opened "per stabilire le misure da
adottare" (Art 7(2)): the issuing state writes to them on their hit and each is notified once
(``voluntary_departure_extended``); before, they read the new day only by reopening the alert. API,
pages and CLI."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import audit_log

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _issue(world: World, surname: str = "Trabelsi") -> dict[str, Any]:
    """Italy's decision of 1 September 2026 (the world's day), 30 days: last day 1 October."""
    person = world.person("it.returns", surname=surname, nationality="TUN")
    r = post(
        world,
        "it.returns",
        "/decisions",
        {
            "person_id": person,
            "issued_on": "2026-09-01",
            "voluntary_departure_days": 30,
            "grounds": ["illegal_stay"],
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


def _hit(world: World, officer: str, d: dict[str, Any], surname: str = "Trabelsi") -> dict[str, Any]:
    met = world.met(officer, surname, d["alert"]["nationalities"])
    r = post(world, officer, "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met})
    assert r.status_code == 201, r.text
    return r.json()


def _extend(world: World, d: dict[str, Any], last_day: str) -> Any:
    return post(
        world,
        "it.returns",
        f"/decisions/{d['id']}/voluntary-departure/extend",
        {
            "version": d["version"],
            "last_day": last_day,
            "grounds": ["school_going_children"],
            "reason": "the children finish the school term",
        },
    )


def _told(reference: str, tail: str = "") -> str:
    return (
        f"IT extended the period for voluntary departure of return decision {reference} from 2026-10-01 to "
        f"2026-10-30 (Directive 2008/115/EC, Article 7(2)){tail}. The return alert's date of expiry of the period "
        "was updated with it (Regulation (EU) 2018/1860, Article 3(4); Regulation (EU) 2018/1860, Article "
        "4(1)(x)). The person is not removed while the period runs (Directive 2008/115/EC, Article 8(2))."
    )


def test_the_states_with_a_hit_are_told_on_their_hit_and_the_alert_carries_the_new_day(world: World) -> None:
    d = _issue(world)
    de_hit = _hit(world, "de.returns", d)
    fr_hit = _hit(world, "fr.returns", d)
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    r = _extend(world, d, "2026-10-30")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["alert"]["voluntary_departure_last_day"] == "2026-10-30"
    told = _told(d["reference"])
    for officer, hit in (("de.returns", de_hit), ("fr.returns", fr_hit)):
        (note,) = get(world, officer, "/notifications?kind=voluntary_departure_extended").json()
        assert note["hit_id"] == hit["id"] and note["return_decision_id"] == d["id"]
        assert note["message"] == f"IT wrote about hit {hit['id']}: {told}"
        read = get(world, officer, f"/hits/{hit['id']}").json()
        last = read["messages"][-1]
        assert (last["body"], last["from_member_state"]) == (told, "IT")
        assert last["to_member_state"] == officer[:2].upper()
        # what the state with the hit reads of the decision and of the alert: the new day
        assert read["decision"]["voluntary_departure_last_day"] == "2026-10-30"
        alert = get(world, officer, f"/alerts/{d['alert']['id']}").json()
        assert alert["voluntary_departure_last_day"] == "2026-10-30"
    # Italy is not told of its own extension
    assert get(world, "it.returns", "/notifications?kind=voluntary_departure_extended").json() == []
    with world.services.engine.begin() as conn:
        (after,) = conn.execute(
            select(audit_log.c.after).where(
                audit_log.c.entity_id == d["id"],
                audit_log.c.action == "returns.decision.extend_voluntary_departure",
            )
        ).scalars()
    assert sorted(x["executing_member_state"] for x in after["hits_informed"]) == ["DE", "FR"]
    # the hit page and the notifications page say it
    page = html.unescape(browser(world, "de.returns").get(f"/returns/hits/{de_hit['id']}").text)
    assert told in page
    notes = html.unescape(
        browser(world, "de.returns").get("/returns/notifications?kind=voluntary_departure_extended").text
    )
    assert "period for voluntary departure extended by the issuing state" in notes
    assert f"IT wrote about hit {de_hit['id']}" in notes


def test_a_decision_nobody_found_tells_nobody(world: World) -> None:
    d = _issue(world)
    r = _extend(world, d, "2026-10-30")
    assert r.status_code == 200, r.text
    for officer in ("it.returns", "de.returns", "fr.returns"):
        assert get(world, officer, "/notifications?kind=voluntary_departure_extended").json() == []
    with world.services.engine.begin() as conn:
        (after,) = conn.execute(
            select(audit_log.c.after).where(
                audit_log.c.entity_id == d["id"],
                audit_log.c.action == "returns.decision.extend_voluntary_departure",
            )
        ).scalars()
    assert after["hits_informed"] == []


def test_extended_while_suspended_the_alert_and_the_states_are_told_at_once(world: World) -> None:
    d = _issue(world)
    de_hit = _hit(world, "de.returns", d)
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    d = post(
        world, "it.returns", f"/decisions/{d['id']}/suspend", {"version": d["version"], "reason": "appeal"}
    ).json()
    r = _extend(world, d, "2026-10-30")
    assert r.status_code == 200, r.text
    d = r.json()
    # without delay: field (x) moves by the 29 days added while the suspension lasts
    assert d["alert"]["voluntary_departure_last_day"] == "2026-10-30"
    (note,) = get(world, "de.returns", "/notifications?kind=voluntary_departure_extended").json()
    assert note["message"] == f"IT wrote about hit {de_hit['id']}: " + _told(
        d["reference"],
        "; the decision is suspended and the period does not run meanwhile: its end moves by the "
        "days the suspension lasts",
    )


def test_the_command_line_lists_the_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    monkeypatch.setattr("pactum.services.bootstrap.SystemClock", lambda: world.clock)  # the world's day
    d = _issue(world)
    hit = _hit(world, "de.returns", d)
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    body = {
        "version": d["version"],
        "last_day": "2026-10-30",
        "grounds": ["school_going_children"],
        "reason": "the school term",
    }
    r = cli(monkeypatch, "it.returns", "extend-period", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 0, r.output
    r = cli(monkeypatch, "de.returns", "notifications", "--kind", "voluntary_departure_extended")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["total"] == 1
    (note,) = out["notifications"]
    assert note["hit_id"] == hit["id"] and _told(d["reference"]) in note["message"]

"""The period for voluntary departure extended after the return decision was issued (Directive
2008/115/EC Art 7(2), read in Italian: "Gli Stati membri prorogano, ove necessario, il periodo per la
partenza volontaria per un periodo congruo, tenendo conto delle circostanze specifiche del caso
individuale ..."). The issuing state's return officer sets a new last day on circumstances of Art
7(2) with reasons; everything that follows the last day follows the new one (the removal of Art
8(2), the entry ban of Art 11(1)(b), the queue, the expiry notice, the alert's field (x)), and a
suspension's arithmetic (*Gnandi*) runs on it. Refused (409, naming why) once the period ended,
without a period (Art 7(4)), for a decision departed or withdrawn, or one another state enforces
under recognition; 422 naming the field for bad input. API, CLI and page."""

from __future__ import annotations

import html
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.services import returns as returns_service
from pactum.store.tables.platform import audit_log

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]

ART_7_2 = "Directive 2008/115/EC, Article 7(2)"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _at(world: World, day: str) -> None:
    world.clock.set(datetime.fromisoformat(f"{day}T09:00:00+00:00"))


def _issue(world: World, surname: str = "Trabelsi", **terms: Any) -> dict[str, Any]:
    """Italy's decision of Tuesday 1 September 2026, by default 30 days: last day Thursday 1 October."""
    _at(world, "2026-09-01")
    person = world.person("it.returns", surname=surname, nationality="TUN")
    body = {"person_id": person, "issued_on": "2026-09-01", "voluntary_departure_days": 30,
            "grounds": ["illegal_stay"]} | terms
    r = post(world, "it.returns", "/decisions", body)
    assert r.status_code == 201, r.text
    return r.json()


def _extend(world: World, d: dict[str, Any], last_day: str, grounds: list[str] | None = None,
            reason: str = "the children finish the school term", officer: str = "it.returns") -> Any:
    return post(world, officer, f"/decisions/{d['id']}/voluntary-departure/extend",
                {"version": d["version"], "last_day": last_day,
                 "grounds": ["school_going_children"] if grounds is None else grounds, "reason": reason})


def test_the_extended_last_day_is_what_everything_after_the_period_follows(world: World) -> None:
    d = _issue(world)
    _at(world, "2026-09-20")
    r = _extend(world, d, "2026-10-30")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["voluntary_departure_last_day"] == "2026-10-30" and d["voluntary_departure_ends_on"] == "2026-10-30"
    assert ART_7_2 in d["legal_basis"]
    (x,) = d["voluntary_departure_extensions"]
    assert (x["extended_on"], x["previous_last_day"], x["new_last_day"], x["grounds"], x["extended_by"]) == (
        "2026-09-20", "2026-10-01", "2026-10-30", ["school_going_children"], "it.returns")
    assert x["reason"] == "the children finish the school term"
    # the SIS alert's field (x), audited
    assert d["alert"]["voluntary_departure_last_day"] == "2026-10-30"
    with world.services.engine.begin() as conn:
        entries = {r.action: r.after for r in conn.execute(
            select(audit_log.c.action, audit_log.c.after).where(audit_log.c.action.in_(
                ("returns.decision.extend_voluntary_departure", "returns.alert.update"))))}
    extended = entries["returns.decision.extend_voluntary_departure"]
    assert extended["voluntary_departure_last_day"] == "2026-10-30" and extended["grounds"] == ["school_going_children"]
    assert entries["returns.alert.update"]["voluntary_departure_last_day"] == "2026-10-30"

    # after the day the decision first set: removal still barred by Art 8(2), no entry ban, in the queue as running
    _at(world, "2026-10-15")
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert "voluntary_departure_running" in {o["code"] for o in d["obstacles"]}
    r = post(world, "it.returns", f"/decisions/{d['id']}/departure",
             {"version": d["version"], "departed_on": "2026-10-15", "mode": "enforced"})
    assert r.status_code == 422 and "runs until 2026-10-30" in r.text
    r = post(world, "it.returns", f"/decisions/{d['id']}/entry-ban",
             {"version": d["version"], "imposed_on": "2026-10-15", "entry_ban_years": 2, "reasons": "did not leave"})
    assert r.status_code == 422 and "2026-10-30" in r.text
    assert d["entry_ban_due"] is None
    (item,) = [i for g in get(world, "it.returns", "/queue").json() for i in g["decisions"] if i["id"] == d["id"]]
    assert item["voluntary_departure_ends_on"] == "2026-10-30" and item["enforceable_now"] is False

    # the expiry notice waits for the extended day
    returns_service.notify_voluntary_departure_expiry(world.services, datetime(2026, 10, 30, 6, tzinfo=UTC))
    assert get(world, "it.returns", "/notifications?kind=voluntary_departure_expired").json() == []
    returns_service.notify_voluntary_departure_expiry(world.services, datetime(2026, 10, 31, 6, tzinfo=UTC))
    (note,) = get(world, "it.returns", "/notifications?kind=voluntary_departure_expired").json()
    assert "ended on 2026-10-30 without a confirmed departure" in note["message"]

    # once it ended: the entry ban is due, removal lawful, and no further extension
    _at(world, "2026-10-31")
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert d["entry_ban_due"]["period_ended_on"] == "2026-10-30"
    assert "voluntary_departure_running" not in {o["code"] for o in d["obstacles"]}
    assert d["voluntary_departure_extension"]["allowed"] is False
    r = _extend(world, d, "2026-11-30")
    assert r.status_code == 409 and "ended on 2026-10-30" in r.text and ART_7_2 in r.text


def test_an_extension_combines_with_a_suspension(world: World) -> None:
    d = _issue(world)
    _at(world, "2026-09-11")
    d = post(world, "it.returns", f"/decisions/{d['id']}/suspend", {"version": d["version"], "reason": "appeal"}).json()
    assert d["voluntary_departure_period"]["days_left"] == 21
    # extended while suspended: 10 days more of the decision's own period (to 11 October)
    _at(world, "2026-09-20")
    r = _extend(world, d, "2026-10-11", ["family_and_social_links", "length_of_stay"], "ten years in Italy")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["voluntary_departure_period"]["paused"] is True and d["voluntary_departure_period"]["days_left"] == 31
    # field (x) records the extension without delay (Reg. (EU) 2018/1860 Art 3(4)): the 10 days added,
    # until the lifting sets the end
    assert d["alert"]["voluntary_departure_last_day"] == "2026-10-11"
    _at(world, "2026-10-20")
    d = post(world, "it.returns", f"/decisions/{d['id']}/lift-suspension",
             {"version": d["version"], "reason": "appeal dismissed"}).json()
    # 31 days from 21 October: Friday 20 November
    assert d["voluntary_departure_last_day"] == "2026-10-11" and d["voluntary_departure_ends_on"] == "2026-11-20"
    assert d["alert"]["voluntary_departure_last_day"] == "2026-11-20"
    # extended again after the lifting: the decision's own day moves, the suspension's days run on from it
    _at(world, "2026-11-01")
    r = _extend(world, d, "2026-10-21", ["length_of_stay"], "a further ten days to settle affairs")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["voluntary_departure_ends_on"] == "2026-11-30" and d["alert"]["voluntary_departure_last_day"] == "2026-11-30"
    assert [x["new_last_day"] for x in d["voluntary_departure_extensions"]] == ["2026-10-11", "2026-10-21"]


def test_refused_with_the_reason(world: World) -> None:
    # no period granted (Art 7(4))
    none = _issue(world, "Mansour", voluntary_departure_days=0, grounds=["illegal_stay", "risk_of_absconding"],
                  entry_ban_years=2)
    r = _extend(world, none, "2026-10-30")
    assert r.status_code == 409 and "no period for voluntary departure" in r.text and "Article 7(4)" in r.text
    assert get(world, "it.returns", f"/decisions/{none['id']}").json()["voluntary_departure_extension"]["allowed"] is False
    # withdrawn
    w = _issue(world, "Haddad")
    w = post(world, "it.returns", f"/decisions/{w['id']}/withdraw", {"version": w["version"], "reason": "annulled"}).json()
    r = _extend(world, w, "2026-10-30")
    assert r.status_code == 409 and "withdrawn" in r.text
    # departed
    dep = _issue(world, "Karimi")
    dep = post(world, "it.returns", f"/decisions/{dep['id']}/departure",
               {"version": dep["version"], "departed_on": "2026-09-01", "mode": "voluntary"}).json()
    r = _extend(world, dep, "2026-10-30")
    assert r.status_code == 409 and "departure under this decision is recorded on 2026-09-01" in r.text
    # recognised and enforced by Germany
    d = _issue(world)
    met = world.met("de.returns", "Trabelsi", d["alert"]["nationalities"])
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met}).json()
    assert post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]}).status_code == 200
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    r = _extend(world, d, "2026-10-30")
    assert r.status_code == 409 and "DE recognised the decision and enforces it" in r.text
    # Germany does not extend Italy's decision
    assert _extend(world, d, "2026-10-30", officer="de.returns").status_code == 403


def test_bad_input_names_the_field_and_writes_nothing(world: World) -> None:
    d = _issue(world)
    _at(world, "2026-09-20")

    def fields(r: Any) -> set[tuple[Any, ...]]:
        assert r.status_code == 422, r.text
        return {tuple(e["loc"]) for e in r.json()["detail"]}

    assert ("body", "grounds", 0) in fields(_extend(world, d, "2026-10-30", ["risk_of_absconding"]))
    assert ("body", "grounds") in fields(_extend(world, d, "2026-10-30", []))
    r = _extend(world, d, "2026-10-01")
    assert ("body", "last_day") in fields(r) and "after the period's current last day, 2026-10-01" in r.text
    r = _extend(world, d, "2027-09-02")
    assert ("body", "last_day") in fields(r) and "2026-09-01 at the latest" not in r.text and "2027-09-01" in r.text
    assert ("body", "reason") in fields(_extend(world, d, "2027-09-01", reason="   "))
    assert ("body", "last_day") in fields(_extend(world, d, "not a day"))
    # both problems at once
    assert {("body", "grounds", 0), ("body", "last_day")} <= fields(_extend(world, d, "2026-09-30", ["x"]))
    # a stale version
    r = post(world, "it.returns", f"/decisions/{d['id']}/voluntary-departure/extend",
             {"version": d["version"] - 1, "last_day": "2027-09-01", "grounds": ["length_of_stay"], "reason": "x"})
    assert r.status_code == 409
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["voluntary_departure_extensions"] == []
    assert _extend(world, d, "2027-09-01").status_code == 200  # a year: the bound itself
    assert len(get(world, "it.returns", f"/decisions/{d['id']}").json()["voluntary_departure_extensions"]) == 1


def test_the_decision_page_form(world: World) -> None:
    d = _issue(world)
    _at(world, "2026-09-20")
    web = browser(world, "it.returns")
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    assert 'id="extend-period-form"' in page and "Article 7(2)" in page and 'min="2026-10-02"' in page
    def tags(page: str, name: str) -> list[str]:
        return [t for t in page.split("<") if f'name="{name}"' in t and t.startswith(("input", "textarea"))]

    # a day not after the current last day and no circumstance: both marked, what was typed kept
    r = web.post(f"/returns/decisions/{d['id']}/extend-period",
                 data={"version": str(d["version"]), "last_day": "2026-09-30", "reason": "school"},
                 follow_redirects=False)
    assert r.status_code == 422
    page = html.unescape(r.text)
    assert "New last day of the period" in page and "after the period's current last day, 2026-10-01" in page
    (day,) = [t for t in tags(page, "last_day") if 'type="date"' in t]
    assert 'aria-invalid="true"' in day and 'value="2026-09-30"' in day
    grounds = [t for t in tags(page, "grounds") if 'type="checkbox"' in t]
    assert len(grounds) == 3 and all('aria-invalid="true"' in t for t in grounds)
    # a blank reason: marked
    r = web.post(f"/returns/decisions/{d['id']}/extend-period",
                 data={"version": str(d["version"]), "last_day": "2026-10-30", "grounds": ["length_of_stay"],
                       "reason": " "}, follow_redirects=False)
    assert r.status_code == 422
    page = html.unescape(r.text)
    (reason,) = [t for t in tags(page, "reason") if t.startswith("textarea") and "maxlength=\"4000\"" in t]
    assert 'aria-invalid="true"' in reason
    (checked,) = [t for t in tags(page, "grounds") if "checked" in t]
    assert 'value="length_of_stay"' in checked
    r = web.post(f"/returns/decisions/{d['id']}/extend-period",
                 data={"version": str(d["version"]), "last_day": "2026-10-30", "grounds": ["school_going_children"],
                       "reason": "school year"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    page = html.unescape(r.text)
    assert 'id="period-extensions"' in page and "from 2026-10-01 to 2026-10-30, school-going children" in page
    assert "Period for voluntary departure extended" in page


def test_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    # the command line runs on the real clock: a decision of two days ago, 30 days
    now = datetime.now(UTC)
    world.clock.set(now)
    issued = (now - timedelta(days=2)).date()
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    d = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": issued.isoformat(),
                                                 "voluntary_departure_days": 30, "grounds": ["illegal_stay"]}).json()
    new_day = (date.fromisoformat(d["voluntary_departure_last_day"]) + timedelta(days=20)).isoformat()
    body = {"version": d["version"], "last_day": new_day, "grounds": ["length_of_stay"], "reason": "long stay"}
    r = cli(monkeypatch, "it.returns", "extend-period", d["id"], "-", stdin=json.dumps(body | {"grounds": ["nope"]}))
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "grounds" in r.output
    r = cli(monkeypatch, "it.returns", "extend-period", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 0, r.output
    shown = json.loads(r.stdout)
    assert shown["voluntary_departure_last_day"] == new_day and shown["voluntary_departure_ends_on"] == new_day
    r = cli(monkeypatch, "it.returns", "extend-period", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1


def test_an_amended_decisions_period_is_extended_from_its_own_day(world: World) -> None:
    """The amended decision on the destination set the period afresh from its day (10 September,
    30 days: last day Monday 12 October); extended, the period still runs from that day: a year's
    bound counts from it, and a suspension before it does not move the extended period."""
    d = _issue(world, "Uddin")
    _at(world, "2026-09-10")
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination",
             {"version": d["version"], "destination_country": "PAK", "issued_on": "2026-09-10",
              "reasons": "Tunisia refused readmission", "remedies": "appeal within 30 days",
              "voluntary_departure_days": 30})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["voluntary_departure_last_day"] == "2026-10-12"
    _at(world, "2026-09-20")
    d = _extend(world, d, "2026-10-30").json()
    assert d["voluntary_departure_ends_on"] == "2026-10-30"
    assert d["voluntary_departure_extension"]["latest"] == "2027-09-10"
    r = _extend(world, d, "2027-09-11")
    assert r.status_code == 422 and "2027-09-10 at the latest" in r.text

"""Two sides of the entry ban imposed after issue (Directive 2008/115/EC Art 11(1)(b)).

The states holding a hit on the return alert are told of it: the issuing state writes on each of
their hits (supplementary information, Regulation (EU) 2018/1860 Art 7(2)) and each state is
notified once (``entry_ban_imposed``), on the API, the hit page, the notifications and the command
line; the audit entry names who was told. Before, only the alert's field (z) changed.

No ban is offered while the decision is suspended (Art 13(2), Art 9(1)(b)): the decision read says
why (``entry_ban_withheld``), the page shows that note and no form, and the refusal of the API and
the command line gives the same reason; once the suspension is lifted the ban is due again."""

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

WITHHELD = ("its enforcement is suspended (Directive 2008/115/EC, Article 13(2)) and its removal postponed while "
            "the suspension lasts (Directive 2008/115/EC, Article 9(1)(b)): the obligation to return cannot be "
            "enforced meanwhile, so it is not 'not complied with' (Directive 2008/115/EC, Article 11(1)(b)); an "
            "entry ban for it can be imposed once the suspension is lifted, if no departure is recorded by then")


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _issue(world: World, surname: str = "Mansour") -> dict[str, Any]:
    """Italy's decision of 2026-08-20 with 7 days: its period ended on 2026-08-27 (the world's day is 2026-09-01)."""
    person = world.person("it.returns", surname=surname, nationality="TUN")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7, "grounds": ["illegal_stay"]})
    assert r.status_code == 201, r.text
    return r.json()


def _hit(world: World, officer: str, d: dict[str, Any], surname: str = "Mansour") -> dict[str, Any]:
    met = world.met(officer, surname, d["alert"]["nationalities"])
    r = post(world, officer, "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met})
    assert r.status_code == 201, r.text
    return r.json()


def _ban(world: World, d: dict[str, Any], officer: str = "it.returns") -> Any:
    return post(world, officer, f"/decisions/{d['id']}/entry-ban",
                {"version": d["version"], "imposed_on": "2026-09-01", "entry_ban_years": 3,
                 "reasons": "did not leave within the period granted"})


def test_the_states_with_a_hit_are_told_of_the_ban_on_their_hit_and_in_their_notifications(world: World) -> None:
    d = _issue(world)
    de_hit = _hit(world, "de.returns", d)
    r = post(world, "de.returns", f"/hits/{de_hit['id']}/recognise", {"version": de_hit["version"]})
    assert r.status_code == 200, r.text
    fr_hit = _hit(world, "fr.returns", d)
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()

    r = _ban(world, d)
    assert r.status_code == 200, r.text

    told = ("IT imposed an entry ban of 3 years on return decision " + d["reference"] + " on 2026-09-01: the "
            "obligation to return was not complied with (Directive 2008/115/EC, Article 11(1)(b)). The return "
            "alert now says the decision is accompanied by an entry ban (Regulation (EU) 2018/1860, Article "
            "4(1)(z)). The ban runs from the person's departure: once the return is confirmed, IT enters the "
            "alert for refusal of entry and stay (Regulation (EU) 2018/1860, Article 6(2)).")
    # Germany, which recognised and enforces the decision
    (de_note,) = get(world, "de.returns", "/notifications?kind=entry_ban_imposed").json()
    assert de_note["hit_id"] == de_hit["id"] and de_note["return_decision_id"] == d["id"]
    assert de_note["message"] == (f"IT wrote about hit {de_hit['id']}: {told} Your state enforces the decision: "
                                  "the departure it confirms starts the ban.")
    de_read = get(world, "de.returns", f"/hits/{de_hit['id']}").json()
    assert [m["body"] for m in de_read["messages"]][-1] == told + (" Your state enforces the decision: the "
                                                                    "departure it confirms starts the ban.")
    assert de_read["messages"][-1]["from_member_state"] == "IT" and de_read["messages"][-1]["to_member_state"] == "DE"
    assert de_read["decision"]["entry_ban_months"] == 36 and de_read["decision"]["entry_ban_imposed_on"] == "2026-09-01"
    # the reasons stay Italy's own record
    assert "entry_ban_reasons" not in de_read["decision"]

    # France, whose hit is open
    (fr_note,) = get(world, "fr.returns", "/notifications?kind=entry_ban_imposed").json()
    assert fr_note["hit_id"] == fr_hit["id"] and fr_note["message"] == f"IT wrote about hit {fr_hit['id']}: {told}"
    # Italy is not told of its own ban
    assert get(world, "it.returns", "/notifications?kind=entry_ban_imposed").json() == []

    with world.services.engine.begin() as conn:
        (after,) = conn.execute(select(audit_log.c.after).where(
            audit_log.c.entity_id == d["id"], audit_log.c.action == "returns.decision.impose_entry_ban")).scalars()
    assert sorted(x["executing_member_state"] for x in after["hits_informed"]) == ["DE", "FR"]
    assert {x["hit_id"] for x in after["hits_informed"]} == {de_hit["id"], fr_hit["id"]}

    # the hit page says it: the ban on the decision, and Italy's message
    page = html.unescape(browser(world, "de.returns").get(f"/returns/hits/{de_hit['id']}").text)
    assert ('3 years from departure <span id="entry-ban-imposed">(imposed by IT on 2026-09-01, after the decision: '
            "the obligation to return not complied with, Directive 2008/115/EC, Article 11(1)(b))") in page
    assert told in page
    notes = html.unescape(browser(world, "de.returns").get("/returns/notifications?kind=entry_ban_imposed").text)
    assert "entry ban imposed by the issuing state after its decision" in notes
    assert f"IT wrote about hit {de_hit['id']}" in notes


def test_a_decision_nobody_found_tells_nobody(world: World) -> None:
    d = _issue(world)
    r = _ban(world, d)
    assert r.status_code == 200, r.text
    for officer in ("it.returns", "de.returns", "fr.returns"):
        assert get(world, officer, "/notifications?kind=entry_ban_imposed").json() == []
    with world.services.engine.begin() as conn:
        (after,) = conn.execute(select(audit_log.c.after).where(
            audit_log.c.entity_id == d["id"], audit_log.c.action == "returns.decision.impose_entry_ban")).scalars()
    assert after["hits_informed"] == []


def test_the_command_line_lists_the_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _issue(world)
    hit = _hit(world, "de.returns", d)
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    body = {"version": d["version"], "imposed_on": "2026-09-01", "entry_ban_months": 18, "reasons": "did not leave"}
    r = cli(monkeypatch, "it.returns", "entry-ban", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 0, r.output
    r = cli(monkeypatch, "de.returns", "notifications", "--kind", "entry_ban_imposed")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["total"] == 1 and out["by_kind"] == {"entry_ban_imposed": {"total": 1, "unread": 1}}
    (note,) = out["notifications"]
    assert note["hit_id"] == hit["id"] and "IT imposed an entry ban of 18 months on return decision" in note["message"]


def test_no_ban_while_suspended_says_why_on_the_api_and_the_page(world: World) -> None:
    d = _issue(world)
    d = post(world, "it.returns", f"/decisions/{d['id']}/suspend",
             {"version": d["version"], "reason": "suspensive appeal lodged on 2026-08-31"}).json()
    assert d["status"] == "suspended" and d["entry_ban_due"] is None
    held = d["entry_ban_withheld"]
    assert held["period_ended_on"] == "2026-08-27" and held["reason"] == WITHHELD
    assert held["legal_basis"] == ["Directive 2008/115/EC, Article 11(1)(b)", "Directive 2008/115/EC, Article 13(2)",
                                   "Directive 2008/115/EC, Article 9(1)(b)"]
    assert held["label"].startswith("The period for voluntary departure ended on 2026-08-27 without a departure "
                                    "recorded, but no entry ban is offered while the decision is suspended: ")

    r = _ban(world, d)
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["body", "imposed_on"]
    assert problem["msg"] == f"no entry ban can be imposed on this decision: it is suspended: {WITHHELD}"

    web = browser(world, "it.returns")
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    assert 'id="entry-ban-withheld"' in page and WITHHELD in page
    assert 'id="action-entry-ban"' not in page and 'id="entry-ban-due"' not in page
    # the form sent all the same is refused with the reason beside the field
    r = web.post(f"/returns/decisions/{d['id']}/entry-ban",
                 data={"version": str(d["version"]), "imposed_on": "2026-09-01", "entry_ban_years": "3",
                       "reasons": "did not leave"})
    assert r.status_code == 422 and WITHHELD in html.unescape(r.text)

    # lifted: the ban is due again, the note gone
    d = post(world, "it.returns", f"/decisions/{d['id']}/lift-suspension",
             {"version": d["version"], "reason": "appeal dismissed"}).json()
    assert d["entry_ban_withheld"] is None and d["entry_ban_due"]["period_ended_on"] == "2026-08-27"
    page = web.get(f"/returns/decisions/{d['id']}").text
    assert 'id="entry-ban-withheld"' not in page and 'id="action-entry-ban"' in page


def test_no_note_while_the_period_runs_nor_for_another_state(world: World) -> None:
    person = world.person("it.returns", surname="Running", nationality="TUN")
    running = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-09-01",
                                                       "voluntary_departure_days": 30}).json()
    running = post(world, "it.returns", f"/decisions/{running['id']}/suspend",
                   {"version": running["version"], "reason": "appeal"}).json()
    assert running["entry_ban_withheld"] is None  # the period runs: nothing is withheld yet

    d = _issue(world)
    _hit(world, "de.returns", d)
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    d = post(world, "it.returns", f"/decisions/{d['id']}/suspend", {"version": d["version"], "reason": "appeal"}).json()
    assert d["entry_ban_withheld"] is not None
    assert get(world, "de.returns", f"/decisions/{d['id']}").json()["entry_ban_withheld"] is None


def test_the_command_line_refusal_gives_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _issue(world)
    d = post(world, "it.returns", f"/decisions/{d['id']}/suspend", {"version": d["version"], "reason": "appeal"}).json()
    r = cli(monkeypatch, "it.returns", "show", d["id"])
    assert r.exit_code == 0 and json.loads(r.output)["entry_ban_withheld"]["reason"] == WITHHELD
    body = {"version": d["version"], "imposed_on": "2026-09-01", "entry_ban_years": 2, "reasons": "did not leave"}
    r = cli(monkeypatch, "it.returns", "entry-ban", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 2
    (line,) = r.output.strip().splitlines()
    assert "imposed_on" in line and WITHHELD in line

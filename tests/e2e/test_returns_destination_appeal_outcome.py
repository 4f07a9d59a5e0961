"""The court's outcome of an appeal against an amended decision on the destination (Directive
2008/115/EC Art 13(1)): recorded on the amended decision's row of the history of destinations
with its day (API for the issuing state and a state with a hit, decision page, command line), the
suspension the appeal brought lifted (alert field (y) cleared). Allowed, the amended decision is
annulled: being a new return decision (CJEU C-924/19 PPU and C-925/19 PPU, FMS and Others), the
decision stands as it did before it, its destination and period for voluntary departure (alert
field (x)) again, unless a later amended decision changed the destination since.

Italy issued a return decision to Bangladesh for Amin Uddin on 20 August 2026 with 7 days to leave;
on 31 August it amended the destination to Pakistan with 10 days; he appealed on 1 September."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import audit_log

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]

REASONS = "Bangladesh refused readmission on 25 August 2026; the person lived in Pakistan from 2012 to 2022"
REMEDIES = "appeal to the Tribunale di Roma within 30 days of notification; the appeal may be made suspensive"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _appealed(world: World, *, suspensive: bool = True, surname: str = "Uddin") -> dict[str, Any]:
    """The decision to BGD (7 days), amended to PAK with 10 days on 31 August, appealed on 1 September."""
    person = world.person("it.returns", surname=surname, nationality="BGD")
    d = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7}).json()
    assert d["voluntary_departure_last_day"] == "2026-08-27"
    d = post(world, "it.returns", f"/decisions/{d['id']}/destination",
             {"version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31",
              "reasons": REASONS, "remedies": REMEDIES, "voluntary_departure_days": 10}).json()
    assert (d["destination_country"], d["voluntary_departure_last_day"]) == ("PAK", "2026-09-10")
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination-appeal",
             {"version": d["version"], "lodged_on": "2026-09-01", "suspensive": suspensive})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _outcome(world: World, d: dict[str, Any], outcome: str, officer: str = "it.returns", **body: Any) -> Any:
    return post(world, officer, f"/decisions/{d['id']}/destination-appeal-outcome",
                {"version": d["version"], "outcome": outcome, "decided_on": "2026-09-01", **body})


def _problem(r: Any) -> tuple[str, str]:
    (p,) = r.json()["detail"]
    return p["loc"][-1], p["msg"]


def test_a_dismissed_appeal_is_on_the_history_row_and_lifts_the_suspension_it_brought(world: World) -> None:
    d = _appealed(world)
    assert d["status"] == "suspended" and d["alert"]["decision_suspended"] is True
    r = _outcome(world, d, "dismissed")
    assert r.status_code == 200, r.text
    out = r.json()
    (row,) = out["destination_decisions"]
    assert (row["appeal_outcome"], row["appeal_decided_on"], row["appeal_outcome_recorded_by"]) == (
        "dismissed", "2026-09-01", "it.returns")
    assert (row["appeal_lodged_on"], row["appeal_suspensive"]) == ("2026-09-01", True)
    # the amended decision stands: its destination and period are the decision's
    assert (out["destination_country"], out["voluntary_departure_last_day"]) == ("PAK", "2026-09-10")
    assert out["status"] == "issued" and out["alert"]["decision_suspended"] is False
    assert out["status_reason"] == (f"appeal against the amended decision on the destination {d['reference']}-D1 "
                                    f"dismissed on 2026-09-01 (Directive 2008/115/EC, Article 13(1))")
    with world.services.engine.connect() as conn:
        (entry,) = conn.execute(select(audit_log.c.actor, audit_log.c.after).where(
            audit_log.c.action == "returns.decision.destination_appeal_decided",
            audit_log.c.entity_id == d["id"])).all()
    assert entry.actor == "it.returns"
    assert (entry.after["outcome"], entry.after["decided_on"], entry.after["suspension_lifted"]) == (
        "dismissed", "2026-09-01", True)
    again = _outcome(world, out, "allowed")
    assert again.status_code == 409 and "already dismissed on 2026-09-01" in again.json()["detail"]


def test_an_allowed_appeal_annuls_the_amendment_and_the_earlier_destination_and_period_stand_again(
        world: World) -> None:
    d = _appealed(world)
    met = world.met("de.returns", "Uddin", nationality="BGD")
    assert post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met}).status_code == 201
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    r = _outcome(world, d, "allowed")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["destination_country"] == "BGD"
    # the decision's own period (7 days from 20 August) stands again, alert field (x) with it
    assert (out["voluntary_departure_days"], out["voluntary_departure_last_day"]) == (7, "2026-08-27")
    assert out["alert"]["voluntary_departure_last_day"] == "2026-08-27"
    assert out["status"] == "issued" and out["alert"]["decision_suspended"] is False
    (row,) = out["destination_decisions"]
    assert (row["appeal_outcome"], row["appeal_decided_on"]) == ("allowed", "2026-09-01")
    assert row["destination_country"] == "PAK"  # the history keeps what the annulled decision said
    # a case for the destination that stands again may be opened from a day it was the destination
    avr = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM AVRR",
                                            "funding_source": "AMIF", "amount_eur": "1500", "opened_on": "2026-08-25"})
    assert avr.status_code == 201, avr.text
    assert avr.json()["destination_country"] == "BGD"
    # Germany, with a hit, reads the outcome on the row and is told
    seen = get(world, "de.returns", f"/decisions/{d['id']}").json()
    assert seen["destination_country"] == "BGD"
    (shared,) = seen["destination_decisions"]
    assert (shared["appeal_outcome"], shared["appeal_decided_on"]) == ("allowed", "2026-09-01")
    assert "appeal_lodged_on" not in shared and "reasons" not in shared
    notes = get(world, "de.returns", "/notifications?kind=destination_amended").json()
    messages = [n["message"] for n in (notes["notifications"] if isinstance(notes, dict) else notes)]
    assert (f"IT: return decision {d['reference']}: {d['reference']}-D1 annulled on appeal on 2026-09-01; the "
            f"destination is BGD again, as the decision stood before it") in messages
    page = html.unescape(browser(world, "de.returns").get(f"/returns/decisions/{d['id']}").text)
    history = page.split('id="destinations"', 1)[1].split("</section>", 1)[0]
    assert "allowed on 2026-09-01: the amended decision is annulled" in history
    assert "annulled on appeal" in history


def test_an_allowed_appeal_ends_the_assisted_return_and_the_flight_arranged_for_the_annulled_destination(
        world: World) -> None:
    d = _appealed(world, suspensive=False)
    case = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM AVRR",
                                             "funding_source": "AMIF", "amount_eur": "1500", "opened_on": "2026-09-01"})
    assert case.status_code == 201 and case.json()["destination_country"] == "PAK", case.text
    op = post(world, "it.returns", "/operations", {"destination_country": "PAK", "planned_date": "2026-09-20",
                                                  "capacity": 10, "escorts": 4}).json()
    r = post(world, "it.returns", f"/operations/{op['id']}/participants", {"return_decision_id": d["id"]})
    assert r.status_code == 201, r.text
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    out = _outcome(world, d, "allowed").json()
    assert out["destination_country"] == "BGD"
    (ended,) = out["avr_cases"]
    assert (ended["status"], ended["status_reason"]) == ("cancelled", (
        f"amended decision on the destination {d['reference']}-D1 annulled on appeal on 2026-09-01: return decision "
        f"{d['reference']} names BGD again; the case was arranged for PAK (Directive 2008/115/EC, Article 3(3)); "
        f"open a case for BGD if the person agrees"))
    (part,) = get(world, "it.returns", f"/operations/{op['id']}").json()["participants"]
    assert part["status"] == "removed"
    assert part["reason"] == (f"return decision {d['reference']}: {d['reference']}-D1 annulled on appeal on 2026-09-01; "
                              f"the destination is BGD again, as the decision stood before it")


def test_an_amendment_recorded_before_the_period_it_replaced_was_kept_takes_it_from_its_audit_entry(
        world: World) -> None:
    from sqlalchemy import update

    from pactum.store.tables.returns import return_destination_decisions as D

    d = _appealed(world)
    with world.services.engine.begin() as conn:  # as migration returns_0011 leaves the amendments before it
        conn.execute(update(D).where(D.c.return_decision_id == d["id"]).values(
            previous_voluntary_departure_days=None, previous_voluntary_departure_last_day=None))
    out = _outcome(world, d, "allowed").json()
    assert (out["destination_country"], out["voluntary_departure_days"], out["voluntary_departure_last_day"]) == (
        "BGD", 7, "2026-08-27")


def test_an_allowed_appeal_leaves_the_destination_a_later_amendment_named(world: World) -> None:
    d = _appealed(world, suspensive=False)
    d = post(world, "it.returns", f"/decisions/{d['id']}/destination",
             {"version": d["version"], "destination_country": "AFG", "issued_on": "2026-09-01",
              "reasons": "Pakistan refused readmission", "remedies": REMEDIES}).json()
    assert d["destination_country"] == "AFG"
    r = _outcome(world, d, "allowed")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["destination_country"] == "AFG" and out["voluntary_departure_last_day"] == d["voluntary_departure_last_day"]
    assert [x["appeal_outcome"] for x in out["destination_decisions"]] == ["allowed", None]


def test_the_outcome_is_refused_without_an_appeal_on_a_wrong_day_or_for_another_state(world: World) -> None:
    person = world.person("it.returns", surname="Rahman", nationality="BGD")
    plain = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20"}).json()
    r = _outcome(world, plain, "dismissed")
    assert r.status_code == 409 and "record the appeal first" in r.json()["detail"]
    d = _appealed(world)
    r = _outcome(world, d, "dismissed", decided_on="2026-09-02")
    assert r.status_code == 422 and _problem(r) == (
        "decided_on", "the court's decision on the appeal cannot be dated in the future")
    r = _outcome(world, d, "dismissed", decided_on="2026-08-31")
    assert r.status_code == 422 and _problem(r) == (
        "decided_on", f"is before the appeal against {d['reference']}-D1 was lodged, on 2026-09-01")
    r = _outcome(world, d, "quashed")
    assert r.status_code == 422 and _problem(r)[0] == "outcome"
    r = _outcome(world, d, "dismissed", destination_decision="IT-NOPE")
    assert r.status_code == 422 and _problem(r)[0] == "destination_decision"
    assert _outcome(world, d, "dismissed", officer="de.returns").status_code == 404
    assert _outcome(world, d, "dismissed", version=d["version"] + 3).status_code == 409
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["destination_decisions"][0][
        "appeal_outcome"] is None


def test_two_appeals_awaiting_their_outcome_need_the_amended_decision_named(world: World) -> None:
    d = _appealed(world, suspensive=False)
    d = post(world, "it.returns", f"/decisions/{d['id']}/destination",
             {"version": d["version"], "destination_country": "AFG", "issued_on": "2026-09-01",
              "reasons": "Pakistan refused readmission", "remedies": REMEDIES}).json()
    d = post(world, "it.returns", f"/decisions/{d['id']}/destination-appeal",
             {"version": d["version"], "lodged_on": "2026-09-01", "suspensive": False}).json()
    r = _outcome(world, d, "dismissed")
    assert r.status_code == 409 and "name the amended decision" in r.json()["detail"]
    r = _outcome(world, d, "allowed", destination_decision=f"{d['reference']}-D2")
    assert r.status_code == 200, r.text
    # D2 annulled: D1, which stands, names the destination again, with its own period
    out = r.json()
    assert (out["destination_country"], out["voluntary_departure_last_day"]) == ("PAK", "2026-09-10")


def test_the_decision_page_records_the_outcome_and_shows_it_on_the_history_row(world: World) -> None:
    d = _appealed(world)
    web = browser(world, "it.returns")
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    row = page.split('id="destination-1"', 1)[1].split("</tr>", 1)[0]
    assert "lodged on 2026-09-01, suspensive; outcome not yet recorded" in row
    form = page.split('id="destination-appeal-outcome"', 1)[1].split("</fieldset>", 1)[0]
    assert f"Outcome of the appeal against {d['reference']}-D1" in form
    # refused: the form marked, what was typed kept
    r = web.post(f"/returns/decisions/{d['id']}/destination-appeal-outcome",
                 data={"version": d["version"], "outcome": "allowed", "decided_on": "2026-08-31"})
    assert r.status_code == 422
    form = html.unescape(r.text).split('id="destination-appeal-outcome"', 1)[1].split("</fieldset>", 1)[0]
    assert 'aria-invalid="true"' in form and 'value="2026-08-31"' in form
    assert '<option value="allowed" selected>' in form
    r = web.post(f"/returns/decisions/{d['id']}/destination-appeal-outcome", follow_redirects=False,
                 data={"version": d["version"], "outcome": "allowed", "decided_on": "2026-09-01"})
    assert r.status_code == 303, r.text
    page = html.unescape(web.get(r.headers["location"]).text)
    assert "Outcome of the appeal against the amended decision on the destination recorded" in page
    row = re.sub(r"<[^>]+>", "", page.split('id="destination-1"', 1)[1].split("</tr>", 1)[0])
    assert "lodged on 2026-09-01, suspensive; allowed on 2026-09-01: the amended decision is annulled" in row
    assert "annulled on appeal" in row
    assert f"the decision's own destination; {d['reference']}-D1 annulled on appeal on 2026-09-01" in page
    assert 'id="destination-appeal-outcome"' not in page


def test_the_command_line_records_the_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _appealed(world)
    bad = cli(monkeypatch, "it.returns", "destination-appeal-outcome", d["id"], "-",
              stdin=json.dumps({"version": d["version"], "outcome": "dismissed", "decided_on": "2026-08-30"}))
    assert bad.exit_code == 2 and "decided_on" in bad.output and len(bad.output.strip().splitlines()) == 1
    done = cli(monkeypatch, "it.returns", "destination-appeal-outcome", d["id"], "-",
               stdin=json.dumps({"version": d["version"], "outcome": "dismissed", "decided_on": "2026-09-01"}))
    assert done.exit_code == 0, done.output
    (row,) = json.loads(done.stdout)["destination_decisions"]
    assert (row["appeal_outcome"], row["appeal_decided_on"]) == ("dismissed", "2026-09-01")
    shown = cli(monkeypatch, "it.returns", "show", d["id"])
    (row,) = json.loads(shown.stdout)["destination_decisions"]
    assert (row["appeal_outcome"], row["appeal_decided_on"]) == ("dismissed", "2026-09-01")

"""What an amended decision on the destination does to what was arranged for the earlier one.

An amended decision on the destination is a new return decision (CJEU C-924/19 PPU and C-925/19
PPU, FMS and Others). So it sets its own period for voluntary departure (Directive 2008/115/EC Art
7(1): seven to thirty days, Art 7(2) and 7(4) excepted), counted from its own day, the decision
being enforced only after it (Art 8(2)); and an assisted voluntary return case arranged for the
earlier country is ended, with the reason, instead of staying open for a country the decision no
longer names.

Italy issued a return decision to Bangladesh for Amin Uddin on 20 August 2026, with 7 days for
voluntary departure (to 27 August); IOM opened an assisted voluntary return to Bangladesh on 21
August. Bangladesh refused to readmit him; on 31 August Italy decided that he is to be returned
to Pakistan."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import audit_log
from pactum.store.tables.returns import return_decisions

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import (  # type: ignore[no-redef]
        World,
        browser,
        cli,
        cli_world,
        get,
        make_world,
        post,
    )

REASONS = "Bangladesh refused readmission on 25 August 2026; the person lived in Pakistan from 2012 to 2022"
REMEDIES = "appeal to the Tribunale di Roma within 30 days of notification"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _decision(world: World, **terms: Any) -> dict[str, Any]:
    person = world.person("it.returns", surname="Uddin", nationality="BGD")
    body = {"person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 7, **terms}
    r = post(world, "it.returns", "/decisions", body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _amend(world: World, d: dict[str, Any], **body: Any) -> Any:
    return post(world, "it.returns", f"/decisions/{d['id']}/destination",
                {"version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31",
                 "reasons": REASONS, "remedies": REMEDIES, **body})


def _avr(world: World, d: dict[str, Any]) -> dict[str, Any]:
    # a case for the destination as it stands, from the day of the amended decision that named it
    amended = d.get("destination_decisions") or []
    opened_on = amended[-1]["issued_on"] if amended else "2026-08-21"
    r = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM AVRR",
                                          "funding_source": "AMIF", "amount_eur": "2000", "opened_on": opened_on})
    assert r.status_code == 201, r.text
    return dict(r.json())


# --------------------------------------------------------------------------- assisted voluntary return


def test_an_assisted_return_arranged_for_the_earlier_destination_is_ended_with_the_reason(world: World) -> None:
    d = _decision(world)
    case = _avr(world, d)
    assert case["destination_country"] == "BGD"
    r = _amend(world, get(world, "it.returns", f"/decisions/{d['id']}").json())
    assert r.status_code == 200, r.text
    why = (f"destination of return decision {d['reference']} amended to PAK by {d['reference']}-D1: the case was "
           "arranged for BGD (Directive 2008/115/EC, Article 3(3)); open a case for PAK if the person agrees")
    (shown,) = r.json()["avr_cases"]
    assert (shown["id"], shown["status"], shown["status_reason"]) == (case["id"], "cancelled", why)
    assert (shown["destination_country"], shown["matches_destination"]) == ("BGD", False)
    # the list of cases says so too
    (listed,) = get(world, "it.returns", "/avr").json()
    assert (listed["status"], listed["status_reason"], listed["return_decision_destination"]) == (
        "cancelled", why, "PAK")
    assert listed["matches_destination"] is False
    # audited as a cancellation naming the amended decision
    with world.services.engine.connect() as conn:
        (entry,) = conn.execute(select(audit_log.c.actor, audit_log.c.after).where(
            audit_log.c.action == "returns.avr.cancel", audit_log.c.entity_id == case["id"])).all()
    assert entry.actor == "it.returns"
    assert (entry.after["reason"], entry.after["destination_decision"]) == (why, f"{d['reference']}-D1")
    # ended, it no longer blocks a case for Pakistan, which matches the decision
    again = _avr(world, r.json())
    assert again["destination_country"] == "PAK"
    cases = get(world, "it.returns", f"/decisions/{d['id']}").json()["avr_cases"]
    assert [(c["destination_country"], c["status"], c["matches_destination"]) for c in cases] == [
        ("PAK", "opened", True), ("BGD", "cancelled", False)]
    # a departure under the ended case is refused: it is cancelled
    gone = post(world, "it.returns", f"/avr/{case['id']}/departure",
                {"version": shown["version"], "departed_on": "2026-09-01"})
    assert gone.status_code == 409


def test_a_case_for_the_new_destination_stays_open_and_the_officer_cancels_with_a_reason(world: World) -> None:
    d = _decision(world)
    d = _amend(world, d).json()
    case = _avr(world, d)
    # an amendment to another country ends the case opened for Pakistan
    d2 = post(world, "it.returns", f"/decisions/{d['id']}/destination",
              {"version": d["version"], "destination_country": "AFG", "issued_on": "2026-09-01",
               "reasons": "Pakistan refused too", "remedies": REMEDIES}).json()
    (ended,) = d2["avr_cases"]
    assert ended["status"] == "cancelled" and f"amended to AFG by {d['reference']}-D2" in ended["status_reason"]
    case2 = _avr(world, d2)
    r = post(world, "it.returns", f"/avr/{case2['id']}/cancel", {"version": case2["version"],
                                                               "reason": "the person declined the programme"})
    assert r.status_code == 200 and r.json()["status_reason"] == "the person declined the programme", r.text
    assert case["id"] != case2["id"]


def test_the_pages_and_the_command_line_say_the_case_was_ended(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _decision(world)
    case = _avr(world, d)
    web = browser(world, "it.returns")
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    section = page.split('id="avr-cases"', 1)[1].split("</section>", 1)[0]
    assert "Bangladesh (BGD)" in section and "opened" in section and "not the decision's destination" not in section
    form = page.split('id="destination-amendment"', 1)[1].split("</fieldset>", 1)[0]
    assert "The open assisted voluntary return case for BGD is cancelled if the destination changes" in form
    assert "the decision's 7 days run again from the day of the amended decision" in form
    assert _amend(world, get(world, "it.returns", f"/decisions/{d['id']}").json()).status_code == 200
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    row = page.split(f'id="avr-{case["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert "cancelled" in row and "not the decision's destination (PAK)" in row
    assert f"amended to PAK by {d['reference']}-D1" in row
    listed = html.unescape(web.get("/returns/operations").text).split('id="avr-cases"', 1)[1].split("</table>", 1)[0]
    assert f"cancelled: destination of return decision {d['reference']} amended to PAK" in listed
    out = cli(monkeypatch, "it.returns", "avr-cases")
    assert out.exit_code == 0, out.output
    (c,) = json.loads(out.stdout)
    assert c["status"] == "cancelled" and c["matches_destination"] is False
    assert c["status_reason"].startswith(f"destination of return decision {d['reference']} amended to PAK")


# --------------------------------------------------------------------------- the period for voluntary departure


def test_the_amended_decision_grants_its_own_period_from_its_day(world: World) -> None:
    d = _decision(world)
    assert d["voluntary_departure_last_day"] == "2026-08-27"
    assert "voluntary_departure_running" not in [o["code"] for o in d["obstacles"]]
    r = _amend(world, d)
    assert r.status_code == 200, r.text
    out = r.json()
    # the decision's 7 days run again from 31 August (Directive 2008/115/EC Art 7(1))
    assert (out["voluntary_departure_days"], out["voluntary_departure_last_day"]) == (7, "2026-09-07")
    (amended,) = out["destination_decisions"]
    assert (amended["voluntary_departure_days"], amended["voluntary_departure_last_day"]) == (7, "2026-09-07")
    assert "Directive 2008/115/EC, Article 7(1)" in amended["legal_basis"]
    # the alert's field (x) says it; removal waits for its end (Art 8(2)): a running period is an obstacle
    assert out["alert"]["voluntary_departure_last_day"] == "2026-09-07"
    assert "voluntary_departure_running" in [o["code"] for o in out["obstacles"]]
    removal = post(world, "it.returns", f"/decisions/{d['id']}/departure",
                   {"version": out["version"], "departed_on": "2026-09-01", "mode": "enforced"})
    assert removal.status_code == 422 and "runs until 2026-09-07" in removal.text
    with world.services.engine.connect() as conn:
        (entry,) = conn.execute(select(audit_log.c.before, audit_log.c.after).where(
            audit_log.c.action == "returns.decision.destination_amended", audit_log.c.entity_id == d["id"])).all()
    assert entry.before["voluntary_departure_last_day"] == "2026-08-27"
    assert entry.after["voluntary_departure_last_day"] == "2026-09-07"
    assert entry.after["period"] == "7 days for voluntary departure, to 2026-09-07 (Directive 2008/115/EC, Article 7(1))"


def test_the_expiry_of_the_new_period_is_notified_again(world: World) -> None:
    from pactum.services import returns

    d = _decision(world)
    returns.notify_voluntary_departure_expiry(world.services, datetime(2026, 8, 29, 6, tzinfo=UTC))
    _amend(world, d)
    with world.services.engine.connect() as conn:
        notified = conn.execute(select(return_decisions.c.expiry_notified_at)
                                .where(return_decisions.c.id == d["id"])).scalar_one()
    assert notified is None
    returns.notify_voluntary_departure_expiry(world.services, datetime(2026, 9, 8, 6, tzinfo=UTC))
    notes = get(world, "it.returns", "/notifications?kind=voluntary_departure_expired").json()
    assert sorted(n["message"] for n in notes) == [
        f"The voluntary departure period of return decision {d['reference']} ended on {day} without a confirmed "
        "departure." for day in ("2026-08-27", "2026-09-07")]


def test_the_officer_sets_another_period_checked_as_the_decisions_was(world: World) -> None:
    d = _decision(world)
    r = _amend(world, d, voluntary_departure_days=3)
    assert r.status_code == 422, r.text
    (p,) = r.json()["detail"]
    assert p["loc"][-1] == "voluntary_departure_days" and "Art 7(4)" in p["msg"]
    r = _amend(world, d, voluntary_departure_days=30)
    assert r.status_code == 200, r.text
    assert (r.json()["voluntary_departure_days"], r.json()["voluntary_departure_last_day"]) == (30, "2026-09-30")


def test_a_decision_that_granted_no_period_grants_none_again(world: World) -> None:
    d = _decision(world, voluntary_departure_days=0, grounds=["risk_of_absconding"], entry_ban_years=2)
    assert d["voluntary_departure_last_day"] is None
    r = _amend(world, d)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["voluntary_departure_days"], out["voluntary_departure_last_day"]) == (0, None)
    assert out["destination_decisions"][0]["voluntary_departure_days"] == 0


def test_the_page_sets_the_period_and_the_history_shows_it(world: World) -> None:
    d = _decision(world)
    web = browser(world, "it.returns")
    r = web.post(f"/returns/decisions/{d['id']}/destination", follow_redirects=False, data={
        "version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31", "reasons": REASONS,
        "remedies": REMEDIES, "voluntary_departure_days": "2"})
    assert r.status_code == 422
    form = r.text.split('id="destination-amendment"', 1)[1].split("</fieldset>", 1)[0]
    assert 'name="voluntary_departure_days"' in form and 'aria-invalid="true"' in form and 'value="2"' in form
    r = web.post(f"/returns/decisions/{d['id']}/destination", follow_redirects=False, data={
        "version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31", "reasons": REASONS,
        "remedies": REMEDIES, "voluntary_departure_days": "14"})
    assert r.status_code == 303, r.text
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    row = page.split('id="destination-1"', 1)[1].split("</tr>", 1)[0]
    assert "14 days from 2026-08-31, last day 2026-09-14" in row
    assert "14 days, last day 2026-09-14" in page


def test_the_state_enforcing_the_decision_is_told_its_case_was_ended(world: World) -> None:
    d = _decision(world)
    met = world.met("de.returns", "Uddin", nationality="BGD")
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met}).json()
    assert post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]}).status_code == 200
    case = post(world, "de.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM REAG/GARP",
                                              "funding_source": "federal", "amount_eur": "1000",
                                              "opened_on": "2026-09-01"})
    assert case.status_code == 201, case.text
    assert _amend(world, get(world, "it.returns", f"/decisions/{d['id']}").json()).status_code == 200
    (note,) = get(world, "de.returns", "/notifications?kind=destination_amended").json()
    assert note["message"] == (f"IT amended the destination of return decision {d['reference']} from BGD to PAK by "
                               f"{d['reference']}-D1 of 2026-08-31; your assisted voluntary return case "
                               f"{case.json()['id']} for BGD was cancelled")
    (theirs,) = get(world, "de.returns", f"/decisions/{d['id']}").json()["avr_cases"]
    assert theirs["status"] == "cancelled" and theirs["status_reason"].startswith(
        f"destination of return decision {d['reference']} amended to PAK")
    # Italy reads none of Germany's cases on its decision
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["avr_cases"] == []

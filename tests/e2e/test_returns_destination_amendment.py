"""A change of a return decision's destination is a new return decision, against which the person
has an effective remedy (CJEU, Joined Cases C-924/19 PPU and C-925/19 PPU, FMS and Others, 14 May
2020; Directive 2008/115/EC Arts 3(3), 12(1), 13(1)): the facts for removal no longer change it
(422 naming ``destination_country``, on the API, the web form and the command line); the return
officer issues an amended decision on the destination instead, on a day, with reasons and the
remedy information, audited and shown as the decision's history of destinations; an appeal
against it is recorded (a suspensive one suspends the decision, alert field (y)); the states with
a hit are told; the SIS alert, which holds no destination, is not changed.

Italy issued a return decision to Bangladesh for Amin Uddin on 20 August 2026. Bangladesh refused
to readmit him on 25 August; on 31 August Italy's return officer decided that he is to be returned
to Pakistan, where he lived for ten years."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import audit_log

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, patch, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import (  # type: ignore[no-redef]
        World,
        browser,
        cli,
        cli_world,
        get,
        make_world,
        patch,
        post,
    )

REASONS = ("Bangladesh refused readmission on 25 August 2026 (not recognised as a national); the person lived "
           "in Pakistan from 2012 to 2022 on a residence permit, which Pakistan confirmed")
REMEDIES = "appeal to the Tribunale di Roma within 30 days of notification; the appeal may be made suspensive"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _decision(world: World, surname: str = "Uddin", nationality: str = "BGD") -> dict[str, Any]:
    person = world.person("it.returns", surname=surname, nationality=nationality)
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _amend(world: World, d: dict[str, Any], officer: str = "it.returns", **body: Any) -> Any:
    return post(world, officer, f"/decisions/{d['id']}/destination",
                {"version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31",
                 "reasons": REASONS, "remedies": REMEDIES, **body})


def _problem(r: Any) -> tuple[str, str]:
    (p,) = r.json()["detail"]
    return p["loc"][-1], p["msg"]


def _codes(d: dict[str, Any]) -> list[str]:
    return [o["code"] for o in d["obstacles"]]


# --------------------------------------------------------------------------- the facts refuse it


def test_the_facts_for_removal_refuse_a_change_of_destination_and_name_the_amendment(world: World) -> None:
    d = _decision(world)
    r = patch(world, "it.returns", f"/decisions/{d['id']}/facts", {"version": d["version"], "destination_country": "PAK"})
    assert r.status_code == 422, r.text
    field, message = _problem(r)
    assert field == "destination_country"
    assert "changing the destination from BGD to PAK is a new return decision, not a fact for removal" in message
    assert "C-924/19 PPU" in message and "issue an amended decision on the destination" in message
    now = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert (now["destination_country"], now["version"]) == ("BGD", d["version"])
    # the destination it already has is no change: the other facts are saved
    r = patch(world, "it.returns", f"/decisions/{d['id']}/facts",
              {"version": d["version"], "destination_country": "BGD", "fit_to_travel": False})
    assert r.status_code == 200, r.text
    assert (r.json()["destination_country"], r.json()["fit_to_travel"]) == ("BGD", False)


def test_naming_a_destination_for_a_decision_that_had_none_is_an_amendment_too(world: World) -> None:
    d = _decision(world, "Tesfaye", "XXA")  # stateless: the decision names no destination
    assert d["destination_country"] is None
    r = patch(world, "it.returns", f"/decisions/{d['id']}/facts", {"version": d["version"], "destination_country": "ERI"})
    assert r.status_code == 422
    assert _problem(r)[0] == "destination_country"
    assert "naming ERI as the destination of a decision that named none" in _problem(r)[1]
    r = _amend(world, d, destination_country="ERI")
    assert r.status_code == 200, r.text
    (amended,) = r.json()["destination_decisions"]
    assert (amended["previous_destination"], amended["destination_country"]) == (None, "ERI")


# --------------------------------------------------------------------------- the amended decision


def test_the_amended_decision_is_issued_with_reasons_and_remedies_and_is_the_decisions_history(
        world: World) -> None:
    d = _decision(world)
    sent = post(world, "it.returns", "/readmission-requests", {"return_decision_id": d["id"], "sent_on": "2026-08-21"})
    assert sent.status_code == 201, sent.text
    refused = post(world, "it.returns", f"/readmission-requests/{sent.json()['id']}/answer",
                   {"accepted": False, "answered_on": "2026-08-25"})
    assert refused.status_code == 200, refused.text
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert "readmission_refused" in _codes(d)
    alert_before = d["alert"]
    r = _amend(world, d)
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["destination_country"] == "PAK" and after["version"] == d["version"] + 1
    (amended,) = after["destination_decisions"]
    assert amended["reference"] == f"{d['reference']}-D1" and amended["issued_on"] == "2026-08-31"
    assert (amended["previous_destination"], amended["destination_country"]) == ("BGD", "PAK")
    assert (amended["issued_by"], amended["authority"]) == ("it.returns", "IT")
    assert (amended["reasons"], amended["remedies"]) == (REASONS, REMEDIES)
    assert "Directive 2008/115/EC, Article 12(1)" in amended["legal_basis"]
    assert "Directive 2008/115/EC, Article 13(1)" in amended["legal_basis"]
    assert any("C-924/19 PPU" in b for b in amended["legal_basis"])
    # Bangladesh's refusal belongs to Bangladesh: no obstacle to a return to Pakistan, a request to it may be sent
    assert "readmission_refused" not in _codes(after)
    pak = post(world, "it.returns", "/readmission-requests", {"return_decision_id": d["id"], "sent_on": "2026-09-01"})
    assert pak.status_code == 201 and pak.json()["destination_country"] == "PAK", pak.text
    # the SIS alert has no destination among its fields (Reg. (EU) 2018/1860 Art 4(1)): unchanged but for
    # field (x), the last day of the period for voluntary departure the amended decision grants (Art 7(1))
    assert {k: v for k, v in after["alert"].items() if k != "voluntary_departure_last_day"} == {
        k: v for k, v in alert_before.items() if k != "voluntary_departure_last_day"}
    assert after["alert"]["voluntary_departure_last_day"] == after["voluntary_departure_last_day"] == "2026-09-07"
    # audited on the decision, with the day, the reasons and the remedies
    with world.services.engine.connect() as conn:
        (entry,) = conn.execute(select(audit_log.c.actor, audit_log.c.before, audit_log.c.after).where(
            audit_log.c.action == "returns.decision.destination_amended",
            audit_log.c.entity_id == d["id"])).all()
    assert entry.actor == "it.returns" and entry.before["destination_country"] == "BGD"
    assert (entry.after["destination_country"], entry.after["issued_on"]) == ("PAK", "2026-08-31")
    assert (entry.after["reasons"], entry.after["remedies"]) == (REASONS, REMEDIES)
    # a second amendment follows the first and is numbered after it
    again = _amend(world, after, destination_country="BGD", issued_on="2026-09-01",
                   reasons="the Tribunale di Roma annulled IT-…-D1 on 1 September 2026")
    assert again.status_code == 200, again.text
    assert [(x["reference"][-2:], x["previous_destination"], x["destination_country"])
            for x in again.json()["destination_decisions"]] == [("D1", "BGD", "PAK"), ("D2", "PAK", "BGD")]


def test_an_amendment_is_refused_without_reasons_or_remedies_on_a_wrong_day_or_to_the_same_place(
        world: World) -> None:
    d = _decision(world)
    r = _amend(world, d, reasons="  ")
    assert r.status_code == 422 and _problem(r)[0] == "reasons", r.text
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination",
             {"version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31", "reasons": REASONS})
    assert r.status_code == 422 and _problem(r)[0] == "remedies", r.text
    assert _amend(world, d, destination_country="BGD").json()["detail"][0]["msg"] == (
        "is already the decision's destination (BGD)")
    r = _amend(world, d, destination_country="DEU")
    assert r.status_code == 422 and _problem(r)[0] == "destination_country"
    r = _amend(world, d, issued_on="2026-09-02")
    assert r.status_code == 422 and _problem(r) == ("issued_on", "an amended decision cannot be dated in the future")
    r = _amend(world, d, issued_on="2026-08-19")
    assert r.status_code == 422 and _problem(r) == (
        "issued_on", "is before the return decision it amends, issued on 2026-08-20")
    assert _amend(world, d, version=d["version"] + 5).status_code == 409
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["destination_decisions"] == []
    withdrawn = post(world, "it.returns", f"/decisions/{d['id']}/withdraw",
                     {"version": d["version"], "reason": "annulled on appeal"}).json()
    r = _amend(world, withdrawn)
    assert r.status_code == 409 and "no longer to be enforced" in r.json()["detail"]


def test_only_the_issuing_state_amends_and_the_states_with_a_hit_are_told(world: World) -> None:
    d = _decision(world)
    assert _amend(world, d, officer="de.returns").status_code == 404  # no hit: Germany does not know it
    r = world.client.post(f"/api/v1/returns/decisions/{d['id']}/destination", headers=world.headers("it.caseworker"),
                          json={"version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31",
                                "reasons": REASONS, "remedies": REMEDIES})
    assert r.status_code == 403
    met = world.met("de.returns", "Uddin", nationality="BGD")
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met})
    assert hit.status_code == 201, hit.text
    assert _amend(world, d, officer="de.returns").status_code == 403
    # Germany recognised the decision: it sets the facts for removal, not the destination
    r = post(world, "de.returns", f"/hits/{hit.json()['id']}/recognise", {"version": hit.json()["version"]})
    assert r.status_code == 200, r.text
    r = patch(world, "de.returns", f"/decisions/{d['id']}/facts", {"version": d["version"], "destination_country": "PAK"})
    assert r.status_code == 422 and _problem(r)[0] == "destination_country"
    assert _problem(r)[1].endswith("only the issuing state amends its decision's destination: ask it as "
                                   "supplementary information on your hit")
    assert _amend(world, d).status_code == 200
    notes = get(world, "de.returns", "/notifications?kind=destination_amended").json()
    (note,) = notes["notifications"] if isinstance(notes, dict) else notes
    assert note["message"] == (f"IT amended the destination of return decision {d['reference']} from BGD to PAK "
                               f"by {d['reference']}-D1 of 2026-08-31")
    listed = html.unescape(browser(world, "de.returns").get("/returns/notifications").text)
    assert "destination of a return decision amended by the issuing state" in listed
    assert note["message"] in listed
    seen = get(world, "de.returns", f"/decisions/{d['id']}").json()
    assert seen["destination_country"] == "PAK"
    (shared,) = seen["destination_decisions"]
    # the period the amended decision grants is what Germany enforces (it is also alert field (x))
    assert set(shared) == {"reference", "number", "issued_on", "previous_destination", "destination_country",
                           "voluntary_departure_days", "voluntary_departure_last_day", "appeal_outcome",
                           "appeal_decided_on"}
    assert (shared["voluntary_departure_days"], shared["voluntary_departure_last_day"]) == (7, "2026-09-07")
    # Germany's page shows the history without Italy's reasons, and no form to amend it
    page = html.unescape(browser(world, "de.returns").get(f"/returns/decisions/{d['id']}").text)
    history = page.split('id="destinations"', 1)[1].split("</section>", 1)[0]
    assert f"{d['reference']}-D1" in history and "Pakistan (PAK)" in history and REASONS not in history
    # the period as the amended decision granted it, never "refused" for want of the field
    assert "7 days from 2026-08-31, last day 2026-09-07" in history and "refused" not in history
    assert 'id="destination-amendment"' not in page


def test_the_person_is_taken_off_an_operation_to_the_earlier_destination(world: World) -> None:
    d = _decision(world)
    op = post(world, "it.returns", "/operations", {"destination_country": "BGD", "planned_date": "2026-09-20",
                                                  "capacity": 10, "escorts": 4}).json()
    r = post(world, "it.returns", f"/operations/{op['id']}/participants", {"return_decision_id": d["id"]})
    assert r.status_code == 201, r.text
    assert _amend(world, get(world, "it.returns", f"/decisions/{d['id']}").json()).status_code == 200
    (part,) = get(world, "it.returns", f"/operations/{op['id']}").json()["participants"]
    assert part["status"] == "removed"
    assert part["reason"] == f"destination of return decision {d['reference']} amended to PAK by {d['reference']}-D1"


# --------------------------------------------------------------------------- the appeal


def test_a_suspensive_appeal_against_the_amendment_suspends_the_decision_and_sets_field_y(world: World) -> None:
    d = _decision(world)
    refused = post(world, "it.returns", f"/decisions/{d['id']}/destination-appeal",
                   {"version": d["version"], "lodged_on": "2026-09-01", "suspensive": True})
    assert refused.status_code == 409 and "never amended" in refused.json()["detail"]
    d = _amend(world, d).json()
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination-appeal",
             {"version": d["version"], "lodged_on": "2026-08-30", "suspensive": True})
    assert r.status_code == 422 and _problem(r)[0] == "lodged_on"
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination-appeal",
             {"version": d["version"], "lodged_on": "2026-09-01", "suspensive": True})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == "suspended" and out["alert"]["decision_suspended"] is True
    assert out["status_reason"] == (f"appeal with suspensive effect lodged on 2026-09-01 against the amended decision "
                                    f"on the destination {d['reference']}-D1 (Directive 2008/115/EC, Article 13(2))")
    (amended,) = out["destination_decisions"]
    assert (amended["appeal_lodged_on"], amended["appeal_suspensive"]) == ("2026-09-01", True)
    again = post(world, "it.returns", f"/decisions/{d['id']}/destination-appeal",
                 {"version": out["version"], "lodged_on": "2026-09-01", "suspensive": False})
    assert again.status_code == 409 and "already recorded" in again.json()["detail"]


def test_an_appeal_without_suspensive_effect_is_recorded_and_removal_may_go_ahead(world: World) -> None:
    d = _amend(world, _decision(world)).json()
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination-appeal",
             {"version": d["version"], "lodged_on": "2026-09-01", "suspensive": False})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "issued" and r.json()["alert"]["decision_suspended"] is False
    assert r.json()["destination_decisions"][0]["appeal_suspensive"] is False


# --------------------------------------------------------------------------- web and command line


def test_the_decision_page_issues_the_amendment_and_shows_the_history(world: World) -> None:
    d = _decision(world)
    web = browser(world, "it.returns")
    page = web.get(f"/returns/decisions/{d['id']}").text
    facts = page.split('id="facts-for-removal"', 1)[1].split("</fieldset>", 1)[0]
    assert 'name="destination_country"' not in facts and "amended decision on the destination" in facts
    assert 'id="destination-amendment"' in page
    # the facts form refuses a destination still sent to it
    r = web.post(f"/returns/decisions/{d['id']}/facts", data={"version": d["version"], "destination_country": "PAK"})
    assert r.status_code == 422 and "is a new return decision, not a fact for removal" in html.unescape(r.text)
    # refused without reasons: its own form marked, what was typed kept
    r = web.post(f"/returns/decisions/{d['id']}/destination", data={
        "version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31", "reasons": "",
        "remedies": REMEDIES})
    assert r.status_code == 422
    form = r.text.split('id="destination-amendment"', 1)[1].split("</fieldset>", 1)[0]
    assert 'name="reasons"' in form and 'aria-invalid="true"' in form and 'value="PAK"' in form
    r = web.post(f"/returns/decisions/{d['id']}/destination", follow_redirects=False, data={
        "version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31", "reasons": REASONS,
        "remedies": REMEDIES})
    assert r.status_code == 303, r.text
    page = html.unescape(web.get(r.headers["location"]).text)
    assert "Amended decision on the destination issued" in page
    history = page.split('id="destinations"', 1)[1].split("</section>", 1)[0]
    row = history.split('id="destination-1"', 1)[1].split("</tr>", 1)[0]
    assert f"{d['reference']}-D1" in row and "2026-08-31" in row and "Bangladesh (BGD)" in row
    assert "Pakistan (PAK)" in row and "it.returns (IT)" in row and REASONS in row and REMEDIES in row
    assert "none recorded" in row
    # the appeal is recorded from the page
    version = get(world, "it.returns", f"/decisions/{d['id']}").json()["version"]
    r = web.post(f"/returns/decisions/{d['id']}/destination-appeal", follow_redirects=False,
                 data={"version": version, "lodged_on": "2026-09-01", "suspensive": "yes"})
    assert r.status_code == 303, r.text
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    assert "lodged on 2026-09-01, suspensive" in page and get(world, "it.returns", f"/decisions/{d['id']}").json()[
        "status"] == "suspended"


def test_the_command_line_issues_the_amendment_and_refuses_the_destination_as_a_fact(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _decision(world)
    refused = cli(monkeypatch, "it.returns", "facts", d["id"], "-",
                  stdin=json.dumps({"version": d["version"], "destination_country": "PAK"}))
    assert refused.exit_code == 2 and "destination_country" in refused.output
    assert "issue an amended decision on the destination" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    done = cli(monkeypatch, "it.returns", "amend-destination", d["id"], "-", stdin=json.dumps(
        {"version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31", "reasons": REASONS,
         "remedies": REMEDIES}))
    assert done.exit_code == 0, done.output
    out = json.loads(done.stdout)
    assert out["destination_country"] == "PAK" and out["destination_decisions"][0]["reference"] == f"{d['reference']}-D1"
    appeal = cli(monkeypatch, "it.returns", "destination-appeal", d["id"], "-",
                 stdin=json.dumps({"version": out["version"], "lodged_on": "2026-09-01", "suspensive": False}))
    assert appeal.exit_code == 0, appeal.output
    assert json.loads(appeal.stdout)["destination_decisions"][0]["appeal_lodged_on"] == "2026-09-01"
    bad = cli(monkeypatch, "it.returns", "amend-destination", d["id"], "-", stdin=json.dumps(
        {"version": out["version"], "destination_country": "PAK", "issued_on": "2026-08-31", "reasons": REASONS,
         "remedies": REMEDIES}))
    assert bad.exit_code == 2 and "already the decision's destination" in bad.output
    helped = cli(monkeypatch, "it.returns", "amend-destination", "--help")
    assert "C-924/19" in helped.output and "remedies" in helped.output

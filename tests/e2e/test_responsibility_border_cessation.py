"""The end of the obligations of the state that examined the application in the border procedure
(AMMR Art 37(2)-(3), read in the Official Journal's Italian text) on what the procedures area
records.

Italy examined a person's application in the border procedure and rejected it as manifestly
unfounded; the decision became final on 2026-08-01 (the appeal time limit passed). In December
2027 the person applied in Germany. The determination names Italy (first application) and the case
offered a take-back notification to Italy, although Italy's obligations ended 15 months after the
decision became final (the period ending on 2027-11-01) and the application in Germany, registered
after it, is a new application, which gives rise to a new determination."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from pactum.services.auth import Role
from pactum.store.tables.procedures import asylum_applications, asylum_case_events

try:
    from .test_procedures_support import World, login, make_cli_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world  # type: ignore[no-redef]

API = "/api/v1/responsibility"
A37_2 = "Regulation (EU) 2024/1351, Article 37(2)"
A37_3 = "Regulation (EU) 2024/1351, Article 37(3)"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: Any) -> World:
    w = make_cli_world(tmp_path, monkeypatch)
    w.user("de.dublin", "DE", Role.dublin_unit)
    w.user("it.dublin", "IT", Role.dublin_unit)
    return w


def _person(world: World) -> str:
    return str(world.person("de.caseworker", surname="Sultani", nationality="AFG", kind="in_territory_application"))


def _border_decision_in_italy(world: World, pid: str, *, procedure: str = "border", final: bool = True,
                              border_left_on: date | None = None) -> None:
    """Italy's asylum case of the person, registered 2026-07-01, examined in the border procedure and
    rejected as manifestly unfounded on 2026-07-20; closed as final on 2026-08-01."""
    with world.services.engine.begin() as conn:
        conn.execute(insert(asylum_applications).values(
            id="app_it_b", member_state="IT", person_id=pid, nationality="AFG", context="border",
            procedure=procedure, routing_grounds=[], routing={}, state="final" if final else "notified",
            made_on=date(2026, 7, 1), registered_on=date(2026, 7, 1), lodged_on=date(2026, 7, 1),
            reference="IT-A-2026-9", outcome="rejected_manifestly_unfounded", decided_on=date(2026, 7, 20),
            notified_on=date(2026, 7, 20), appeal_deadline=date(2026, 7, 31), border_left_on=border_left_on,
            created_at=world.clock.now(), version=1))
        if final:
            conn.execute(insert(asylum_case_events).values(
                id="ace_it_b", case_id="app_it_b", at=datetime(2026, 8, 1, 6, 0, tzinfo=UTC), event="final",
                from_state="notified", to_state="final", actor="system", detail={"on": "2026-08-01"}))


def _case(world: World, pid: str, registered_on: str, ref: str = "DE-BC-1") -> dict[str, Any]:
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": ref, "person_id": pid,
        "facts": {"application": {"registered_in": "DE", "registered_on": registered_on},
                  "earlier_applications": [{"member_state": "IT", "registered_on": "2026-07-01"}]}})
    assert r.status_code == 201, r.text
    case = dict(r.json())
    assert (case["determination"]["responsible_member_state"], case["determination"]["criterion"]) == (
        "IT", "first_application")
    return case


def _shown(world: World, case_id: str) -> dict[str, Any]:
    r = world.client.get(f"{API}/cases/{case_id}", headers=world.headers("de.dublin"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def _notify(world: World, case_id: str, hit_on: str) -> Any:
    return world.client.post(f"{API}/cases/{case_id}/requests", headers=world.headers("de.dublin"), json={
        "kind": "take_back_notification", "requested_member_state": "IT",
        "take_back_ground": "indicated_responsible_in_eurodac", "eurodac_hit": True, "hit_on": hit_on})


def test_an_application_after_the_fifteen_months_is_a_new_one_and_no_take_back_lies_art_37_2(world: World) -> None:
    pid = _person(world)
    _border_decision_in_italy(world, pid)
    world.travel(datetime(2027, 12, 10, 9, 0, tzinfo=UTC))
    case = _case(world, pid, "2027-12-03")
    shown = _shown(world, case["id"])
    now = shown["responsible_now"]
    # was: IT, "determined: first application; no take-back notification has been sent yet"
    assert (now["member_state"], now["rule"], now["shifted"], now["since"]) == ("DE", "ceased", True, "2027-12-03")
    assert now["legal_basis"][0] == A37_2
    assert now["reason"].startswith(
        "IT's obligations as the Member State responsible ended: IT examined the application in the border "
        "procedure and its decision IT-A-2026-9 (rejected as manifestly unfounded) became final on 2026-08-01; "
        "the obligations cease 15 months after that, the period ending on 2027-11-01; the application registered "
        "in DE on 2027-12-03, after that period, is a new application, which gives rise to a new determination, "
        "and no take-back notification to IT lies")
    assert now["cessation"] == {
        "ground": "border_procedure", "member_state": "IT", "outcome": "rejected as manifestly unfounded",
        "redetermined": "DE", "criterion": "first_application", "legal_basis": A37_2, "asylum_case": "IT-A-2026-9",
        "final_on": "2026-08-01", "period": "15 months", "period_parameter": "ammr.cessation.after_border_procedure",
        "ends_on": "2027-11-01"}
    kinds = {k["kind"]: k for k in shown["new_request"]["kinds"]}
    assert kinds["take_back_notification"]["lies"] is False
    assert A37_2 in kinds["take_back_notification"]["reason"]
    # a notification sent anyway is refused, with the reason and the article; nothing written
    r = _notify(world, case["id"], "2027-12-03")
    assert r.status_code == 409, r.text
    assert "the period ending on 2027-11-01" in str(r.json()["detail"]) and A37_2 in str(r.json()["detail"])
    assert _shown(world, case["id"])["requests"] == []
    # the case page shows the computation under "Responsible now"
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    assert '<strong id="responsible">DE</strong>' in page
    computed = page.split('id="cessation-computed">')[1].split("</p>")[0]
    assert "IT-A-2026-9" in computed and "<strong>2026-08-01</strong>" in computed
    assert "+ 15 months = the period ends on <strong>2027-11-01</strong>" in computed and A37_2 in computed
    # the CLI shows the same
    from pactum.cli.commands.responsibility import app

    out = CliRunner().invoke(app, ["show", case["id"]], env={"PACTUM_CLI_USER": "de.dublin"})
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["responsible_now"]["cessation"]["ends_on"] == "2027-11-01"


def test_registered_within_the_period_a_notification_pending_at_its_end_keeps_the_obligations_art_37_3(
        world: World) -> None:
    pid = _person(world)
    _border_decision_in_italy(world, pid)
    world.travel(datetime(2027, 10, 21, 9, 0, tzinfo=UTC))
    case = _case(world, pid, "2027-10-20")
    assert _shown(world, case["id"])["responsible_now"]["rule"] == "determination"
    r = _notify(world, case["id"], "2027-10-20")
    assert r.status_code == 201, r.text
    world.travel(datetime(2027, 11, 20, 9, 0, tzinfo=UTC))
    now = _shown(world, case["id"])["responsible_now"]
    assert now["member_state"] == "IT" and now["rule"] != "ceased" and now["cessation"] is None


def test_registered_within_the_period_with_none_pending_at_its_end_the_obligations_ended(world: World) -> None:
    pid = _person(world)
    _border_decision_in_italy(world, pid)
    world.travel(datetime(2027, 10, 21, 9, 0, tzinfo=UTC))
    case = _case(world, pid, "2027-10-20")
    world.travel(datetime(2027, 11, 2, 9, 0, tzinfo=UTC))
    now = _shown(world, case["id"])["responsible_now"]
    assert (now["member_state"], now["rule"], now["since"]) == ("DE", "ceased", "2027-11-02")
    assert now["legal_basis"][:2] == [A37_2, A37_3]
    r = _notify(world, case["id"], "2027-11-01")
    assert r.status_code == 409, r.text
    assert A37_3 in str(r.json()["detail"])


def test_a_pending_request_says_on_its_page_that_the_obligations_ended(world: World) -> None:
    # the notification was sent before the platform held Italy's final decision (recorded later)
    pid = _person(world)
    world.travel(datetime(2027, 12, 10, 9, 0, tzinfo=UTC))
    case = _case(world, pid, "2027-12-03")
    r = _notify(world, case["id"], "2027-12-03")
    assert r.status_code == 201, r.text
    req = r.json()
    _border_decision_in_italy(world, pid)
    for who in ("it.dublin", "de.dublin"):
        got = world.client.get(f"{API}/requests/{req['id']}", headers=world.headers(who)).json()
        ceased = got["obligations_ceased"]
        assert (ceased["ground"], ceased["ends_on"], ceased["legal_basis"]) == ("border_procedure", "2027-11-01", A37_2)
        assert "awaits its outcome" in ceased["reason"]
    page = login(world, "it.dublin").get(f"/responsibility/requests/{req['id']}").text
    notice = page.split('id="obligations-ceased">')[1].split("</p>")[0]
    assert "Obligations of IT ended" in notice and "final on 2026-08-01 + 15 months = 2027-11-01" in notice
    assert "To do:" not in notice  # Italy confirms or not (AMMR Art 41(3)); withdrawing is Germany's
    page = login(world, "de.dublin").get(f"/responsibility/requests/{req['id']}").text
    notice = page.split('id="obligations-ceased">')[1].split("</p>")[0]
    assert 'the request rests on obligations that ended: use "Withdraw" below' in notice
    # Germany withdraws it; a new notification is refused
    r = world.client.post(f"{API}/requests/{req['id']}/withdraw", headers=world.headers("de.dublin"),
                          json={"version": req["version"], "reasons": "Italy's obligations ended (Art 37(2))."})
    assert r.status_code == 200, r.text
    assert _shown(world, case["id"])["responsible_now"]["rule"] == "ceased"
    assert _notify(world, case["id"], "2027-12-03").status_code == 409


def test_a_case_that_left_the_border_procedure_or_a_decision_not_final_is_not_a_cessation(world: World) -> None:
    pid = _person(world)
    _border_decision_in_italy(world, pid, final=False)
    world.travel(datetime(2027, 12, 10, 9, 0, tzinfo=UTC))
    case = _case(world, pid, "2027-12-03")
    now = _shown(world, case["id"])["responsible_now"]
    assert (now["member_state"], now["rule"]) == ("IT", "determination")
    pid2 = _person(world)
    with world.services.engine.begin() as conn:
        conn.execute(insert(asylum_applications).values(
            id="app_it_r", member_state="IT", person_id=pid2, nationality="AFG", context="in_territory",
            procedure="regular", routing_grounds=[], routing={}, state="final", made_on=date(2026, 7, 1),
            registered_on=date(2026, 7, 1), lodged_on=date(2026, 7, 1), reference="IT-A-2026-10",
            outcome="rejected_unfounded", decided_on=date(2026, 7, 20), notified_on=date(2026, 7, 20),
            appeal_deadline=date(2026, 7, 31), created_at=world.clock.now(), version=1))
    case2 = _case(world, pid2, "2027-12-03", ref="DE-BC-2")
    assert _shown(world, case2["id"])["responsible_now"]["rule"] == "determination"



@pytest.mark.parametrize(("state", "event", "ends_on"), [
    # the appeal dismissed on 2026-10-15: final that day, the period ends 2028-01-15
    ("appeal_decided", {"event": "appeal_decided", "detail": {"outcome": "dismissed", "decided_on": "2026-10-15"}},
     "2028-01-15"),
    # closed as final with no event recorded: the day after the appeal time limit (2026-07-31)
    ("final", None, "2027-11-01"),
])
def test_the_day_the_decision_became_final_as_the_procedures_area_records_it(
        world: World, state: str, event: dict[str, Any] | None, ends_on: str) -> None:
    pid = _person(world)
    with world.services.engine.begin() as conn:
        conn.execute(insert(asylum_applications).values(
            id="app_it_a", member_state="IT", person_id=pid, nationality="AFG", context="border",
            procedure="border", routing_grounds=[], routing={}, state=state, made_on=date(2026, 7, 1),
            registered_on=date(2026, 7, 1), lodged_on=date(2026, 7, 1), reference="IT-A-2026-11",
            outcome="inadmissible", decided_on=date(2026, 7, 20), notified_on=date(2026, 7, 20),
            appeal_deadline=date(2026, 7, 31), appeal_lodged_on=date(2026, 7, 25) if event else None,
            appeal_outcome="dismissed" if event else None, created_at=world.clock.now(), version=1))
        if event:
            conn.execute(insert(asylum_case_events).values(
                id="ace_it_a", case_id="app_it_a", at=datetime(2026, 10, 15, 9, 0, tzinfo=UTC), from_state="appeal_lodged",
                to_state="appeal_decided", actor="it.court", **event))
    world.travel(datetime(2028, 2, 1, 9, 0, tzinfo=UTC))
    case = _case(world, pid, "2028-01-20")
    now = _shown(world, case["id"])["responsible_now"]
    assert (now["rule"], now["cessation"]["ends_on"], now["cessation"]["outcome"]) == (
        "ceased", ends_on, "rejected as inadmissible")

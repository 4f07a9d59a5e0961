"""Withdrawing the assessment that a first subsequent application was lodged merely to delay or
frustrate removal (APR Art 56(a), 10(4)(a); Directive 2013/32/EU Art 41(1)(a)). Once recorded it
could not be withdrawn: the removal no longer imminent, the assessment reconsidered or made in
error, the applicant stayed without the right to remain and the returns area let a return decision
be issued. Now the determining authority withdraws it (the day, the reasons; audited), through the
API, the CLI and the case page: the right to remain of Art 10(1) applies again and a return decision
is held back again. Built as the lift of the exception of Art 10(3)-(5) is, with its code."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import procedures
from pactum.services.procedures import ApplicationCreate, RemainException, RemainExceptionWithdrawal
from pactum.store.tables.platform import audit_log

try:
    from .test_procedures_support import World, login, make_world, ok
    from .test_returns_support import make_world as make_returns_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]
    from test_returns_support import make_world as make_returns_world  # type: ignore[no-redef]

APR = "Regulation (EU) 2024/1348"
EXCEPTION = {"removal_decision": "return decision IT-RD-2026-000042 of 2026-07-20, removal booked for 2026-08-10",
             "reason": "lodged the day before the booked flight, repeating the first application's account",
             "non_refoulement_considered": True}
WITHDRAWAL = {"on": "2026-08-20", "reason": "the return decision was annulled on appeal: no removal is imminent"}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def assessed(world: World, surname: str) -> dict[str, Any]:
    """A first subsequent application with the delay assessment recorded on 2026-08-03."""
    pid = world.person("it.caseworker", surname=surname, nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    return ok(world.post("it.caseworker", f"/applications/{case['id']}/remain-exception",
                         {"version": case["version"], **EXCEPTION}))


def withdraw(world: World, case: dict[str, Any], **body: Any) -> Any:
    return world.post("it.caseworker", f"/applications/{case['id']}/remain-exception/withdraw",
                      {"version": case["version"], **WITHDRAWAL, **body})


def test_the_withdrawn_assessment_gives_the_right_to_remain_again_audited(world: World) -> None:
    case = assessed(world, "Tesfay")
    assert case["right_to_remain"]["right_to_remain"] is False and case["right_to_remain"]["withdrawable"] is True
    world.travel(datetime(2026, 8, 25, 9, 0, tzinfo=UTC))

    # each field refused by name, nothing written
    r = world.post("it.caseworker", f"/applications/{case['id']}/remain-exception/withdraw",
                   {"version": case["version"]})
    assert r.status_code == 422 and {p["loc"][-1] for p in r.json()["detail"]} == {"on", "reason"}
    r = withdraw(world, case, on="2026-08-26")
    assert r.status_code == 422 and "cannot be after today (2026-08-25)" in r.json()["detail"][0]["msg"]
    r = withdraw(world, case, on="2026-08-02")
    assert r.status_code == 422 and "before the day it was recorded (2026-08-03)" in r.json()["detail"][0]["msg"]
    r = withdraw(world, case, reason="   ")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "reason"
    r = withdraw(world, case, version=case["version"] + 1)
    assert r.status_code == 409 and "reload and withdraw again" in r.json()["detail"]

    out = ok(withdraw(world, case))
    rr = out["right_to_remain"]
    assert rr["right_to_remain"] is True and rr["exception"] is None and rr["return_decision_held_back"] is True
    assert rr["withdrawn"] is True and rr["withdrawn_on"] == "2026-08-20" and rr["withdrawn_by"] == "it.caseworker"
    assert rr["withdrawal_reason"] == WITHDRAWAL["reason"] and rr["legal_basis"] == [f"{APR}, Article 10(1)"]
    assert "was withdrawn on 2026-08-20" in rr["note"] and rr["recorded_on"] == "2026-08-03"
    assert rr["withdrawable"] is False and rr["recordable"] is True and out["version"] == case["version"] + 1
    event = out["timeline"][-1]
    assert event["event"] == "remain_exception_withdrawn"
    assert event["detail"]["on"] == "2026-08-20" and event["detail"]["recorded_on"] == "2026-08-03"
    assert event["detail"]["legal_basis"] == [f"{APR}, Article 10(1)"]
    with world.services.engine.connect() as conn:
        entry = conn.execute(select(audit_log.c.before, audit_log.c.after).where(
            audit_log.c.entity_id == case["id"], audit_log.c.action == "procedures.remain_exception_withdrawn")).one()
    assert entry.before["right_to_remain"] is False and entry.before["recorded_on"] == "2026-08-03"
    assert entry.after["reason"] == WITHDRAWAL["reason"]

    # nothing left to withdraw; a new assessment may be recorded and withdrawn in its turn
    r = withdraw(world, out)
    assert r.status_code == 409 and "was withdrawn on 2026-08-20" in r.json()["detail"]
    again = ok(world.post("it.caseworker", f"/applications/{case['id']}/remain-exception",
                          {"version": out["version"], **EXCEPTION}))
    assert again["right_to_remain"]["right_to_remain"] is False and again["right_to_remain"]["withdrawn"] is False
    assert again["right_to_remain"]["recorded_on"] == "2026-08-25"


def test_nothing_recorded_or_a_case_under_appeal_is_refused_with_409(world: World) -> None:
    pid = world.person("it.caseworker", surname="Haile", nationality="ERI", kind="in_territory_application")
    plain = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    r = withdraw(world, plain)
    assert r.status_code == 409 and "there is nothing to withdraw" in r.json()["detail"]

    case = assessed(world, "Berhe")
    world.travel(datetime(2026, 9, 30, 9, 0, tzinfo=UTC))
    for who, action, fields in [
            ("it.caseworker", "lodge", {"lodged_on": "2026-08-04"}),
            ("it.caseworker", "schedule_interview", {"interview_on": "2026-08-10", "language": "Tigrinya"}),
            ("it.caseworker", "hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Tigrinya"}),
            ("it.caseworker", "draft_decision", {"outcome": "inadmissible",
                                                 "inadmissibility_ground": "subsequent_application",
                                                 "reasons": "no new elements (preliminary examination)"}),
            ("it.caseworker", "submit_for_review", {}),
            ("it.reviewer", "approve", {"decided_on": "2026-08-20"}),
            ("it.caseworker", "notify", {"notified_on": "2026-08-21"}),
            ("it.caseworker", "lodge_appeal", {"lodged_on": "2026-08-25"})]:
        case = ok(world.act(who, case, action, **fields))
    assert case["state"] == "appeal_lodged" and case["right_to_remain"]["withdrawable"] is False
    r = withdraw(world, case, on="2026-09-01")
    assert r.status_code == 409 and "is appeal lodged" in r.json()["detail"]
    assert "there is no assessment to withdraw" in r.json()["detail"]


def test_the_cli_withdraws_the_assessment(world: World) -> None:
    case = assessed(world, "Mehari")
    env = {"PACTUM_DATABASE_URL": world.services.settings.database_url, "PACTUM_CLI_USER": "it.caseworker"}
    args = ["procedures", "remain-exception-withdraw", case["reference"], "--version", str(case["version"]),
            "--on", "2026-08-03"]
    r = CliRunner().invoke(app, [*args, "--reason", " "], env=env)
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "--reason" in r.output
    r = CliRunner().invoke(app, [*args, "--reason", WITHDRAWAL["reason"]], env=env)
    assert r.exit_code == 0, r.output
    rr = json.loads(r.output)["right_to_remain"]
    assert rr["right_to_remain"] is True and rr["withdrawn_on"] == "2026-08-03"


def test_the_case_page_withdraws_the_assessment_and_marks_the_fields_in_error(world: World) -> None:
    case = assessed(world, "Kidane")
    web = login(world, "it.caseworker")
    card = web.get(f"/procedures/cases/{case['id']}").text.split('id="right-to-remain"')[1].split("</section>")[0]
    assert 'action="/procedures/cases/' + case["id"] + '/remain-exception/withdraw"' in card
    r = web.post(f"/procedures/cases/{case['id']}/remain-exception/withdraw",
                 data={"version": str(case["version"]), "on": "2026-08-03", "reason": ""})
    assert r.status_code == 422
    form = r.text.split('id="remain-exception-withdraw"')[1].split("</form>")[0]
    line = re.search(r'<li id="(problem-\d+)">Why the assessment is withdrawn: ([^<]+)</li>', form)
    assert line is not None and "say why the assessment is withdrawn" in line.group(2)
    reason = re.search(r'<textarea name="reason"[^>]*>', form)
    assert reason is not None and 'aria-invalid="true"' in reason.group(0)
    assert f'aria-describedby="{line.group(1)}"' in reason.group(0)
    assert 'aria-invalid' not in re.search(r'<input type="date" name="on"[^>]*>', form).group(0)  # type: ignore[union-attr]
    # no other form of the page is marked or shows the lines
    assert r.text.count('aria-invalid="true"') == 1

    r = web.post(f"/procedures/cases/{case['id']}/remain-exception/withdraw",
                 data={"version": str(case["version"]), "on": "2026-08-03", "reason": WITHDRAWAL["reason"]},
                 follow_redirects=True)
    assert r.status_code == 200 and "Withdrawn: the subsequent application gives the right to remain" in r.text
    card = r.text.split('id="right-to-remain"')[1].split("</section>")[0]
    assert "The applicant has the right to remain" in card and 'id="remain-exception-withdrawn"' in card
    assert WITHDRAWAL["reason"] in card and "remain-exception/withdraw" not in card


def test_the_returns_area_holds_a_return_decision_back_again(tmp_path: Path) -> None:
    rw = make_returns_world(tmp_path)
    rw.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    person = rw.person("it.caseworker", surname="Rahman", nationality="BGD")
    cw = rw.principals["it.caseworker"]
    case = procedures.create_application(rw.services, cw, ApplicationCreate(
        person_id=person, made_on=date(2026, 11, 20), registered_on=date(2026, 11, 20),
        context="in_territory", subsequent_application=True))  # type: ignore[arg-type]
    case = procedures.record_remain_exception(rw.services, cw, case["id"], RemainException(
        version=case["version"], removal_decision="return decision of 2026-06-02, flight booked 2026-11-21",
        reason="lodged the day before the booked flight, nothing new", non_refoulement_considered=True))
    procedures.withdraw_remain_exception(rw.services, cw, case["id"], RemainExceptionWithdrawal(
        version=case["version"], on=date(2026, 11, 30), reason="the flight was cancelled: no removal is imminent"))
    body = {"person_id": person, "issued_on": "2026-11-30", "voluntary_departure_days": 7, "grounds": ["illegal_stay"]}
    r = rw.client.post("/api/v1/returns/decisions", json=body, headers=rw.headers("it.returns"))
    assert r.status_code == 409 and "has the right to remain" in r.json()["detail"], r.text

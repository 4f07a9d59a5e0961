"""Lifting a recorded exception to the right to remain (APR Art 10(3), (4)(b), (c); Directive
2013/32/EU Art 9(2)). The executing court refuses the surrender under the European arrest warrant,
the extradition request is withdrawn, the danger assessment is reversed on appeal, or the record was
made in error: the exception no longer holds and the right to remain of APR Art 10(1) (Directive
Art 9(1)) applies again. The Regulation does not speak of lifting (our reading: the exception lasts
as long as its ground). Before, a recorded exception could never be lifted."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.services.auth import Role
from pactum.store.tables.platform import audit_log

try:
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]

APR = "Regulation (EU) 2024/1348"
WARRANT = {"ground": "european_arrest_warrant_surrender", "destination": "DE",
           "reference": "European arrest warrant of the Amtsgericht München, 2026-07-20",
           "reason": "arrested on the warrant on 2026-08-02; surrender hearing pending"}
DANGER = {"ground": "danger_to_public_order_or_national_security",
          "reason": "convicted on 2026-07-30 of armed robbery, four years' imprisonment",
          "non_refoulement_satisfied": True}
REFUSED = "the Oberlandesgericht München refused the surrender on 2026-08-10 (Art 4(6) of the Framework Decision)"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def record(world: World, case: dict[str, Any], **body: Any) -> Any:
    return world.post("it.caseworker", f"/applications/{case['id']}/no-right-to-remain",
                      {"version": case["version"], **body})


def lift(world: World, case: dict[str, Any], **body: Any) -> Any:
    return world.post("it.caseworker", f"/applications/{case['id']}/no-right-to-remain/lift",
                      {"version": case["version"], **body})


def field_of(r: Any) -> str:
    assert r.status_code == 422, r.text
    return str(r.json()["detail"][0]["loc"][-1])


def test_a_refused_surrender_lifts_the_exception_and_the_right_to_remain_applies_again(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Nowak", nationality="UKR"))
    r = lift(world, case, on="2026-08-03", reason=REFUSED)
    assert r.status_code == 409 and "nothing to lift" in r.json()["detail"]
    case = ok(record(world, case, **WARRANT))
    assert case["remain_exception_liftable"] is True and case["remain_exception"]["lifted"] is False
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))

    # the day: given, not after today, not before the record; the reason: given
    assert field_of(lift(world, case, reason=REFUSED)) == "on"
    assert field_of(lift(world, case, on="2026-08-13", reason=REFUSED)) == "on"
    r = lift(world, case, on="2026-08-02", reason=REFUSED)
    assert field_of(r) == "on" and "cannot be before the day it was recorded (2026-08-03)" in r.json()["detail"][0]["msg"]
    assert field_of(lift(world, case, on="2026-08-10", reason="   ")) == "reason"
    assert field_of(lift(world, case, on="10/08/2026", reason=REFUSED)) == "on"
    r = world.post("it.caseworker", f"/applications/{case['id']}/no-right-to-remain/lift",
                   {"version": case["version"] - 1, "on": "2026-08-10", "reason": REFUSED})
    assert r.status_code == 409 and "changed by someone else" in r.json()["detail"]
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["version"] == case["version"]

    case = ok(lift(world, case, on="2026-08-10", reason=REFUSED))
    rx = case["remain_exception"]
    assert rx["right_to_remain"] is True and rx["lifted"] is True and rx["ground"] == "european_arrest_warrant_surrender"
    assert rx["lifted_on"] == "2026-08-10" and rx["lifted_by"] == "it.caseworker" and rx["lift_reason"] == REFUSED
    assert rx["recorded_on"] == "2026-08-03" and rx["legal_basis"] == [f"{APR}, Article 10(3)"]
    assert f"again has the right to remain until the determining authority decides ({APR}, Article 10(1))" in rx["note"]
    assert case["remain_exception_liftable"] is False and case["remain_exception_recordable"] is True
    event = case["timeline"][-1]
    assert event["event"] == "no_right_to_remain_lifted" and event["detail"]["on"] == "2026-08-10"
    assert event["detail"]["legal_basis"] == [f"{APR}, Article 10(1)"] and event["detail"]["reason"] == REFUSED
    with world.services.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.action, audit_log.c.before, audit_log.c.after)
                               .where(audit_log.c.entity_id == case["id"],
                                      audit_log.c.action == "procedures.no_right_to_remain_lifted")).all()
    assert len(audited) == 1 and audited[0].before["right_to_remain"] is False
    assert audited[0].after["reason"] == REFUSED and audited[0].after["recorded_on"] == "2026-08-03"

    r = lift(world, case, on="2026-08-12", reason="again")
    assert r.status_code == 409 and "was lifted on 2026-08-10" in r.json()["detail"]
    # the ground may arise again: a new exception is recorded after the lift, and stands
    case = ok(record(world, case, **DANGER))
    rx = case["remain_exception"]
    assert rx["lifted"] is False and rx["right_to_remain"] is False and rx["lifted_on"] is None
    assert rx["ground"] == "danger_to_public_order_or_national_security" and rx["recorded_on"] == "2026-08-12"
    assert case["remain_exception_liftable"] is True and case["remain_exception_recordable"] is False


def test_a_lifted_exception_gives_a_subsequent_application_its_right_to_remain_back(world: World) -> None:
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    case = ok(record(world, case, **DANGER))
    assert case["right_to_remain"]["right_to_remain"] is False
    case = ok(lift(world, case, on="2026-08-03", reason="recorded on the wrong applicant"))
    rr = case["right_to_remain"]
    assert rr["right_to_remain"] is True and rr["exception"] is None
    assert rr["legal_basis"] == [f"{APR}, Article 10(1)"]


def test_a_decided_case_has_nothing_to_lift(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Okafor", nationality="NGA"))
    case = ok(record(world, case, **WARRANT))
    world.travel(datetime(2026, 8, 25, 9, 0, tzinfo=UTC))
    for action, fields in [("lodge", {"lodged_on": "2026-08-04"}),
                           ("schedule_interview", {"interview_on": "2026-08-10", "language": "English"}),
                           ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "English"}),
                           ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no persecution shown"}),
                           ("submit_for_review", {})]:
        case = ok(world.act("it.caseworker", case, action, **fields))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))
    assert case["remain_exception_liftable"] is False and case["remain_exception"]["lifted"] is False
    r = lift(world, case, on="2026-08-21", reason=REFUSED)
    assert r.status_code == 409 and "is decided" in r.json()["detail"]


def test_the_case_page_lifts_the_exception_for_the_caseworker_only_while_it_stands(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Kovac", nationality="SRB"))
    web = login(world, "it.caseworker")

    def card(text: str) -> str:
        return text.split('id="remain-exception"')[1].split("</section>")[0]

    assert "/no-right-to-remain/lift" not in card(web.get(f"/procedures/cases/{case['id']}").text)
    case = ok(record(world, case, **WARRANT))
    shown = card(web.get(f"/procedures/cases/{case['id']}").text)
    assert f'action="/procedures/cases/{case["id"]}/no-right-to-remain/lift"' in shown
    assert "Lift the exception: the right to remain applies again" in shown and f"{APR}, Article 10(1)" in shown
    # a return officer reads the case and its exception but does not lift it (the competent authority does)
    world.user("it.returns", "IT", Role.return_officer)
    officer = card(login(world, "it.returns").get(f"/procedures/cases/{case['id']}").text)
    assert "No right to remain during the administrative procedure" in officer and "<form" not in officer
    r = world.post("it.returns", f"/applications/{case['id']}/no-right-to-remain/lift",
                   {"version": case["version"], "on": "2026-08-03", "reason": REFUSED})
    assert r.status_code == 403

    form = {"version": str(case["version"]), "lift": "1", "on": "2026-08-03", "reason": ""}
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain/lift", data=form)
    assert r.status_code == 422 and "say why the exception no longer applies" in card(r.text)
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain/lift",
                 data={**form, "on": "2026-09-01", "reason": REFUSED})
    assert r.status_code == 422 and "cannot be after today (2026-08-03)" in card(r.text)
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain/lift", data={**form, "reason": REFUSED},
                 follow_redirects=True)
    assert r.status_code == 200 and "Lifted: the applicant has the right to remain" in r.text
    shown = card(r.text)
    assert "Exception lifted: the right to remain applies again" in shown and REFUSED in shown
    assert "Lifted by it.caseworker on 2026-08-03" in shown and "/no-right-to-remain/lift" not in shown
    # a new exception may be recorded: the record form is back
    assert f'action="/procedures/cases/{case["id"]}/no-right-to-remain"' in shown


def test_the_cli_lifts_the_exception(world: World) -> None:
    from typer.testing import CliRunner

    from pactum.cli.main import app

    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Ilic", nationality="SRB"))
    case = ok(record(world, case, **WARRANT))
    env = {"PACTUM_DATABASE_URL": world.services.settings.database_url, "PACTUM_CLI_USER": "it.caseworker"}
    args = ["procedures", "no-right-to-remain-lift", case["reference"], "--version", str(case["version"]),
            "--on", "2026-08-03"]
    r = CliRunner().invoke(app, [*args, "--reason", " "], env=env)
    assert r.exit_code == 2 and "reason" in r.output and "say why the exception no longer applies" in r.output
    r = CliRunner().invoke(app, [*args[:-1], "3 August", "--reason", REFUSED], env=env)
    assert r.exit_code == 2 and "--on: '3 August' is not a date" in r.output
    r = CliRunner().invoke(app, [*args, "--reason", REFUSED], env=env)
    assert r.exit_code == 0, r.output
    rx = json.loads(r.output)["remain_exception"]
    assert rx["lifted"] is True and rx["lifted_on"] == "2026-08-03" and rx["right_to_remain"] is True
    r = CliRunner().invoke(app, [*args[:4], str(case["version"] + 1), *args[5:], "--reason", REFUSED], env=env)
    assert r.exit_code != 0 and "nothing to lift" not in r.output and "was lifted on 2026-08-03" in r.output

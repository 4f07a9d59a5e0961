"""Whether a subsequent application gives the right to remain while it is examined (APR Art 10(1),
(4)(a), Art 56; Directive 2013/32/EU Art 41(1)). Pactum recorded a subsequent application but not
whether the applicant may remain: every one was treated as giving the right to remain, and the
returns area refused a return decision while it was examined. Now the case says it, derived (a
further subsequent application after a final decision on the previous one, Art 56(b)) or recorded
by the determining authority (lodged merely to delay or frustrate removal, Art 56(a))."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import audit_log

try:
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]

APR = "Regulation (EU) 2024/1348"
EXCEPTION = {"removal_decision": "return decision IT-RD-2026-000042 of 2026-07-20, removal booked for 2026-08-10",
             "reason": "lodged the day before the booked flight, repeating the first application's account word "
                       "for word", "non_refoulement_considered": True}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def subsequent(world: World, pid: str, **facts: Any) -> dict[str, Any]:
    return world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True, **facts)


def record(world: World, case: dict[str, Any], **body: Any) -> Any:
    return world.post("it.caseworker", f"/applications/{case['id']}/remain-exception",
                      {"version": case["version"], **EXCEPTION, **body})


def test_a_first_subsequent_application_keeps_the_right_to_remain_until_the_authority_records_the_delay(
        world: World) -> None:
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = subsequent(world, pid)
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    rr = shown["right_to_remain"]
    assert rr["right_to_remain"] is True and rr["exception"] is None and rr["recordable"] is True
    assert rr["legal_basis"] == [f"{APR}, Article 10(1)"]

    # the assessment needs the non-refoulement check and the decision to be enforced, each named
    r = record(world, case, non_refoulement_considered=False)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "non_refoulement_considered"
    r = record(world, case, removal_decision="  ")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "removal_decision"

    case = ok(record(world, case))
    rr = case["right_to_remain"]
    assert rr["right_to_remain"] is False and rr["exception"] == "first_subsequent_to_delay_removal"
    assert rr["derived"] is False and rr["recorded_by"] == "it.caseworker" and rr["recorded_on"] == "2026-08-03"
    assert rr["legal_basis"] == [f"{APR}, Article 10(4)(a)", f"{APR}, Article 56(a)"]
    assert "merely to delay or frustrate" in rr["note"] and rr["recordable"] is False
    event = case["timeline"][-1]
    assert event["event"] == "remain_exception_recorded" and event["detail"]["reason"] == EXCEPTION["reason"]
    with world.services.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.action).where(audit_log.c.entity_id == case["id"])).scalars().all()
    assert "procedures.remain_exception_recorded" in audited
    r = record(world, case)
    assert r.status_code == 409 and "already has the assessment recorded" in r.json()["detail"]

    # new elements found: examined further, Art 56(a) no longer holds
    world.travel(datetime(2026, 8, 25, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    case = ok(world.act("it.caseworker", case, "admit_subsequent", found_on="2026-08-20"))
    rr = case["right_to_remain"]
    assert rr["right_to_remain"] is True and rr["lapsed"] == "2026-08-20" and rr["exception"] is None
    assert f"{APR}, Article 55(6)" in rr["note"]


def test_a_first_application_has_no_such_record_and_a_stale_version_is_refused(world: World) -> None:
    pid = world.person("it.caseworker", surname="Haile", nationality="ERI")
    case = world.apply("it.caseworker", pid)
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["right_to_remain"] is None
    r = record(world, case)
    assert r.status_code == 409 and "is not a subsequent application" in r.json()["detail"]
    other = subsequent(world, world.person("it.caseworker", surname="Berhe", nationality="ERI",
                                           kind="in_territory_application"))
    r = world.post("it.caseworker", f"/applications/{other['id']}/remain-exception",
                   {"version": other["version"] + 1, **EXCEPTION})
    assert r.status_code == 409 and "changed by someone else" in r.json()["detail"]


def final_inadmissible(world: World, pid: str) -> dict[str, Any]:
    """A first subsequent application declared inadmissible (no new elements, APR Art 55(7)),
    notified and final."""
    case = subsequent(world, pid)
    world.travel(datetime(2026, 10, 20, 9, 0, tzinfo=UTC))
    for action, fields in [("lodge", {"lodged_on": "2026-08-04"}),
                           ("schedule_interview", {"interview_on": "2026-08-10", "language": "Tigrinya"}),
                           ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Tigrinya"}),
                           ("draft_decision", {"outcome": "inadmissible", "inadmissibility_ground": "subsequent_application",
                                               "reasons": "no new elements (preliminary examination)"}),
                           ("submit_for_review", {})]:
        case = ok(world.act("it.caseworker", case, action, **fields))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21"))
    case = ok(world.act("it.caseworker", case, "close", on="2026-10-20"))
    assert case["state"] == "final"
    return case


def test_a_further_subsequent_application_after_a_final_inadmissibility_gives_no_right_to_remain(
        world: World) -> None:
    pid = world.person("it.caseworker", surname="Gebre", nationality="ERI", kind="in_territory_application")
    first = final_inadmissible(world, pid)
    second = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True,
                         made_on="2026-10-19", registered_on="2026-10-20")
    rr = second["right_to_remain"]
    assert rr["right_to_remain"] is False and rr["exception"] == "further_subsequent_after_final_decision"
    assert rr["derived"] is True and rr["previous_application"]["reference"] == first["reference"]
    assert rr["previous_application"]["outcome"] == "inadmissible"
    assert rr["legal_basis"] == [f"{APR}, Article 10(4)(a)", f"{APR}, Article 56(b)"]
    assert first["reference"] in rr["note"] and "declared inadmissible on 2026-08-20" in rr["note"]
    # not an assessment to record: it follows from the records
    r = record(world, second)
    assert r.status_code == 409 and "not a first subsequent application" in r.json()["detail"]

    page = login(world, "it.caseworker").get(f"/procedures/cases/{second['id']}").text
    assert 'id="right-to-remain"' in page and "No right to remain while it is examined" in page
    assert first["reference"] in page.split('id="right-to-remain"')[1].split("</section>")[0]


def test_the_case_page_records_the_assessment(world: World) -> None:
    pid = world.person("it.caseworker", surname="Kidane", nationality="ERI", kind="in_territory_application")
    case = subsequent(world, pid)
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    card = page.split('id="right-to-remain"')[1].split("</section>")[0]
    assert "The applicant has the right to remain" in card and 'action="/procedures/cases/' in card
    r = web.post(f"/procedures/cases/{case['id']}/remain-exception",
                 data={"version": str(case["version"]), "removal_decision": EXCEPTION["removal_decision"],
                       "reason": EXCEPTION["reason"]})
    assert r.status_code == 422 and "non-refoulement" in r.text
    r = web.post(f"/procedures/cases/{case['id']}/remain-exception",
                 data={"version": str(case["version"]), "removal_decision": EXCEPTION["removal_decision"],
                       "reason": EXCEPTION["reason"], "non_refoulement_considered": "on"}, follow_redirects=True)
    assert r.status_code == 200
    card = r.text.split('id="right-to-remain"')[1].split("</section>")[0]
    assert "No right to remain while it is examined" in card and "Article 56(a)" in card


def test_the_cli_records_the_assessment_and_refuses_it_without_the_non_refoulement_check(world: World) -> None:
    import json

    from typer.testing import CliRunner

    from pactum.cli.main import app

    pid = world.person("it.caseworker", surname="Mehari", nationality="ERI", kind="in_territory_application")
    case = subsequent(world, pid)
    env = {"PACTUM_DATABASE_URL": world.services.settings.database_url, "PACTUM_CLI_USER": "it.caseworker"}
    args = ["procedures", "remain-exception", case["reference"], "--version", str(case["version"]),
            "--removal-decision", EXCEPTION["removal_decision"], "--reason", EXCEPTION["reason"]]
    r = CliRunner().invoke(app, args, env=env)
    assert r.exit_code == 2 and "--non-refoulement-considered: the exception is made only" in r.output
    r = CliRunner().invoke(app, [*args, "--non-refoulement-considered"], env=env)
    assert r.exit_code == 0, r.output
    rr = json.loads(r.output)["right_to_remain"]
    assert rr["right_to_remain"] is False and rr["exception"] == "first_subsequent_to_delay_removal"

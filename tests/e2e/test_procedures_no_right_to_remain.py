"""The exceptions to the right to remain that concern any application (APR Art 10(3), (4)(b), (c),
(5); before the Pact Directive 2013/32/EU Art 9(2), (3)). Pactum modelled only the exception for
subsequent applications (Art 10(4)(a)): an applicant surrendered under a European arrest warrant,
extradited, or a danger to public order was shown with the right to remain. Now the competent
authority records the ground, each condition the text sets is enforced naming its field, and the
case says what the exception does (a surrender or extradition is not a return)."""

from __future__ import annotations

import json
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
DIR = "Directive 2013/32/EU"
EXTRADITION = {"ground": "extradition_or_surrender", "destination_kind": "third_country", "destination": "Serbia",
               "reference": "extradition request of the Republic of Serbia no. 12/2026 of 2026-07-15",
               "reason": "sought for prosecution for armed robbery committed in Belgrade in 2025",
               "non_refoulement_satisfied": True}
WARRANT = {"ground": "european_arrest_warrant_surrender", "destination": "DE",
           "reference": "European arrest warrant of the Amtsgericht München, 2026-07-20",
           "reason": "arrested on the warrant on 2026-08-02; surrender hearing pending"}
DANGER = {"ground": "danger_to_public_order_or_national_security",
          "reason": "convicted on 2026-07-30 of armed robbery, four years' imprisonment",
          "non_refoulement_satisfied": True}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def record(world: World, case: dict[str, Any], **body: Any) -> Any:
    return world.post("it.caseworker", f"/applications/{case['id']}/no-right-to-remain",
                      {"version": case["version"], **body})


def field_of(r: Any) -> str:
    assert r.status_code == 422, r.text
    return str(r.json()["detail"][0]["loc"][-1])


def test_an_extradition_to_a_third_country_needs_the_finding_on_refoulement_then_ends_the_right_to_remain(
        world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Petrovic", nationality="SRB"))
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["remain_exception"] is None and shown["remain_exception_recordable"] is True

    # Art 10(5): only where the competent authority is satisfied there is no direct or indirect refoulement
    r = record(world, case, **{**EXTRADITION, "non_refoulement_satisfied": False})
    assert field_of(r) == "non_refoulement_satisfied" and "Article 10(5)" in r.json()["detail"][0]["msg"]
    assert field_of(record(world, case, **{**EXTRADITION, "destination_kind": "moon"})) == "destination_kind"
    assert field_of(record(world, case, **{**EXTRADITION, "reference": "  "})) == "reference"
    assert field_of(record(world, case, **{**EXTRADITION, "ground": "expulsion"})) == "ground"
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["version"] == case["version"]

    case = ok(record(world, case, **EXTRADITION))
    rx = case["remain_exception"]
    assert rx["right_to_remain"] is False and rx["ground"] == "extradition_or_surrender"
    assert rx["legal_basis"] == [f"{APR}, Article 10(4)(b)", f"{APR}, Article 10(5)"]
    assert rx["destination"] == "Serbia" and rx["destination_kind"] == "third_country"
    assert rx["recorded_by"] == "it.caseworker" and rx["recorded_on"] == "2026-08-03"
    assert rx["non_refoulement_satisfied"] is True and rx["return_decision_held_back"] is True
    assert "not a return" in rx["note"] and case["remain_exception_recordable"] is False
    assert case["right_to_remain"] is None  # a first application: the subsequent card stays away
    event = case["timeline"][-1]
    assert event["event"] == "no_right_to_remain_recorded" and event["detail"]["reference"] == EXTRADITION["reference"]
    with world.services.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.action).where(audit_log.c.entity_id == case["id"])).scalars().all()
    assert "procedures.no_right_to_remain_recorded" in audited
    r = record(world, case, **WARRANT)
    assert r.status_code == 409 and "already has an exception to the right to remain recorded" in r.json()["detail"]


def test_a_european_arrest_warrant_ends_the_right_to_remain_without_a_finding_and_a_stale_version_is_refused(
        world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Nowak", nationality="UKR"))
    r = record(world, case, **{**WARRANT, "destination_kind": "third_country"})
    assert field_of(r) == "destination_kind"
    r = world.post("it.caseworker", f"/applications/{case['id']}/no-right-to-remain",
                   {"version": case["version"] + 1, **WARRANT})
    assert r.status_code == 409 and "changed by someone else" in r.json()["detail"]
    rx = ok(record(world, case, **WARRANT))["remain_exception"]
    assert rx["legal_basis"] == [f"{APR}, Article 10(3)"] and rx["destination_kind"] == "member_state"
    assert rx["non_refoulement_satisfied"] is False and "European arrest warrant" in rx["note"]


def test_public_order_needs_the_finding_and_is_no_exception_of_the_directive(world: World) -> None:
    pact = world.apply("it.caseworker", world.person("it.caseworker", surname="Ali", nationality="TUN"))
    assert field_of(record(world, pact, **{**DANGER, "non_refoulement_satisfied": False})) == \
        "non_refoulement_satisfied"
    rx = ok(record(world, pact, **DANGER))["remain_exception"]
    assert rx["legal_basis"] == [f"{APR}, Article 10(4)(c)"] and rx["return_decision_held_back"] is False

    old = world.apply("it.caseworker", world.person("it.caseworker", surname="Ben Salah", nationality="TUN",
                                                    occurred_at="2026-05-19T06:00:00+00:00"),
                      made_on="2026-05-20", registered_on="2026-05-22")
    assert old["applicable_law"]["regime"] == "pre_pact"
    r = record(world, old, **DANGER)
    assert field_of(r) == "ground" and f"{DIR}, Article 9(2)" in r.json()["detail"][0]["msg"]
    # the Directive asks the finding for an extradition to a third country (Art 9(3)) ...
    assert field_of(record(world, old, **{**EXTRADITION, "non_refoulement_satisfied": False})) == \
        "non_refoulement_satisfied"
    rx = ok(record(world, old, **EXTRADITION))["remain_exception"]
    assert rx["legal_basis"] == [f"{DIR}, Article 9(2)", f"{DIR}, Article 9(3)"]


def test_a_subsequent_application_shows_the_recorded_exception_in_its_card(world: World) -> None:
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    assert case["right_to_remain"]["right_to_remain"] is True
    case = ok(record(world, case, **DANGER))
    rr = case["right_to_remain"]
    assert rr["right_to_remain"] is False and rr["exception"] == "danger_to_public_order_or_national_security"
    assert rr["legal_basis"] == [f"{APR}, Article 10(4)(c)"] and rr["return_decision_held_back"] is False
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    card = page.split('id="right-to-remain"')[1].split("</section>")[0]
    assert "No right to remain while it is examined" in card and "recorded by the competent authority" in card
    assert "decision to be enforced" not in card and "convicted on 2026-07-30 of armed robbery" in card


def test_a_decided_case_takes_no_exception(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Okafor", nationality="NGA"))
    world.travel(datetime(2026, 8, 25, 9, 0, tzinfo=UTC))
    for action, fields in [("lodge", {"lodged_on": "2026-08-04"}),
                           ("schedule_interview", {"interview_on": "2026-08-10", "language": "English"}),
                           ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "English"}),
                           ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no persecution shown"}),
                           ("submit_for_review", {})]:
        case = ok(world.act("it.caseworker", case, action, **fields))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))
    assert case["remain_exception_recordable"] is False
    r = record(world, case, **EXTRADITION)
    assert r.status_code == 409 and "is decided" in r.json()["detail"]


def test_the_case_page_records_the_exception_and_shows_it(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Kovac", nationality="SRB"))
    web = login(world, "it.caseworker")
    card = web.get(f"/procedures/cases/{case['id']}").text.split('id="remain-exception"')[1].split("</section>")[0]
    assert 'action="/procedures/cases/' in card and "danger_to_public_order_or_national_security" in card
    form = {"version": str(case["version"]), **{k: str(v) for k, v in EXTRADITION.items()
                                                if k != "non_refoulement_satisfied"}}
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain", data=form)
    assert r.status_code == 422 and "direct or indirect refoulement" in r.text
    r = web.post(f"/procedures/cases/{case['id']}/no-right-to-remain",
                 data={**form, "non_refoulement_satisfied": "on"}, follow_redirects=True)
    assert r.status_code == 200
    card = r.text.split('id="remain-exception"')[1].split("</section>")[0]
    assert "No right to remain during the administrative procedure" in card and "Serbia" in card
    assert "Article 10(5)" in card and "not a return" in card
    # no second record while it stands; the form offered now lifts it (test_procedures_no_right_to_remain_lift)
    assert f'action="/procedures/cases/{case["id"]}/no-right-to-remain"' not in card
    assert card.count("<form") == 1 and "/no-right-to-remain/lift" in card


def test_the_cli_records_the_exception_and_refuses_it_without_the_finding(world: World) -> None:
    from typer.testing import CliRunner

    from pactum.cli.main import app

    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Ilic", nationality="SRB"))
    env = {"PACTUM_DATABASE_URL": world.services.settings.database_url, "PACTUM_CLI_USER": "it.caseworker"}
    args = ["procedures", "no-right-to-remain", case["reference"], "--version", str(case["version"]),
            "--ground", "extradition_or_surrender", "--destination-kind", "international_court",
            "--destination", "International Criminal Court", "--reference", "ICC surrender request ICC-01/26",
            "--reason", "sought for trial"]
    r = CliRunner().invoke(app, args, env=env)
    assert r.exit_code == 2 and "--non-refoulement-satisfied: the exception is made only" in r.output
    r = CliRunner().invoke(app, [*args, "--non-refoulement-satisfied"], env=env)
    assert r.exit_code == 0, r.output
    rx = json.loads(r.output)["remain_exception"]
    assert rx["destination_kind"] == "international_court"
    assert rx["legal_basis"] == [f"{APR}, Article 10(4)(b)", f"{APR}, Article 10(5)"]

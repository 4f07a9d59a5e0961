"""An application made before 12 June 2026 and lodged from it: APR Art 79(3) puts it under the APR
by the day of lodging, so the routing done when it was made (under Directive 2013/32/EU, the law of
that day) is done again at lodging under the APR on the same facts, audited and said on the case
(page, API, CLI); its next deadline follows the new procedure. Cases lodged so before are routed
again by the job ``procedures_route_by_law_of_case`` while their examination is pending; a case
already decided keeps the procedure its decision was taken in.

The applicant, a Bangladeshi national, applied in Italy's territory on Friday 5 June 2026: no ground
of Directive Art 31(8) applies (regular procedure). Lodged on Monday 15 June 2026, under the APR
the EU recognition rate of Bangladeshis (3.09% in 2025, at or below 20%) makes the accelerated
examination mandatory (Art 42(1)(j)), which ends three months after lodging (Art 35(3))."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.platform import audit_log
from pactum.store.tables.procedures import asylum_applications

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

APR_79_3 = "Regulation (EU) 2024/1348, Article 79(3)"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    w = make_cli_world(tmp_path, monkeypatch)
    w.travel(datetime(2026, 6, 5, 9, 0, tzinfo=UTC))
    return w


def made_before_the_pact(world: World, surname: str = "Rahman") -> dict[str, Any]:
    pid = world.person("it.caseworker", surname=surname, nationality="BGD", kind="irregular_crossing",
                       occurred_at="2026-06-01T06:00:00+00:00")
    case = world.apply("it.caseworker", pid, made_on="2026-06-05", registered_on="2026-06-05", context="in_territory")
    assert (case["procedure"], case["routing_grounds"]) == ("regular", [])
    assert case["routing"]["trace"][0]["outcome"].startswith("Asylum Procedures Directive 2013/32/EU applies")
    return case


def audited(world: World, case_id: str) -> list[Any]:
    with world.services.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.actor, audit_log.c.before, audit_log.c.after).where(
            audit_log.c.entity_id == case_id, audit_log.c.action == "procedures.rerouted")).all())


def test_lodged_under_the_apr_the_application_is_routed_again_under_it(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = made_before_the_pact(world)
    world.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-06-15"))
    assert (case["procedure"], case["routing_mandatory"]) == ("accelerated", True)
    assert "low_recognition_rate" in case["routing_grounds"]
    assert case["routing"]["trace"][0]["outcome"] == (
        f"Asylum Procedure Regulation (EU) 2024/1348 applies: the application was lodged on 2026-06-15 ({APR_79_3})")
    note = ("routed again when lodged on 2026-06-15: the application was made on 2026-06-05 and routed under "
            "Directive 2013/32/EU; lodged on 2026-06-15, it is under Regulation (EU) 2024/1348 "
            f"({APR_79_3}), and routed under it on the same facts: regular procedure before, accelerated "
            "procedure now")
    again = case["routing"]["rerouted"]
    assert (again["note"], again["before"]["procedure"], again["before"]["regime"], again["after"]["regime"]) == (
        note, "regular", "pre_pact", "pact")
    # the next deadline follows the new procedure: three months from lodging (APR Art 35(3))
    assert (case["deadline"]["kind"], case["deadline"]["due"]) == ("examination_accelerated", "2026-09-15")
    assert [e["event"] for e in case["timeline"][-2:]] == ["lodged", "rerouted"]
    assert (case["timeline"][-1]["detail"]["rerouted"], case["timeline"][-1]["actor"]) == (note, "it.caseworker")
    [entry] = audited(world, case["id"])
    assert (entry.actor, entry.before["procedure"], entry.after["procedure"]) == (
        "it.caseworker", "regular", "accelerated")
    html = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    said = html.split('id="rerouted">', 1)[1].split("</p>", 1)[0]
    assert said.startswith("Routed again when lodged on 2026-06-15")
    assert "First routing: regular procedure, grounds none" in said
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    r = CliRunner().invoke(app, ["procedures", "show", case["reference"]])
    assert r.exit_code == 0, r.output
    shown = json.loads(r.output)
    assert (shown["procedure"], shown["routing"]["rerouted"]["note"]) == ("accelerated", note)


def test_the_job_routes_again_a_pending_case_lodged_before_and_leaves_a_decided_one(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    pending, decided = made_before_the_pact(world), made_before_the_pact(world, "Hossain")
    first = {c["id"]: c["routing"] for c in (pending, decided)}
    world.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    pending = ok(world.act("it.caseworker", pending, "lodge", lodged_on="2026-06-15"))
    decided = ok(world.act("it.caseworker", decided, "lodge", lodged_on="2026-06-15"))
    decided = ok(world.act("it.caseworker", decided, "draft_decision", outcome="implicitly_withdrawn",
                           reasons="the applicant did not cooperate"))
    decided = ok(world.act("it.caseworker", decided, "submit_for_review"))
    decided = ok(world.act("it.reviewer", decided, "approve", decided_on="2026-06-30"))
    # as the cases stood when lodging did not route again: the Directive's routing, the regular
    # procedure's six months
    with world.services.engine.begin() as conn:
        for cid, routing in first.items():
            conn.execute(update(asylum_applications).where(asylum_applications.c.id == cid).values(
                procedure="regular", routing_mandatory=False, routing_grounds=[], routing=routing))
        conn.execute(update(asylum_applications).where(asylum_applications.c.id == pending["id"]).values(
            next_deadline=datetime(2026, 12, 15).date(), next_deadline_kind="examination_regular"))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    r = CliRunner().invoke(app, ["jobs", "run", "--only", "procedures_route_by_law_of_case"])
    assert r.exit_code == 0, r.output
    assert ("procedures_route_by_law_of_case: 1 cases routed again under the law of the case; 1 already decided "
            "kept the procedure their decision was taken in") in r.output
    got = ok(world.get("it.caseworker", f"/applications/{pending['id']}"))
    assert (got["procedure"], got["version"]) == ("accelerated", pending["version"] + 1)
    assert (got["next_deadline"], got["next_deadline_kind"]) == ("2026-09-15", "examination_accelerated")
    assert got["timeline"][-1]["event"] == "rerouted" and got["timeline"][-1]["actor"] == "system"
    assert got["routing"]["rerouted"]["before"]["procedure"] == "regular"
    # (the lodging in this test routed again too, by the caseworker; the job's is the system's)
    assert [a.actor for a in audited(world, pending["id"])] == ["it.caseworker", "system"]
    kept = ok(world.get("it.caseworker", f"/applications/{decided['id']}"))
    assert (kept["procedure"], kept["version"]) == ("regular", decided["version"])
    assert [a.actor for a in audited(world, decided["id"])] == ["it.caseworker"]
    # run again, nothing is left to route
    r = CliRunner().invoke(app, ["jobs", "run", "--only", "procedures_route_by_law_of_case"])
    assert "0 cases routed again" in r.output

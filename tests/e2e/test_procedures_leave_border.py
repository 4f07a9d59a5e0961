"""Leaving the border procedure (APR Art 53(2), 21(2)) through the API, the case page and the CLI.

Before, nothing let a border case leave the border procedure: a caseworker who found relevant
medical reasons for not applying it (Art 53(2)(d)) had no step to record it, the applicant's entry
or the procedure that follows. Now ``leave_border_procedure`` records the ground and its day; the
applicant is authorised to enter (Art 53(2), last subparagraph) and the application is examined
in the procedure its grounds give outside the border procedure (here accelerated, a low recognition
rate being a circumstance of Art 42(1)(j)), within Art 35's time limit from lodging."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.platform import audit_log

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _border(world: World, surname: str) -> dict[str, Any]:
    """A Bangladeshi applicant disembarked after SAR, registered on 3 August 2026, lodged on the 4th:
    the mandatory border procedure (a low recognition rate), ending on 26 October."""
    case = world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality="BGD"))
    assert case["procedure"] == "border" and "low_recognition_rate" in case["routing_grounds"]
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    assert (case["next_deadline"], case["next_deadline_kind"]) == ("2026-10-26", "border_procedure_end")
    assert "leave_border_procedure" in case["actions"]
    return case


def test_the_api_records_medical_reasons_entry_and_the_accelerated_examination(world: World) -> None:
    case = _border(world, "Uddin")
    assert set(case["leave_border_grounds"]) == {
        "grounds_not_applicable", "special_reception_needs_unsupported", "special_procedural_needs_unsupported",
        "medical_reasons", "detention_guarantees_unmet", "special_procedural_guarantees"}
    assert case["leave_border_grounds"]["medical_reasons"]["legal_basis"] == ["Regulation (EU) 2024/1348, Article 53(2)(d)"]
    done = ok(world.act("it.caseworker", case, "leave_border_procedure", left_on="2026-08-20", ground="medical_reasons"))
    assert done["procedure"] == "accelerated"
    # three months from lodging (Art 35(3)), no longer the border procedure's end
    assert (done["next_deadline"], done["next_deadline_kind"], done["overdue"]) == (
        "2026-11-04", "examination_accelerated", False)
    border = done["border_procedure"]
    assert (border["left"]["on"], border["left"]["ground"], border["entry_authorised"]) == (
        "2026-08-20", "medical_reasons", True)
    assert border["note"].startswith("the border procedure ceased to apply on 2026-08-20, before its end on 2026-10-26: "
                                     "there are relevant medical reasons")
    assert border["note"].endswith("the applicant is authorised to enter the territory and the application is "
                                   "examined in the accelerated procedure")
    event = next(e for e in done["timeline"] if e["event"] == "border_procedure_left")
    assert event["detail"]["entry_authorised"] is True and event["detail"]["procedure_before"] == "border"
    assert event["detail"]["legal_basis"][:2] == ["Regulation (EU) 2024/1348, Article 53(2)(d)",
                                                  "Regulation (EU) 2024/1348, Article 53(2)"]
    assert event["detail"]["time_limit"] == "2026-11-04 (Regulation (EU) 2024/1348, Article 35(3))"
    assert "leave_border_procedure" not in done["actions"]
    with world.services.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.after).where(
            audit_log.c.action == "procedures.border_procedure_left", audit_log.c.entity_id == case["id"])).scalar_one()
    assert (audited["ground"], audited["procedure"]) == ("medical_reasons", "accelerated")
    # the border pipeline no longer lists it: the applicant left the border procedure
    pipeline = ok(world.get("it.caseworker", "/border-pipeline"))
    assert case["id"] not in {c["id"] for c in pipeline["cases"]}


def test_the_api_refuses_bad_input_naming_each_field_and_writes_nothing(world: World) -> None:
    case = _border(world, "Miah")
    r = world.act("it.caseworker", case, "leave_border_procedure", left_on="2026-07-01", ground="tired")
    assert r.status_code == 422
    problems = {d["loc"][-1]: d["msg"] for d in r.json()["detail"]}
    assert set(problems) == {"left_on", "ground"}
    assert "registration (2026-08-03)" in problems["left_on"] and "medical_reasons" in problems["ground"]
    r = world.act("it.caseworker", case, "leave_border_procedure", left_on="2026-08-21", ground="medical_reasons")
    assert r.status_code == 422 and "cannot be after today (2026-08-20)" in r.text
    r = world.act("it.caseworker", case, "leave_border_procedure", left_on="2026-08-20", ground="medical_reasons",
                  reason="x")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "reason"
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["version"] == case["version"]
    # once the end passed, Art 51(2) ended the border procedure by itself: not offered, refused
    world.travel(datetime(2026, 10, 28, 9, 0, tzinfo=UTC))
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert "leave_border_procedure" not in shown["actions"]
    r = world.act("it.caseworker", case, "leave_border_procedure", left_on="2026-10-27", ground="medical_reasons")
    assert r.status_code == 422 and "after the border procedure ended on 2026-10-26" in r.text


def test_the_case_page_offers_the_grounds_and_keeps_what_was_typed_when_refused(world: World) -> None:
    case = _border(world, "Sarkar")
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert "Why the border procedure ceases to apply" in page
    assert ('<option value="medical_reasons">there are relevant medical reasons, mental health included, for not '
            "applying the border procedure (Regulation (EU) 2024/1348, Article 53(2)(d))</option>") in page
    r = web.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "leave_border_procedure", "version": str(case["version"]), "left_on": "2026-07-01",
        "ground": "medical_reasons"})
    assert r.status_code == 422 and "cannot be before registration (2026-08-03)" in r.text
    assert '<option value="medical_reasons" selected>' in r.text  # the choice is kept
    r = web.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "leave_border_procedure", "version": str(case["version"]), "left_on": "2026-08-20",
        "ground": "detention_guarantees_unmet"}, follow_redirects=True)
    assert r.status_code == 200
    shown = r.text.split('id="border-procedure">')[1].split("</p>")[0]
    assert "The border procedure ceased to apply on 2026-08-20" in shown
    assert "the applicant is authorised to enter the territory" in shown


def test_the_cli_records_grounds_found_no_longer_applicable(world: World, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    case = _border(world, "Rahman")
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = tmp_path / "leave.json"
    step.write_text(json.dumps({"action": "leave_border_procedure", "version": case["version"],
                                "left_on": "2026-08-20", "ground": 53}), encoding="utf-8")
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1 and "ground" in out.output
    step.write_text(json.dumps({"action": "leave_border_procedure", "version": case["version"],
                                "left_on": "2026-08-20", "ground": "grounds_not_applicable"}), encoding="utf-8")
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 0, out.output
    got = json.loads(out.output)
    # point (a): the grounds no longer apply, so nothing accelerates it: six months (Art 35(4))
    assert (got["procedure"], got["next_deadline"], got["next_deadline_kind"]) == (
        "regular", "2027-02-04", "examination_regular")
    assert got["border_procedure"]["left"]["legal_basis"] == ["Regulation (EU) 2024/1348, Article 53(2)(a)"]

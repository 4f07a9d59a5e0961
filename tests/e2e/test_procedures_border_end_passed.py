"""Once the border procedure's end has passed (APR Art 51(2): 12 weeks from registration), a border
case whose decision was taken in it and notified waits on the applicant's appeal or on the court:
the passed end is no longer its next deadline (in the case JSON, the queue, the CLI and the home
page), and the case says what followed. A case still undecided at the end has left the border
procedure by it: the applicant is to be authorised to enter and the application is examined further
outside it (here the accelerated procedure, APR Art 42(1), within three months of lodging, Art
35(3)), whose time limit is its next deadline; the case says the decision was not taken in time."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import jobs
from pactum.services import procedures as procedures_service
from pactum.services.procedures import border_procedure_occupancy

try:
    from .test_procedures_support import World, make_cli_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_cli_world  # type: ignore[no-redef]

runner = CliRunner()
#: the border procedure of an application registered on Monday 3 August 2026 ends 12 weeks later
END = "2026-10-26"
#: lodged on 4 August 2026, its accelerated examination ends three months later (APR Art 35(3))
ACCELERATED_END = "2026-11-04"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def ok(r: Any) -> Any:
    assert r.status_code == 200, r.text
    return r.json()


def _case(world: World, surname: str) -> dict[str, Any]:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality="BGD"))
    assert case["procedure"] == "border" and case["registered_on"] == "2026-08-03"
    return case


def _decided(world: World, case: dict[str, Any]) -> dict[str, Any]:
    """Lodged, heard and rejected on 20 August 2026, within the border procedure."""
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10", language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10", interpreter_language="Bengali"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="rejected_unfounded",
                        reasons="no well-founded fear shown"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    return dict(ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20")))


def _queue(world: World, **params: Any) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in ok(world.get("it.caseworker", "/queue", **params))}


def test_a_passed_border_end_is_not_the_next_deadline_of_a_notified_or_appealed_case(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    appealed = _case(world, "Uddin")
    notified = _case(world, "Miah")
    undecided = _case(world, "Sarkar")
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    appealed = ok(world.act("it.caseworker", _decided(world, appealed), "notify", notified_on="2026-10-05"))
    appealed = ok(world.act("it.caseworker", appealed, "lodge_appeal", lodged_on="2026-10-05"))
    undecided = ok(world.act("it.caseworker", undecided, "lodge", lodged_on="2026-08-04"))
    # while the border procedure runs its end is the appealed case's nearest deadline
    assert (appealed["next_deadline"], appealed["next_deadline_kind"]) == (END, "border_procedure_end")
    world.travel(datetime(2026, 10, 20, 9, 0, tzinfo=UTC))
    notified = ok(world.act("it.caseworker", _decided(world, notified), "notify", notified_on="2026-10-20"))
    assert notified["appeal_deadline"] == "2026-10-30"  # ten days (APR Art 67(7)(a))
    assert (notified["next_deadline"], notified["next_deadline_kind"]) == (END, "border_procedure_end")

    world.travel(datetime(2026, 10, 28, 9, 0, tzinfo=UTC))  # two days after the end
    # the case page and API: the court's time limit (two months from the appeal), not the end
    shown = ok(world.get("it.caseworker", f"/applications/{appealed['id']}"))
    assert (shown["next_deadline_kind"], shown["deadline"]["kind"]) == ("appeal_decision", "appeal_decision")
    assert shown["next_deadline"] == shown["deadline"]["due"] == "2026-12-07" and shown["overdue"] is False
    border = shown["border_procedure"]
    assert border["ended"] is True and border["deadline_status"] == "behind"
    assert border["deadline_note"] == (
        f"no longer the case's next deadline: the border procedure ended on {END}, after the decision of "
        "2026-08-20 taken in it was notified on 2026-10-05; the case waits on the court's decision on the "
        "appeal lodged on 2026-10-05")
    # what followed the end is still said: no request to remain within its five days, no entry
    assert "not authorised to enter" in border["note"] and "Article 43(3)(b)" in border["note"]
    # the notified case: the applicant's appeal time limit
    shown = ok(world.get("it.caseworker", f"/applications/{notified['id']}"))
    assert (shown["next_deadline"], shown["next_deadline_kind"], shown["overdue"]) == ("2026-10-30", "appeal", False)
    assert "the case waits on the applicant, who may appeal until 2026-10-30" in shown["border_procedure"]["deadline_note"]
    # the undecided case: the border procedure ended with no decision taken in it (APR Art 51(2)):
    # the applicant is to be authorised to enter and the application is examined further in the
    # accelerated procedure (low recognition rate, Art 42(1)(j)), three months from lodging (Art 35(3))
    shown = ok(world.get("it.caseworker", f"/applications/{undecided['id']}"))
    assert (shown["next_deadline"], shown["next_deadline_kind"], shown["overdue"]) == (
        ACCELERATED_END, "examination_accelerated", False)
    assert shown["deadline"]["computation"][0] == (
        f"the border procedure ended on {END} (12 weeks (Regulation (EU) 2024/1348, Article 51(2))) with no "
        "decision taken in it: the applicant is to be authorised to enter the territory (Regulation (EU) "
        "2024/1348, Article 51(2)) and the application is examined further in the accelerated procedure "
        "(Regulation (EU) 2024/1348, Article 42(1); Regulation (EU) 2024/1348, Article 35(3))")
    border = shown["border_procedure"]
    assert (border["deadline_status"], border["ended_undecided"], border["continues_in"], border["entry_authorised"]) == (
        "ended", True, "accelerated", True)
    # the failure is not dropped: the case says the decision was not taken in time
    assert "no decision was taken in it: the decision was not taken in time" in border["note"]
    assert border["deadline_note"] == (
        f"no longer the case's next deadline: the border procedure ended on {END} with no decision taken in it, "
        "the decision was not taken in time; the applicant is to be authorised to enter the territory and the "
        "application is examined further in the accelerated procedure: its next deadline is the examination "
        f"accelerated of {ACCELERATED_END} (Regulation (EU) 2024/1348, Article 35(3))")
    # the border pipeline says the undecided case's end passed with no decision taken
    rows = {r["id"]: r for r in ok(world.get("it.caseworker", "/border-pipeline"))["cases"]}
    assert (rows[undecided["id"]]["border_end_status"], rows[undecided["id"]]["next_deadline"]) == (
        "ended", ACCELERATED_END)
    pipeline = _web(world).get("/procedures/border")
    assert pipeline.status_code == 200 and "(ended with no decision taken: entry, examined further outside it)" in pipeline.text
    page = _web(world).get(f"/procedures/cases/{appealed['id']}")
    assert page.status_code == 200 and 'id="border-procedure-deadline"' in page.text
    assert "No longer the case&#39;s next deadline" in page.text or "No longer the case's next deadline" in page.text

    # the stored deadline (queue, home page) is moved on by the daily job, audited; run again, nothing
    job = jobs.load_all()["procedures_border_end_passed"]
    assert job.fn(world.services, datetime(2026, 10, 28, 6, 0, tzinfo=UTC)) == (
        "2 notified border cases past the border procedure's end have their next deadline moved on; 1 undecided "
        "border case whose border procedure ended (APR Art 51(2)): entry authorised, examined further outside it")
    assert job.fn(world.services, datetime(2026, 10, 28, 7, 0, tzinfo=UTC)).startswith("0 ")
    # the applicant authorised to enter is no longer in the border procedure's occupancy (Art 48, 51(2)):
    # not in the pipeline's count against the capacity, nor in the indicator from the job's morning
    pipe = ok(world.get("it.caseworker", "/border-pipeline"))
    assert (pipe["before_notification"], pipe["ended_undecided"]) == (0, 1)
    page = _web(world).get("/procedures/border")
    assert "and 1 whose border procedure ended with no decision taken in it" in page.text
    with world.services.engine.connect() as conn:
        assert border_procedure_occupancy(conn, date(2026, 10, 27), "IT") == {"IT": 1}
        assert border_procedure_occupancy(conn, date(2026, 10, 28), "IT") == {}
        assert procedures_service._occupancy(conn).get("IT", 0) == 0
    queue = _queue(world)
    assert (queue[appealed["id"]]["next_deadline"], queue[appealed["id"]]["next_deadline_kind"]) == (
        "2026-12-07", "appeal_decision")
    assert (queue[notified["id"]]["next_deadline"], queue[notified["id"]]["overdue"]) == ("2026-10-30", False)
    assert (queue[undecided["id"]]["next_deadline"], queue[undecided["id"]]["next_deadline_kind"],
            queue[undecided["id"]]["overdue"]) == (ACCELERATED_END, "examination_accelerated", False)
    assert list(_queue(world, overdue="true")) == []
    # the undecided case's timeline says the end passed with no decision taken, and the entry
    shown = ok(world.get("it.caseworker", f"/applications/{undecided['id']}"))
    ended = [e["detail"] for e in shown["timeline"] if e["event"] == "border_procedure_ended"]
    assert len(ended) == 1 and (ended[0]["decided_in_time"], ended[0]["entry_authorised"],
                                ended[0]["procedure_continues"], ended[0]["next_deadline"]) == (
        False, True, "accelerated", ACCELERATED_END)
    assert shown["version"] == undecided["version"] and shown["procedure"] == "border"
    # the job's move keeps the case's version: an officer's open form is not made stale
    shown = ok(world.get("it.caseworker", f"/applications/{appealed['id']}"))
    assert shown["version"] == appealed["version"]
    # and the case's timeline says when the end passed and what the case waits on now
    ended = [e for e in shown["timeline"] if e["event"] == "border_procedure_ended"]
    assert len(ended) == 1 and ended[0]["actor"] == "system"
    assert ended[0]["detail"]["next_deadline_kind"] == "appeal_decision"
    assert ended[0]["detail"]["next_deadline"] == "2026-12-07"

    # the CLI says the same
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = runner.invoke(app, ["procedures", "show", appealed["id"]])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["next_deadline_kind"] == "appeal_decision"
    out = runner.invoke(app, ["procedures", "queue"])
    assert out.exit_code == 0, out.output
    rows = {r["id"]: r for r in json.loads(out.output)}
    assert (rows[appealed["id"]]["next_deadline"], rows[appealed["id"]]["next_deadline_kind"]) == (
        "2026-12-07", "appeal_decision")

    # the home page: the undecided case is the caseworker's next step, due in a week and not
    # overdue; the appealed case, whose court's time limit is weeks away, is not listed as due; the
    # notified one waits on the applicant
    home = _web(world).get("/")
    assert home.status_code == 200
    assert "overdue:" not in home.text and undecided["reference"] in home.text
    due = home.text.split(undecided["reference"], 1)[1].split("</tr>", 1)[0]
    assert ACCELERATED_END in due and "examination accelerated" in due
    assert appealed["reference"] not in home.text
    waiting = home.text.split('id="cases-waiting"', 1)[1]
    assert notified["reference"] in waiting and "the applicant may appeal until 2026-10-30" in waiting


def test_a_decision_not_notified_by_the_end_keeps_it_as_its_overdue_deadline(world: World) -> None:
    case = _case(world, "Hossain")
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    case = _decided(world, case)
    world.travel(datetime(2026, 10, 28, 9, 0, tzinfo=UTC))
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert (shown["next_deadline"], shown["next_deadline_kind"], shown["overdue"]) == (END, "border_procedure_end", True)
    assert shown["border_procedure"]["deadline_note"] == (
        f"the border procedure ended on {END} before the decision of 2026-08-20 was notified: its end stays the "
        "case's next deadline, overdue, until the decision is notified")
    # notified now, after the end: the case waits on the applicant's appeal time limit
    case = ok(world.act("it.caseworker", shown, "notify", notified_on="2026-10-28"))
    assert case["next_deadline_kind"] == "appeal" and case["overdue"] is False


def _web(world: World) -> TestClient:
    client = TestClient(world.client.app)
    r = client.post("/login", data={"username": "it.caseworker", "password": "a-long-password", "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def test_the_case_page_says_the_border_procedure_ended_once_its_last_day_passed(world: World) -> None:
    """A decided border case read "Border procedure: ends 2026-10-26" in November, in the present
    tense, as if the procedure were still running (`passed`, added, says whether the day is past)."""
    case = _case(world, "Rahman")
    world.travel(datetime(2026, 8, 21, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", _decided(world, case), "notify", notified_on="2026-08-21"))
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["border_procedure"]["passed"] is False
    page = _web(world).get(f"/procedures/cases/{case['id']}").text
    assert f"Border procedure: ends {END}" in page
    world.travel(datetime(2026, 11, 10, 9, 0, tzinfo=UTC))
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["border_procedure"]["passed"] is True
    page = _web(world).get(f"/procedures/cases/{case['id']}").text
    assert f"Border procedure: ended on {END}" in page and f"ends {END}" not in page

"""APR Art 41(4) suspension, QA findings: only the points of Art 41(1) that may lie (not (a) once the
application is lodged, not (d) before any interview) are accepted and offered, one check for both; a
closing step ends the suspension; every field's problem is reported at once (API, page, CLI)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _lodged(world: World, surname: str) -> dict[str, Any]:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality="SYR"))
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    return ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))


def _suspend(world: World, case: dict[str, Any], ground: str) -> Any:
    return world.act("it.caseworker", case, "suspend_examination", suspended_on="2026-08-20",
                     implicit_withdrawal_ground=ground, to_justify="what", justify_until="2026-09-03")


def _problems(r: Any) -> dict[str, str]:
    assert r.status_code == 422, r.text
    return {d["loc"][-1]: d["msg"] for d in r.json()["detail"]}


def test_not_lodged_and_no_interview_are_refused_and_not_offered(world: World) -> None:
    case = _lodged(world, "Rashid")
    grounds = case["implicit_withdrawal_grounds"]
    assert grounds["not_lodged"]["lies"] is False and "lodged on 2026-08-04" in grounds["not_lodged"]["why_not"]
    assert grounds["did_not_attend_interview"]["lies"] is False
    assert grounds["refused_address"]["lies"] is True and grounds["refused_address"]["why_not"] is None
    msg = _problems(_suspend(world, case, "not_lodged"))["implicit_withdrawal_ground"]
    assert "Article 41(1)(a)" in msg and "lodged on 2026-08-04" in msg
    msg = _problems(_suspend(world, case, "did_not_attend_interview"))["implicit_withdrawal_ground"]
    assert "Article 41(1)(d)" in msg and "no interview was scheduled or held" in msg
    # the form offers only the grounds that may lie, and says why the others are not offered
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    form = page.split('name="implicit_withdrawal_ground"')[1].split("</select>")[0]
    assert 'value="refused_address"' in form
    assert 'value="not_lodged"' not in form and 'value="did_not_attend_interview"' not in form
    absent = page.split('id="implicit-withdrawal-grounds-absent"')[1].split("</div>")[0]
    assert "Article 41(1)(a)" in absent and "Article 41(1)(d)" in absent
    # once an interview is scheduled, point (d) may lie
    scheduled = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-18",
                             language="Arabic"))
    assert scheduled["implicit_withdrawal_grounds"]["did_not_attend_interview"]["lies"] is True
    assert ok(_suspend(world, scheduled, "did_not_attend_interview"))["suspension"]["ground"] == (
        "did_not_attend_interview")


def test_the_cli_refuses_a_ground_that_cannot_lie(world: World, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    case = _lodged(world, "Hamdan")
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = tmp_path / "step.json"
    step.write_text(json.dumps({"action": "suspend_examination", "version": case["version"],
                                "suspended_on": "2026-08-20", "implicit_withdrawal_ground": "not_lodged",
                                "to_justify": "x", "justify_until": "2026-09-03"}), encoding="utf-8")
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1
    assert "implicit_withdrawal_ground" in out.output and "lodged on 2026-08-04" in out.output


def test_a_withdrawal_ends_the_suspension(world: World) -> None:
    case = ok(_suspend(world, _lodged(world, "Karimi"), "refused_address"))
    assert case["suspension"] is not None
    done = ok(world.act("it.caseworker", case, "record_withdrawal", withdrawn_on="2026-08-20",
                        how="in_person_in_writing", decision="declare_withdrawn", decided_on="2026-08-20",
                        with_return_decision=False))
    assert done["suspension"] is None and "resume_examination" not in done["actions"]
    ended = [t for t in done["timeline"] if t["event"] != "examination_suspended"][-1]
    assert ended["detail"]["suspension_ended"]["suspended_on"] == "2026-08-20"
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    assert 'id="suspension"' not in page and "the examination is suspended since" not in page


def test_every_problem_of_a_suspension_at_once(world: World, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    case = _lodged(world, "Nazari")
    r = world.act("it.caseworker", case, "suspend_examination", suspended_on="2027-06-30",
                  implicit_withdrawal_ground="xx", to_justify="", justify_until="2027-06-01")
    problems = _problems(r)
    assert set(problems) == {"suspended_on", "implicit_withdrawal_ground", "to_justify", "justify_until"}
    assert "after today" in problems["suspended_on"] and "after the suspension" in problems["justify_until"]
    web = login(world, "it.caseworker")
    r = web.post(f"/procedures/cases/{case['id']}/act",
                 data={"action": "suspend_examination", "version": str(case["version"]),
                       "suspended_on": "2027-06-30", "implicit_withdrawal_ground": "xx", "to_justify": "",
                       "justify_until": "2027-06-01"})
    assert r.status_code == 422
    for name in ("suspended_on", "implicit_withdrawal_ground", "to_justify", "justify_until"):
        assert f'name="{name}" aria-invalid="true"' in r.text or f'name="{name}"' in r.text
    assert "cannot be after today" in r.text and "must be after the suspension" in r.text
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = tmp_path / "step.json"
    step.write_text(json.dumps({"action": "suspend_examination", "version": case["version"],
                                "suspended_on": "2027-06-30", "implicit_withdrawal_ground": "xx",
                                "justify_until": "2027-06-01"}), encoding="utf-8")
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1
    assert all(n in out.output for n in ("suspended_on", "implicit_withdrawal_ground", "to_justify",
                                         "justify_until")), out.output


def test_the_queue_shows_the_suspension_and_when_the_examination_may_resume(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = ok(_suspend(world, _lodged(world, "Sultani"), "refused_address"))
    other = _lodged(world, "Haidari")
    rows = {r["id"]: r for r in world.get("it.caseworker", "/queue").json()}
    assert rows[case["id"]]["suspended_on"] == "2026-08-20" and rows[case["id"]]["suspended_until"] == "2026-09-03"
    assert rows[case["id"]]["may_resume_from"] == "2026-09-04"
    assert rows[other["id"]]["suspended_on"] is None and rows[other["id"]]["may_resume_from"] is None
    csv_text = world.get("it.caseworker", "/queue.csv").text
    header, *lines = csv_text.splitlines()
    assert header.endswith("suspended_on,suspended_until,may_resume_from")
    assert next(ln for ln in lines if ln.startswith(case["id"])).endswith("2026-08-20,2026-09-03,2026-09-04")
    page = login(world, "it.caseworker").get("/procedures").text
    row = page.split(f'href="/procedures/cases/{case["id"]}"')[1].split("</tr>")[0]
    assert "suspended since 2026-08-20, to justify until 2026-09-03" in row and "from 2026-09-04" in row
    assert "suspended since" not in page.split(f'href="/procedures/cases/{other["id"]}"')[1].split("</tr>")[0]
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = runner.invoke(app, ["procedures", "queue"])
    assert out.exit_code == 0, out.output
    shown = {r["id"]: r for r in json.loads(out.output)}
    assert shown[case["id"]]["may_resume_from"] == "2026-09-04"

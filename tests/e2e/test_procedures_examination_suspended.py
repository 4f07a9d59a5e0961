"""APR Art 41(4) through the API, the case page and the CLI: the examination suspended so that the
applicant may justify or rectify an omission of Art 41(1) before an implicit withdrawal; no decision
is drafted meanwhile; resumed once justified, or after the time given."""

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
ART_41_4 = "Regulation (EU) 2024/1348, Article 41(4)"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _lodged(world: World, surname: str) -> dict[str, Any]:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality="SYR"))
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    return ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))


def test_the_api_and_the_case_page_suspend_and_resume(world: World) -> None:
    case = _lodged(world, "Rashid")
    assert "suspend_examination" in case["actions"] and case["suspension"] is None
    assert case["implicit_withdrawal_grounds"]["did_not_attend_interview"]["legal_basis"] == (
        "Regulation (EU) 2024/1348, Article 41(1)(d)"
    )
    r = world.act(
        "it.caseworker",
        case,
        "suspend_examination",
        suspended_on="2026-08-20",
        implicit_withdrawal_ground="x",
        to_justify="",
        justify_until="2026-08-19",
    )
    assert r.status_code == 422
    assert {d["loc"][-1] for d in r.json()["detail"]} == {
        "implicit_withdrawal_ground",
        "to_justify",
        "justify_until",
    }
    web = login(world, "it.caseworker")
    r = web.post(
        f"/procedures/cases/{case['id']}/act",
        data={
            "action": "suspend_examination",
            "version": str(case["version"]),
            "suspended_on": "2026-08-20",
            "implicit_withdrawal_ground": "reporting_or_unavailable",
            "to_justify": "did not report on 12 and 19 August",
            "justify_until": "2026-09-03",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200
    shown = r.text.split('id="suspension">')[1].split("</dd>")[0]
    assert "suspended since 2026-08-20" in shown and "until 2026-09-03" in shown and ART_41_4 in shown
    done = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert (
        done["suspension"]["ground"] == "reporting_or_unavailable" and "draft_decision" not in done["actions"]
    )
    r = world.act("it.caseworker", done, "draft_decision", outcome="implicitly_withdrawn", reasons="absent")
    assert r.status_code == 409 and "resume_examination" in r.text
    resumed = ok(
        world.act("it.caseworker", done, "resume_examination", resumed_on="2026-08-20", justified=True)
    )
    assert resumed["suspension"] is None and "draft_decision" in resumed["actions"]
    assert resumed["timeline"][-1]["event"] == "examination_resumed"


def test_the_cli_suspends_and_refuses_an_early_unjustified_resumption(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _lodged(world, "Hamdan")
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = tmp_path / "step.json"
    step.write_text(
        json.dumps(
            {
                "action": "suspend_examination",
                "version": case["version"],
                "suspended_on": "2026-08-20",
                "implicit_withdrawal_ground": "refused_address",
                "to_justify": "no address",
                "justify_until": "2026-09-03",
            }
        ),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 0, out.output
    shown = json.loads(out.output)
    assert shown["suspension"]["legal_basis"][0] == ART_41_4
    step.write_text(
        json.dumps({"action": "resume_examination", "version": shown["version"], "resumed_on": "2026-08-20"}),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1 and "resumed_on" in out.output

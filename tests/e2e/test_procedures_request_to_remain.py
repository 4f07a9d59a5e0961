"""The applicant's request to remain pending an appeal that does not suspend by itself (Regulation
(EU) 2024/1348, Art 68(3)-(5)), read in the Italian Official Journal text: recorded through the API,
the case page and the CLI; while the court has not decided, the return decision issued with the
rejection is suspended (the applicant is not removed, Art 68(5)(d)); the court's refusal lets it
run again; and at the end of the border procedure an applicant who did not ask in time, or whom
the court refused, is not authorised to enter (Art 43(3)(b), (c))."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.auth import Role

try:
    from .test_decision_notice import REASONS, decided, interviewed, rejected_and_notified
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_decision_notice import (  # type: ignore[no-redef]
        REASONS,
        decided,
        interviewed,
        rejected_and_notified,
    )
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def appealed(world: World) -> dict[str, Any]:
    """A border rejection notified on Friday 21 August 2026, appealed on the 24th: the appeal does
    not suspend by itself (Art 68(3)(a)(ii))."""
    case = ok(world.act("it.caseworker", rejected_and_notified(world), "lodge_appeal", lodged_on="2026-08-24"))
    assert case["suspensive_effect"] is False and case["return_decision_status"] == "issued"
    return case


def case_of(world: World, case: dict[str, Any]) -> dict[str, Any]:
    return ok(world.get("it.caseworker", f"/applications/{case['id']}"))


def test_a_request_in_time_suspends_the_return_decision_until_the_court_refuses_it(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = appealed(world)
    offered = case_of(world, case)
    assert "request_to_remain" in offered["actions"] and "decide_request_to_remain" not in offered["actions"]
    assert offered["request_to_remain"]["time_limit"] == "2026-08-26"  # five days from the notification
    assert offered["request_to_remain"]["legal_basis"] == "Regulation (EU) 2024/1348, Article 68(5)(a)"

    case = ok(world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-25"))
    assert case["return_decision_status"] == "suspended"  # not removed until the court decides
    shown = case_of(world, case)
    assert shown["request_to_remain"]["requested_on"] == "2026-08-25" and shown["request_to_remain"]["in_time"] is True
    assert shown["remain_requested_on"] == "2026-08-25"
    assert "decide_request_to_remain" in shown["actions"] and "request_to_remain" not in shown["actions"]

    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}")
    assert page.status_code == 200
    assert "Leave to remain" in page.text and "not removed until the court decides" in page.text
    assert 'value="decide_request_to_remain"' in page.text

    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = {"action": "decide_request_to_remain", "version": shown["version"], "decided_on": "2026-09-01",
            "allowed": False}
    out = runner.invoke(app, ["procedures", "act", case["id"], "-"], input=json.dumps(step))
    assert out.exit_code == 0, out.output
    refused = case_of(world, case)
    assert refused["remain_allowed"] is False and refused["suspensive_effect"] is False
    assert refused["return_decision_status"] == "issued"  # the return decision may be enforced again

    world.travel(datetime(2026, 10, 28, 9, 0, tzinfo=UTC))  # the border procedure ended on 26 October
    border = case_of(world, case)["border_procedure"]
    assert border["ended"] is True and border["entry_authorised"] is False
    assert "not authorised to enter" in border["note"] and "Article 43(3)(c)" in border["note"]
    assert "Regulation (EU) 2024/1349, Article 4" in border["note"]


def test_the_court_allowing_the_applicant_to_remain_keeps_the_suspension_and_entry(world: World) -> None:
    case = appealed(world)
    case = ok(world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-25"))
    case = ok(world.act("it.caseworker", case, "decide_request_to_remain", decided_on="2026-09-01", allowed=True))
    assert case["suspensive_effect"] is True and case["return_decision_status"] == "suspended"
    world.travel(datetime(2026, 10, 28, 9, 0, tzinfo=UTC))
    border = case_of(world, case)["border_procedure"]
    assert border["entry_authorised"] is True and "to be authorised to enter" in border["note"]


def test_no_request_within_the_time_limit_means_no_entry_at_the_border_procedures_end(world: World) -> None:
    case = appealed(world)
    world.travel(datetime(2026, 10, 28, 9, 0, tzinfo=UTC))
    border = case_of(world, case)["border_procedure"]
    assert border["entry_authorised"] is False and "Article 43(3)(b)" in border["note"]
    assert "until 2026-08-26" in border["note"]


def test_a_late_request_is_recorded_and_said_to_be_after_the_five_days(world: World) -> None:
    case = appealed(world)
    case = ok(world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-28"))
    shown = case_of(world, case)
    assert shown["request_to_remain"]["in_time"] is False and case["return_decision_status"] == "suspended"
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}")
    assert "national law may allow longer" in page.text


def test_bad_requests_to_remain_are_refused_naming_what_is_wrong(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = appealed(world)
    r = world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-20")
    assert r.status_code == 422 and "requested_on" in r.text and "notification" in r.text
    r = world.act("it.caseworker", case, "decide_request_to_remain", decided_on="2026-09-01", allowed=True)
    assert r.status_code == 409 and "record the applicant's request first" in r.text
    case = ok(world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-25"))
    r = world.act("it.caseworker", case, "decide_request_to_remain", decided_on="2026-09-01")
    assert r.status_code == 422 and "allowed" in r.text
    r = world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-26")
    assert r.status_code == 409 and "was recorded on 2026-08-25" in r.text
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = {"action": "decide_request_to_remain", "version": case["version"], "decided_on": "2026-08-24",
            "allowed": True}
    out = runner.invoke(app, ["procedures", "act", case["id"], "-"], input=json.dumps(step))
    assert out.exit_code == 2 and "decided_on" in out.output and len(out.output.strip().splitlines()) == 1
    assert case_of(world, case)["remain_decided_on"] is None  # nothing half-written


def test_no_removal_while_the_applicant_may_still_ask_for_leave_to_remain(world: World) -> None:
    """Art 68(5)(d)(i): the return decision issued with a rejection whose appeal does not suspend by
    itself carries the end of the time to ask the court (five days from the notification of
    Friday 21 August: Wednesday 26 August); until then the return officer's removal queue names
    the obstacle, and the day after it is gone."""
    world.user("it.returns", "IT", Role.return_officer)
    case = rejected_and_notified(world)
    path = f"/api/v1/returns/decisions/{case['return_decision_id']}"
    world.travel(datetime(2026, 8, 26, 9, 0, tzinfo=UTC))
    decision = world.client.get(path, headers=world.headers("it.returns")).json()
    assert decision["removal_barred_until"] == "2026-08-26"
    labels = {o["code"]: o["label"] for o in decision["obstacles"]}
    assert "Article 68(5)(d)(i)" in labels["leave_to_remain_time"]
    world.travel(datetime(2026, 8, 27, 9, 0, tzinfo=UTC))
    decision = world.client.get(path, headers=world.headers("it.returns")).json()
    assert "leave_to_remain_time" not in {o["code"] for o in decision["obstacles"]}


def test_a_regular_rejection_bars_removal_until_the_appeal_time_limit_ends(world: World) -> None:
    """No request to remain lies after a rejection whose appeal suspends by itself, but the
    applicant has the right to remain until the time limit for that appeal ends (APR Art 68(1),
    (2)): the return decision issued with it is not enforced until then, whatever its period for
    voluntary departure (the return officer's queue said it was ready for removal the day that
    period ended, before the appeal time limit)."""
    case = decided(world, interviewed(world, "Hossain", "SYR"), "rejected_unfounded", REASONS)
    assert case["procedure"] == "regular"  # Syria: no ground of an expedited procedure
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21", with_return_decision=True,
                        voluntary_departure_days=7))
    assert case_of(world, case)["request_to_remain"] is None
    deadline = case_of(world, case)["appeal_deadline"]
    world.user("it.returns", "IT", Role.return_officer)
    path = f"/api/v1/returns/decisions/{case['return_decision_id']}"
    world.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))  # the seven days have passed
    decision = world.client.get(path, headers=world.headers("it.returns")).json()
    assert (decision["removal_barred_until"], decision["removal_barred_basis"]) == (deadline, "appeal_time")
    labels = {o["code"]: o["label"] for o in decision["obstacles"]}
    assert "Article 68(1), (2)" in labels["appeal_time"]
    # nor does the period for voluntary departure run meanwhile (the return decision's effects are
    # suspended while the applicant may remain, Art 68(1); Gnandi): its 7 days run after the deadline
    assert "voluntary_departure_running" in labels
    assert "leave_to_remain_time" not in labels
    day_after = datetime.fromisoformat(deadline) + timedelta(days=1)
    world.travel(day_after.replace(hour=9, tzinfo=UTC))
    decision = world.client.get(path, headers=world.headers("it.returns")).json()
    assert "appeal_time" not in {o["code"] for o in decision["obstacles"]}

"""The period for voluntary departure does not run during the time to appeal against the negative
asylum decision while no appeal is yet lodged (the removal bar ``appeal_time``): the return
decision's effects are suspended while the applicant may remain (Regulation (EU) 2024/1348 Art
68(1), (2); CJEU C-181/16 *Gnandi*). A decision notified on 21 August with 7 days set its last day
on 28 August; the month to appeal runs to 21 September; the 7 days run from 22 September: last day
Monday 28 September. The decision read, its page, the alert's field (x), the queue, the entry ban of
Art 11(1)(b), the expiry notice and the command line all follow it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.cli.main import app as cli_app
from pactum.services import returns as returns_service
from pactum.services.auth import Role

try:
    from .test_decision_notice import REASONS, decided, interviewed
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_decision_notice import REASONS, decided, interviewed  # type: ignore[no-redef]
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

APR = "Regulation (EU) 2024/1348, Article 68(1), (2)"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _notified(world: World) -> tuple[dict[str, Any], str]:
    case = decided(world, interviewed(world, "Haddad", "SYR"), "rejected_unfounded", REASONS)
    case = ok(
        world.act(
            "it.caseworker",
            case,
            "notify",
            notified_on="2026-08-21",
            with_return_decision=True,
            voluntary_departure_days=7,
        )
    )
    deadline = ok(world.get("it.caseworker", f"/applications/{case['id']}"))["appeal_deadline"]
    world.user("it.returns", "IT", Role.return_officer)
    return case, deadline


def _decision(world: World, case: dict[str, Any]) -> dict[str, Any]:
    r = world.client.get(
        f"/api/v1/returns/decisions/{case['return_decision_id']}", headers=world.headers("it.returns")
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_the_period_runs_only_after_the_time_to_appeal(world: World) -> None:
    case, deadline = _notified(world)
    assert deadline == "2026-09-21"
    world.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))  # the 7 days set have passed, the month has not
    d = _decision(world, case)
    assert d["voluntary_departure_last_day"] == "2026-08-28"  # the day the decision set, unchanged
    assert d["voluntary_departure_ends_on"] == "2026-09-28"
    p = d["voluntary_departure_period"]
    assert p["moved"] is True and p["paused"] is False
    assert p["appeal_time"] == {
        "from": "2026-08-21",
        "until": "2026-09-21",
        "appeal_lodged_on": None,
        "basis": APR,
    }
    assert APR in p["legal_basis"] and any("Gnandi" in b for b in p["legal_basis"])
    assert p["label"].startswith(
        "last day 2026-09-28, moved from 2026-08-28: the period did not run during the time "
        "to appeal against the negative asylum decision (until 2026-09-21"
    )
    # the alert's field (x) holds the moved day from the start (Reg. (EU) 2018/1860 Art 4(1)(x))
    assert d["alert"]["voluntary_departure_last_day"] == "2026-09-28"
    # still running: an obstacle, no entry ban due
    assert "voluntary_departure_running" in {o["code"] for o in d["obstacles"]}
    assert d["entry_ban_due"] is None
    # the queue reads the same day
    groups = world.client.get("/api/v1/returns/queue", headers=world.headers("it.returns")).json()
    (item,) = [x for g in groups for x in g["decisions"] if x["id"] == d["id"]]
    assert item["voluntary_departure_ends_on"] == "2026-09-28" and item["enforceable_now"] is False
    # the decision page says so, with the computation
    page = login(world, "it.returns").get(f"/returns/decisions/{d['id']}").text
    assert "last day 2026-09-28" in page and "moved from 2026-08-28" in page
    assert "time to appeal against the negative asylum decision" in page and 'id="period-computation"' in page
    # the extension form says why the day moved: the time to appeal, not "its suspensions" (none)
    assert ("The period's last day the decision sets is 2026-08-28 (moved to 2026-09-28: the period did not run "
            "during the time to appeal against the negative asylum decision") in " ".join(page.split())
    assert "by its suspensions" not in page


def test_the_entry_ban_and_the_expiry_wait_for_the_moved_day(world: World) -> None:
    case, _ = _notified(world)
    world.travel(datetime(2026, 9, 25, 9, 0, tzinfo=UTC))
    d = _decision(world, case)
    r = world.client.post(
        f"/api/v1/returns/decisions/{d['id']}/entry-ban",
        headers=world.headers("it.returns"),
        json={
            "version": d["version"],
            "imposed_on": "2026-09-25",
            "entry_ban_years": 1,
            "reasons": "did not leave",
        },
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][-1] == "imposed_on"
    # the expiry job notifies nothing before the moved day has passed, then names it
    returns_service.notify_voluntary_departure_expiry(world.services, datetime(2026, 9, 28, 9, tzinfo=UTC))
    kind = {"kind": "voluntary_departure_expired"}
    assert (
        world.client.get(
            "/api/v1/returns/notifications", params=kind, headers=world.headers("it.returns")
        ).json()
        == []
    )
    returns_service.notify_voluntary_departure_expiry(world.services, datetime(2026, 9, 29, 9, tzinfo=UTC))
    (note,) = world.client.get(
        "/api/v1/returns/notifications", params=kind, headers=world.headers("it.returns")
    ).json()
    assert (
        "ended on 2026-09-28 (moved from 2026-08-28: the period did not run during the time to appeal"
        in note["message"]
    )
    world.travel(datetime(2026, 9, 29, 9, 0, tzinfo=UTC))
    d = _decision(world, case)
    assert d["entry_ban_due"]["period_ended_on"] == "2026-09-28"


def test_an_appeal_lodged_within_the_time_takes_over(world: World) -> None:
    case, _ = _notified(world)
    world.travel(datetime(2026, 8, 24, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-08-24"))
    d = _decision(world, case)
    p = d["voluntary_departure_period"]
    assert p["paused"] is True and p["days_left"] == 7 and d["voluntary_departure_ends_on"] is None
    assert p["appeal_time"]["appeal_lodged_on"] == "2026-08-24"


def test_the_command_line_shows_the_moved_day(world: World) -> None:
    from typer.testing import CliRunner

    case, _ = _notified(world)
    world.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    r = CliRunner().invoke(
        cli_app, ["returns", "show", case["return_decision_id"]], env={"PACTUM_CLI_USER": "it.returns"}
    )
    assert r.exit_code == 0, r.output
    shown = json.loads(r.output)
    assert shown["voluntary_departure_ends_on"] == "2026-09-28"
    assert shown["voluntary_departure_period"]["appeal_time"]["until"] == "2026-09-21"

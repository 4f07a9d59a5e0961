"""The procedures job: decisions become final when the appeal time limit passes unused, and a state
whose border procedure is at its adequate capacity is recorded as notifying the Commission."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pactum.services import jobs

try:
    from .test_procedures_support import make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import make_world  # type: ignore[no-redef]


def test_finality_and_capacity_notification(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    # Germany's arrivals in the reference years (2023-2025) give it the whole Union capacity;
    # Italy's arrivals are all in 2026, so its adequate capacity is 0 and one border case fills it
    world.person("de.caseworker", surname="Weber", nationality="SYR", kind="irregular_crossing",
                 occurred_at="2025-04-01T08:00:00+00:00")
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Miah", nationality="BGD"))
    assert case["procedure"] == "border"
    world.travel(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    c = world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04").json()
    c = world.act("it.caseworker", c, "schedule_interview", interview_on="2026-08-10", language="Bengali").json()
    c = world.act("it.caseworker", c, "hold_interview", held_on="2026-08-10", interpreter_language="Bengali").json()
    c = world.act("it.caseworker", c, "draft_decision", outcome="rejected_unfounded").json()
    c = world.act("it.caseworker", c, "submit_for_review").json()
    c = world.act("it.reviewer", c, "approve", decided_on="2026-08-20").json()
    c = world.act("it.caseworker", c, "notify", notified_on="2026-08-21").json()
    assert c["state"] == "notified" and c["appeal_deadline"] == "2026-09-04"
    other = world.apply("it.caseworker", world.person("it.caseworker", surname="Sarkar", nationality="BGD"))

    job = jobs.load_all()["procedures_capacity_and_finality"]
    summary = job.fn(world.services, datetime(2026, 10, 1, 6, 0, tzinfo=UTC))
    assert summary == "1 decisions became final, 1 capacity notifications"
    closed = world.get("it.caseworker", f"/applications/{c['id']}").json()
    assert closed["state"] == "final" and closed["timeline"][-1]["event"] == "final"
    capa = world.get("it.caseworker", "/capacity", on="2026-10-01").json()
    it = capa["states"][0]
    assert it["member_state"] == "IT" and it["capacity"] == 0 and it["occupancy"] == 1
    assert it["capacity_reached"] is True
    assert capa["notifications"][0]["member_state"] == "IT"
    # adequate capacity is the Pact's: before it applies there is none to show
    early = world.get("it.caseworker", "/capacity", on="2026-06-11")
    assert early.status_code == 422 and "on" in [d["loc"][-1] for d in early.json()["detail"]]
    assert "2026-06-12" in early.text
    # running again the same day records nothing new
    assert job.fn(world.services, datetime(2026, 10, 1, 7, 0, tzinfo=UTC)) == (
        "0 decisions became final, 0 capacity notifications")
    assert other["state"] == "registered"

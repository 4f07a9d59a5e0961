"""The procedures job: decisions become final when the appeal time limit passes unused, and a state
whose border procedure is at its adequate capacity is recorded as notifying the Commission."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pactum.services import jobs
from pactum.services.auth import Role

try:
    from .test_procedures_support import make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import make_world  # type: ignore[no-redef]


def test_finality_and_capacity_notification(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    world.user("de.reviewer", "DE", Role.caseworker)
    # Decision 2024/2150 fixes Italy's adequate capacity (8,016 places): one case does not fill
    # it, whatever the platform's records say. Germany's figure is not held by the platform: its
    # capacity is the estimate from the records, and Italy's arrivals in the reference years
    # (2023-2025) give Italy the whole Union capacity, Germany's (all in 2026) none, so one border
    # case fills Germany's estimated capacity
    world.person("it.caseworker", surname="Weber", nationality="SYR", kind="irregular_crossing",
                 occurred_at="2025-04-01T08:00:00+00:00")
    world.apply("it.caseworker", world.person("it.caseworker", surname="Hasan", nationality="BGD"))
    case = world.apply("de.caseworker", world.person("de.caseworker", surname="Miah", nationality="BGD"))
    assert case["procedure"] == "border"
    world.travel(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    c = world.act("de.caseworker", case, "lodge", lodged_on="2026-08-04").json()
    c = world.act("de.caseworker", c, "schedule_interview", interview_on="2026-08-10", language="Bengali").json()
    c = world.act("de.caseworker", c, "hold_interview", held_on="2026-08-10", interpreter_language="Bengali").json()
    c = world.act("de.caseworker", c, "draft_decision", outcome="rejected_unfounded",
                    reasons="no well-founded fear shown (interview record)").json()
    c = world.act("de.caseworker", c, "submit_for_review").json()
    c = world.act("de.reviewer", c, "approve", decided_on="2026-08-20").json()
    c = world.act("de.caseworker", c, "notify", notified_on="2026-08-21").json()
    # border procedure: 10 days (APR Art 67(7)(a)) from Friday 21 August -> Monday 31 August 2026
    assert c["state"] == "notified" and c["appeal_deadline"] == "2026-08-31"
    other = world.apply("de.caseworker", world.person("de.caseworker", surname="Sarkar", nationality="BGD"))

    job = jobs.load_all()["procedures_capacity_and_finality"]
    summary = job.fn(world.services, datetime(2026, 10, 1, 6, 0, tzinfo=UTC))
    assert summary == "1 decisions became final, 1 capacity notifications"
    closed = world.get("de.caseworker", f"/applications/{c['id']}").json()
    assert closed["state"] == "final" and closed["timeline"][-1]["event"] == "final"
    capa = world.get("de.caseworker", "/capacity", on="2026-10-01").json()
    de = capa["states"][0]
    assert de["member_state"] == "DE" and de["capacity"] == 0 and de["occupancy"] == 1
    assert de["capacity_source"] == "estimate" and de["capacity_reached"] is True
    assert capa["notifications"][0]["member_state"] == "DE"
    assert "estimated from the platform's records" in capa["notifications"][0]["measure"]
    it = world.get("it.caseworker", "/capacity", on="2026-10-01").json()["states"][0]
    assert (it["capacity"], it["capacity_source"], it["occupancy"]) == (8016, "decision", 1)
    assert it["estimate"]["capacity"] == 30000 and it["capacity_reached"] is False
    # adequate capacity is the Pact's: before it applies there is none to show
    early = world.get("it.caseworker", "/capacity", on="2026-06-11")
    assert early.status_code == 422 and "on" in [d["loc"][-1] for d in early.json()["detail"]]
    assert "2026-06-12" in early.text
    # running again the same day records nothing new
    assert job.fn(world.services, datetime(2026, 10, 1, 7, 0, tzinfo=UTC)) == (
        "0 decisions became final, 0 capacity notifications")
    assert other["state"] == "registered"

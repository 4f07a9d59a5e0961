"""The return alert's field (y) (Reg. (EU) 2018/1860 Art 4(1)(y)) changes with the decision's
suspension, whether the asylum appeal or the returns officer suspends it: each change is audited
on the alert itself; a deleted alert keeps field (y) as it was at deletion and says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pactum.store.tables.platform import audit_log

try:
    from .test_procedures_qa_walk import _web, decided, ok, return_decision
    from .test_procedures_support import World, make_world
    from .test_returns_support import make_world as make_returns_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_procedures_qa_walk import _web, decided, ok, return_decision  # type: ignore[no-redef]
    from test_procedures_support import World, make_world  # type: ignore[no-redef]
    from test_returns_support import make_world as make_returns_world  # type: ignore[no-redef]


def _alert_entries(world: Any, alert_id: str) -> list[tuple[str, Any, Any]]:
    with world.services.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.action, audit_log.c.before, audit_log.c.after)
            .where(audit_log.c.entity_type == "return_alert", audit_log.c.entity_id == alert_id)
            .order_by(audit_log.c.seq)
        ).all()
    return [(r.action, r.before, r.after) for r in rows]


def _y(entries: list[tuple[str, Any, Any]]) -> list[tuple[str, Any, Any]]:
    return [(action, (before or {}).get("decision_suspended"), (after or {}).get("decision_suspended"))
            for action, before, after in entries]


def test_the_appeal_suspending_and_the_dismissal_lifting_are_audited_on_the_alert(tmp_path: Path) -> None:
    world: World = make_world(tmp_path)
    world.travel(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", decided(world, "Tesfay"), "notify", notified_on="2026-08-21",
                        with_return_decision=True, voluntary_departure_days=7))
    rid = case["return_decision_id"]
    alert_id = return_decision(world, rid)["alert"]["id"]
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-09-01"))
    ok(world.act("it.caseworker", case, "decide_appeal", outcome="dismissed", decided_on="2026-12-01"))
    assert _y(_alert_entries(world, alert_id)) == [
        ("returns.alert.create", None, False),
        ("returns.alert.update", False, True),  # suspended by the appeal
        ("returns.alert.update", True, False),  # the appeal dismissed
    ]


def test_a_remittal_deletes_the_alert_with_field_y_as_it_was_and_says_so(tmp_path: Path) -> None:
    world: World = make_world(tmp_path)
    world.travel(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", decided(world, "Gebre"), "notify", notified_on="2026-08-21",
                        with_return_decision=True, voluntary_departure_days=30))
    rid = case["return_decision_id"]
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-09-01"))
    ok(world.act("it.caseworker", case, "decide_appeal", outcome="remitted", decided_on="2026-10-01"))
    rd = return_decision(world, rid)
    assert rd["status"] == "withdrawn" and rd["alert"]["status"] == "deleted"
    # field (y) as it was at deletion (docs/returns.md), and the deletion's audit entry says so
    assert rd["alert"]["decision_suspended"] is True
    assert _y(_alert_entries(world, rd["alert"]["id"]))[-1] == ("returns.alert.delete", True, True)
    page = _web(world).get(f"/returns/decisions/{rid}").text
    y = page.split("<dt>(y)", 1)[1].split("</dd>", 1)[0]
    assert "when the alert was deleted" in y and "yes; the decision is now withdrawn" in y


def test_the_officers_own_suspension_and_lifting_are_audited_on_the_alert(tmp_path: Path) -> None:
    world = make_returns_world(tmp_path)
    person = world.person("it.returns", surname="Haddad", nationality="TUN")
    h = world.headers("it.returns")
    r = world.client.post("/api/v1/returns/decisions", json={"person_id": person, "issued_on": "2026-08-20",
                                                             "voluntary_departure_days": 10}, headers=h)
    assert r.status_code == 201, r.text
    d = r.json()
    r = world.client.post(f"/api/v1/returns/decisions/{d['id']}/suspend",
                          json={"version": d["version"], "reason": "appeal lodged"}, headers=h)
    assert r.status_code == 200, r.text
    r = world.client.post(f"/api/v1/returns/decisions/{d['id']}/lift-suspension",
                          json={"version": r.json()["version"], "reason": "appeal dismissed"}, headers=h)
    assert r.status_code == 200, r.text
    r = world.client.post(f"/api/v1/returns/decisions/{d['id']}/withdraw",
                          json={"version": r.json()["version"], "reason": "annulled"}, headers=h)
    assert r.status_code == 200 and r.json()["alert"]["decision_suspended"] is False
    entries = _alert_entries(world, d["alert"]["id"])
    assert _y(entries) == [
        ("returns.alert.create", None, False),
        ("returns.alert.update", False, True),
        ("returns.alert.update", True, False),
        ("returns.alert.delete", False, False),
    ]
    assert entries[1][2]["return_decision_id"] == d["id"]

"""Many applications and workflow actions in one unit of work (``procedures.case_batch``, what the
demo world uses): each is checked, recorded and audited as the single-act service functions do it;
an act the rules refuse leaves nothing behind and the batch goes on; a failed write leaves nothing
of the whole batch."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from pactum.common.errors import Conflict, ValidationProblem
from pactum.services import procedures
from pactum.services.procedures import ApplicationCreate
from pactum.store.tables.platform import audit_log
from pactum.store.tables.procedures import asylum_applications as A
from pactum.store.tables.procedures import asylum_case_events as E
from pactum.store.tables.returns import return_decisions as R

try:
    from .test_procedures_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world  # type: ignore[no-redef]

# a border-procedure case from application to dismissed appeal (the flow of
# test_procedures_workflow), as (officer, action, payload)
FLOW: list[tuple[str, str, dict[str, Any]]] = [
    ("it.caseworker", "lodge", {"lodged_on": date(2026, 8, 4)}),
    ("it.caseworker", "schedule_interview", {"interview_on": date(2026, 8, 10), "language": "Bengali"}),
    ("it.caseworker", "hold_interview", {"held_on": date(2026, 8, 10), "interpreter_language": "Bengali"}),
    ("it.caseworker", "add_evidence", {"description": "Country report BGD 2026"}),
    ("it.caseworker", "draft_decision", {"outcome": "rejected_manifestly_unfounded",
                                         "reasons": "no persecution shown"}),
    ("it.caseworker", "submit_for_review", {}),
    ("it.reviewer", "approve", {"decided_on": date(2026, 8, 20)}),
    ("it.caseworker", "notify", {"notified_on": date(2026, 8, 21), "with_return_decision": True,
                                 "voluntary_departure_days": 7}),
    # within the ten days of APR Art 67(7)(a) from the notification of 21 August
    ("it.caseworker", "lodge_appeal", {"lodged_on": date(2026, 8, 28)}),
    ("it.caseworker", "decide_appeal", {"outcome": "dismissed", "decided_on": date(2026, 10, 1)}),
]
WHOLE_TIMELINE = ["made", "registered", "lodged", "interview_scheduled", "interview_held",
                  "evidence_added", "decision_drafted", "submitted_for_review", "decided", "notified",
                  "appeal_lodged", "appeal_decided"]


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    return w


def _application(person_id: str) -> ApplicationCreate:
    return ApplicationCreate(person_id=person_id, made_on=date(2026, 8, 1),
                             registered_on=date(2026, 8, 3), context="sar_disembarkation")


ID = re.compile(r"\b[A-Za-z]{2,4}_[0-9A-Z]{26}\b")  # pactum.common.ids.new_id
REFERENCE = re.compile(r"\b([A-Z]{2}-RD-\d{4}-)[0-9A-Z]{8}\b")  # a return decision's, from its id
CASE_REFERENCE = re.compile(r"\b([A-Z]{2}-\d{4}-)\d{6,9}\b")  # an asylum case's: its running number


def _without_ids(value: Any) -> Any:
    """The value with every generated id (and reference made from one) and each case's running
    number replaced by a marker: two records of the same facts differ only there."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_ids(v) for v in value]
    if isinstance(value, str):
        return CASE_REFERENCE.sub(r"\1<number>", REFERENCE.sub(r"\1<ref>", ID.sub("<id>", value)))
    return value


def _recorded(world: World, case_id: str) -> dict[str, Any]:
    """What the store holds of one case: its row, events, audit entries and return decision."""
    with world.services.engine.connect() as conn:
        row = dict(conn.execute(select(A).where(A.c.id == case_id)).mappings().one())
        events = [dict(e) for e in conn.execute(select(E).where(E.c.case_id == case_id)
                                                .order_by(E.c.at, E.c.id)).mappings()]
        audit = [(a.action, a.actor, a.before, a.after) for a in conn.execute(
            select(audit_log).where(audit_log.c.entity_id.in_([case_id, row["return_decision_id"]]))
            .order_by(audit_log.c.seq))]
        decision = conn.execute(select(R).where(R.c.asylum_case_id == case_id)).mappings().first()
    # (the order of events of equal time is by id: random between single acts on a frozen clock)
    return {"row": _without_ids({k: v for k, v in row.items() if k != "created_at"}),
            "events": sorted(_without_ids(events), key=repr), "audit": _without_ids(audit),
            "return_decision": _without_ids(dict(decision)) if decision else None}


def test_a_batch_records_exactly_what_single_acts_record(world: World) -> None:
    it = world.principals
    one = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    other = world.person("it.caseworker", surname="Uddin", nationality="BGD")

    single = procedures.create_application(world.services, it["it.caseworker"], _application(one))
    for who, action, payload in FLOW:
        single = procedures.act(world.services, it[who], single["id"], action, payload, single["version"])

    with procedures.case_batch(world.services) as batch:
        batched = batch.create(it["it.caseworker"], _application(other))
        for who, action, payload in FLOW:
            batched = batch.act(it[who], batched["id"], action, payload, batched["version"])
        assert batched["last_event"] == "appeal_decided"
        assert batched["last_detail"] == {"outcome": "dismissed", "decided_on": "2026-10-01"}

    assert _recorded(world, batched["id"]) == _recorded(world, single["id"])
    # the batch's answer is the case as get_case shows it (without the timeline it does not read)
    view = procedures.get_case(world.services, it["it.caseworker"], batched["id"])
    assert {k: v for k, v in batched.items() if k not in ("last_event", "last_detail")} == {
        k: v for k, v in view.items() if k in batched}
    # every event of the batch carries the same time; the timeline still lists them as they happened
    assert [e["event"] for e in view["timeline"]] == WHOLE_TIMELINE
    assert len({e["at"] for e in view["timeline"]}) == 1


def test_an_act_the_rules_refuse_leaves_nothing_and_the_batch_goes_on(world: World) -> None:
    it = world.principals
    pid = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    with procedures.case_batch(world.services) as batch:
        case = batch.create(it["it.caseworker"], _application(pid))
        case = batch.act(it["it.caseworker"], case["id"], "lodge", {"lodged_on": date(2026, 8, 4)},
                         case["version"])
        with pytest.raises(Conflict, match="before the personal interview"):
            batch.act(it["it.caseworker"], case["id"], "draft_decision",
                      {"outcome": "rejected_unfounded"}, case["version"])
        for who, action, payload in FLOW[1:7]:
            case = batch.act(it[who], case["id"], action, payload, case["version"])
        assert case["state"] == "decided"
        # the returns area refuses a 30-day voluntary departure in the return border procedure:
        # no return decision, no alert, no notification, no audit entry of either
        with pytest.raises(ValidationProblem, match="at most 15 days"):
            batch.act(it["it.caseworker"], case["id"], "notify",
                      {"notified_on": date(2026, 8, 21), "with_return_decision": True,
                       "voluntary_departure_days": 30}, case["version"])
        with pytest.raises(Conflict, match="changed by someone else"):
            batch.act(it["it.caseworker"], case["id"], "notify",
                      {"notified_on": date(2026, 8, 21)}, case["version"] - 1)
        case = batch.act(it["it.caseworker"], case["id"], "notify",
                         {"notified_on": date(2026, 8, 21), "with_return_decision": True,
                          "voluntary_departure_days": 7}, case["version"])
    recorded = _recorded(world, case["id"])
    assert recorded["row"]["state"] == "notified"
    timeline = procedures.get_case(world.services, it["it.caseworker"], case["id"])["timeline"]
    assert [e["event"] for e in timeline] == WHOLE_TIMELINE[:10]
    assert recorded["return_decision"]["voluntary_departure_days"] == 7
    with world.services.engine.connect() as conn:
        assert len(conn.execute(select(R.c.id).where(R.c.person_id == pid)).all()) == 1
    actions = [a for a, *_ in recorded["audit"]]
    assert actions.count("procedures.notified") == 1 and actions.count("returns.decision.issue") == 1


def test_a_failed_write_leaves_nothing_of_the_whole_batch(world: World, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    it = world.principals
    pid = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    with world.services.engine.connect() as conn:
        audited_before = len(conn.execute(select(audit_log.c.seq)).all())
    real_event = procedures._event

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("INSERT INTO asylum_case_events", {}, Exception("database or disk is full"))

    with (pytest.raises(RuntimeError, match="nothing of the batch was written"),
          procedures.case_batch(world.services) as batch):
        case = batch.create(it["it.caseworker"], _application(pid))
        monkeypatch.setattr(procedures, "_event", disk_full)
        with pytest.raises(OperationalError):
            batch.act(it["it.caseworker"], case["id"], "lodge", {"lodged_on": date(2026, 8, 4)},
                      case["version"])
        monkeypatch.setattr(procedures, "_event", real_event)
        with pytest.raises(RuntimeError, match="rolled back"):
            batch.act(it["it.caseworker"], case["id"], "lodge", {"lodged_on": date(2026, 8, 4)},
                      case["version"])
    with world.services.engine.connect() as conn:
        assert conn.execute(select(A.c.id).where(A.c.person_id == pid)).first() is None
        assert len(conn.execute(select(audit_log.c.seq)).all()) == audited_before

"""The procedures area on PostgreSQL: routing from the stored statistics, the workflow with the
return decision, the queue sorted by deadline (NULLS LAST) and its count."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from pactum.common.clock import FixedClock
from pactum.procedures.model import RoutingInput
from pactum.registry.model import RegisterArrival
from pactum.services import procedures, registry
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.bootstrap import Services
from pactum.services.procedures import ApplicationCreate
from pactum.store.tables.platform import users as users_table

pytestmark = pytest.mark.postgres


def who(services: Services, username: str) -> Principal:
    with services.engine.connect() as conn:
        row = conn.execute(select(users_table).where(users_table.c.username == username)).one()
    return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))


def _to_approval(cw: Principal, admin: Principal) -> list[tuple[Principal, str, dict[str, object]]]:
    """A border-procedure case from lodging to the approved rejection (manifestly unfounded)."""
    return [
        (cw, "lodge", {"lodged_on": "2026-08-04"}),
        (cw, "schedule_interview", {"interview_on": "2026-08-10", "language": "Bengali"}),
        (cw, "hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Bengali"}),
        (cw, "draft_decision", {"outcome": "rejected_manifestly_unfounded",
                                "reasons": "only issues not relevant to international protection raised"}),
        (cw, "submit_for_review", {}),
        (admin, "approve", {"decided_on": "2026-08-20"}),
    ]


def person(services: Services, officer: Principal, surname: str, nationality: str,
           occurred_at: str = "2026-08-01T06:00:00+00:00") -> str:
    return registry.register_arrival(services, officer, RegisterArrival.model_validate({
        "identity": {"given_names": "Rahim", "surname": surname, "sex": "M",
                     "date_of_birth": "1995-01-01", "nationality": nationality, "documents": []},
        "encounter": {"member_state": officer.authority, "occurred_at": occurred_at,
                      "kind": "sar_disembarkation", "place": "Lampedusa"}})).person_id


def test_workflow_and_queue_on_postgresql(pg_services: Services) -> None:
    s = pg_services
    assert isinstance(s.clock, FixedClock)
    s.clock.set(datetime(2026, 8, 3, 9, 0, tzinfo=UTC))
    seeded = procedures.seed_reference_data(s, SYSTEM)
    assert seeded["statistics"] > 10000 and seeded["safe_countries"] == 16
    cw, admin = who(s, "it-caseworker"), who(s, "it-reviewer")
    routed = procedures.route_application(s, cw, RoutingInput(
        applied_on=date(2026, 8, 3), member_state="IT", context="sar_disembarkation", nationality="BGD"))
    assert routed.procedure == "border" and routed.recognition_rate["rate_percent"] == 3.09

    a = procedures.create_application(s, cw, ApplicationCreate(
        person_id=person(s, cw, "Uddin", "BGD"), made_on=date(2026, 8, 1),
        registered_on=date(2026, 8, 3), context="sar_disembarkation"))
    b = procedures.create_application(s, cw, ApplicationCreate(
        person_id=person(s, cw, "Haile", "ERI"), made_on=date(2026, 8, 1), context="in_territory"))
    page = procedures.queue_page(s, cw)
    assert page["total"] == 2 and [r[0] for r in page["rows"]] == [b["id"], a["id"]]
    # registration within 5 days of the application made on 1 August (plain tuples, driver dates)
    assert page["rows"][0][6] == date(2026, 8, 6) and type(page["rows"][0]) is tuple
    # the applicant's name after the reference (the suspension's columns follow), from the person's
    # identity record
    name = procedures._QUEUE_NAMES.index("person_name")
    assert [r[name] for r in page["rows"]] == ["Rahim Haile", "Rahim Uddin"]
    assert [r["person_name"] for r in procedures.queue(s, cw)] == ["Rahim Haile", "Rahim Uddin"]

    s.clock.set(datetime(2026, 9, 30, 9, 0, tzinfo=UTC))
    c = a
    for actor, action, payload in [*_to_approval(cw, admin),
                                    (cw, "notify", {"notified_on": "2026-08-21", "with_return_decision": True})]:
        c = procedures.act(s, actor, c["id"], action, payload, c["version"])
    assert c["state"] == "notified" and c["return_decision_id"]
    assert c["next_deadline"] == "2026-08-31" and c["overdue"] is True  # 10 days (APR Art 67(7)(a))


def test_refusals_of_entry_and_the_queue_page_on_postgresql(pg_services: Services) -> None:
    from pactum.procedures.refusals import RefusalCreate
    from pactum.web.views.procedures import _queue_rows_html

    s = pg_services
    assert isinstance(s.clock, FixedClock)
    s.clock.set(datetime(2026, 8, 3, 9, 0, tzinfo=UTC))
    cw = who(s, "it-caseworker")
    person(s, cw, "Uddin", "BGD")  # one disembarkation after SAR in 2026
    procedures.record_refusals(s, cw, [RefusalCreate(
        refused_on=date(2026, 7, 1), border_type="air", border_section="Milano Malpensa",
        nationality="PER", reasons=["C", "G"]) for _ in range(3)])
    listed = procedures.list_refusals(s, cw)
    assert listed["total"] == 3 and listed["by_reason"]["G"]["count"] == 3
    it = next(x for x in procedures.capacity_overview(s, cw, date(2027, 1, 10))["states"])
    # 1 SAR arrival + 3 refusals = 4 of 4: the whole Union capacity by the estimate from the
    # records; Decision 2024/2150 fixes Italy's at 8,016 places
    assert (it["sar_arrivals"], it["refusals_of_entry"], it["estimate"]["capacity"]) == (1, 3, 30000)
    assert it["capacity"] == 8016

    a = procedures.create_application(s, cw, ApplicationCreate(
        # disembarked on 19 July, the application made the next day (not before the encounter)
        person_id=person(s, cw, "Haile", "ERI", "2026-07-19T06:00:00+00:00"), made_on=date(2026, 7, 20),
        context="in_territory"))
    page = procedures.queue_page(s, cw)
    html = str(_queue_rows_html(page["rows"], page["today"]))
    # registration was due 5 days after Monday 20 July: Saturday 25 July, moved to Monday 27 July
    # (Reg. 1182/71); on 3 August that is 7 days overdue
    assert f'<tr class="overdue"><td><a href="/procedures/cases/{a["id"]}">' in html
    assert "overdue 7 d" in html and "<td>Rahim Haile</td><td>ERI</td>" in html


def test_a_batch_of_acts_on_postgresql(pg_services: Services) -> None:
    """``case_batch`` on PostgreSQL: acts in one transaction, a refused return decision rolled back
    to its savepoint while the batch goes on, the timeline in the order of the acts."""
    from pactum.common.errors import ValidationProblem
    from pactum.store.tables.returns import return_decisions

    s = pg_services
    assert isinstance(s.clock, FixedClock)
    s.clock.set(datetime(2026, 9, 30, 9, 0, tzinfo=UTC))
    procedures.seed_reference_data(s, SYSTEM)
    cw, admin = who(s, "it-caseworker"), who(s, "it-reviewer")
    pid = person(s, cw, "Uddin", "BGD")
    with procedures.case_batch(s) as batch:
        c = batch.create(cw, ApplicationCreate(person_id=pid, made_on=date(2026, 8, 1),
                                               registered_on=date(2026, 8, 3), context="sar_disembarkation"))
        for actor, action, payload in _to_approval(cw, admin):
            c = batch.act(actor, c["id"], action, payload, c["version"])
        with pytest.raises(ValidationProblem, match="at most 15 days"):
            batch.act(cw, c["id"], "notify", {"notified_on": "2026-08-21", "with_return_decision": True,
                                              "voluntary_departure_days": 30}, c["version"])
        c = batch.act(cw, c["id"], "notify", {"notified_on": "2026-08-21", "with_return_decision": True},
                      c["version"])
    case = procedures.get_case(s, cw, c["id"])
    assert case["state"] == "notified" and case["return_decision_id"] == c["return_decision_id"]
    assert [e["event"] for e in case["timeline"]] == [
        "made", "registered", "lodged", "interview_scheduled", "interview_held", "decision_drafted",
        "submitted_for_review", "decided", "notified"]
    with s.engine.connect() as conn:
        assert len(conn.execute(select(return_decisions.c.id).where(return_decisions.c.person_id == pid)).all()) == 1


def test_an_interpreters_language_longer_than_its_column_is_named_on_postgresql(pg_services: Services) -> None:
    """PostgreSQL's 60-character column refused a 10,000-character language with a 500."""
    from pactum.common.errors import ValidationProblem

    s = pg_services
    assert isinstance(s.clock, FixedClock)
    s.clock.set(datetime(2026, 8, 3, 9, 0, tzinfo=UTC))
    procedures.seed_reference_data(s, SYSTEM)
    cw = who(s, "it-caseworker")
    c = procedures.create_application(s, cw, ApplicationCreate(
        person_id=person(s, cw, "Uddin", "BGD"), made_on=date(2026, 8, 1),
        registered_on=date(2026, 8, 3), context="sar_disembarkation"))
    s.clock.set(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))
    c = procedures.act(s, cw, c["id"], "lodge", {"lodged_on": "2026-08-04"}, c["version"])
    for action, payload, field in (
            ("schedule_interview", {"interview_on": "2026-08-10", "language": "x" * 10_000}, "language"),
            ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "x" * 10_000}, "interpreter_language")):
        if action == "hold_interview":
            c = procedures.act(s, cw, c["id"], "schedule_interview",
                               {"interview_on": "2026-08-10", "language": "Bengali"}, c["version"])
        with pytest.raises(ValidationProblem) as refused:
            procedures.act(s, cw, c["id"], action, payload, c["version"])
        assert refused.value.problems[0][0] == field
    held = procedures.act(s, cw, c["id"], "hold_interview",
                          {"held_on": "2026-08-10", "interpreter_language": "Bengali"}, c["version"])
    assert held["interpreter_language"] == "Bengali"

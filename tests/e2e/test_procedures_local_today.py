""""Today" on the Member State's clock. The procedures area counted its own today in UTC: at 23:30
UTC on 1 December it is already 2 December in Athens and Nicosia, and a Greek officer recording a
decision dated 2 December was refused ("cannot be after today (2026-12-01)"); a case whose
deadline was 1 December was not yet overdue in Athens on 2 December; and the border procedure's
capacity counted encounters by UTC days, so that a disembarkation at Larnaca at 01:30 on 1 January
(23:30 UTC on 31 December) counted in the year before. Now every date check and every "today" of a
case is its state's local day (``pactum.registry.local_time``), and encounters count on their
local day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pactum.services import procedures
from pactum.services.auth import Role

try:
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]

#: 23:30 UTC on 1 December: 2 December in Athens (UTC+2 in winter), still 1 December in Lisbon (UTC+0)
LATE = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    for user, state in (("el.caseworker", "EL"), ("el.reviewer", "EL"), ("pt.caseworker", "PT"),
                        ("pt.reviewer", "PT"), ("cy.caseworker", "CY")):
        w.user(user, state, Role.caseworker)
    return w


def in_territory_case(world: World, officer: str, surname: str, **facts: Any) -> dict[str, Any]:
    pid = world.person(officer, surname=surname, nationality="SYR", kind="in_territory_application")
    return world.apply(officer, pid, context="in_territory", **facts)


def under_review(world: World, officer: str, surname: str) -> dict[str, Any]:
    """A case drafted and submitted for review in November, its decision still to be approved."""
    case = in_territory_case(world, officer, surname)
    world.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    for action, fields in [("lodge", {"lodged_on": "2026-08-04"}),
                           ("schedule_interview", {"interview_on": "2026-09-10", "language": "Arabic"}),
                           ("hold_interview", {"held_on": "2026-09-10", "interpreter_language": "Arabic"}),
                           ("draft_decision", {"outcome": "subsidiary_protection",
                                               "reasons": "indiscriminate violence in the home region"}),
                           ("submit_for_review", {})]:
        case = ok(world.act(officer, case, action, **fields))
    return case


def test_a_decision_dated_today_in_athens_is_accepted_and_the_same_day_is_refused_in_lisbon(world: World) -> None:
    greek = under_review(world, "el.caseworker", "Nikolaidis")
    portuguese = under_review(world, "pt.caseworker", "Silva")
    world.travel(LATE)
    r = world.act("el.reviewer", greek, "approve", decided_on="2026-12-02")
    case = ok(r)
    assert case["state"] == "decided" and case["decided_on"] == "2026-12-02"
    r = world.act("pt.reviewer", portuguese, "approve", decided_on="2026-12-02")
    assert r.status_code == 422
    problem = r.json()["detail"][0]
    assert problem["loc"][-1] == "decided_on" and "cannot be after today (2026-12-01)" in problem["msg"]
    # Lisbon's today is the 1st: the decision of that day is recorded
    assert ok(world.act("pt.reviewer", portuguese, "approve", decided_on="2026-12-01"))["state"] == "decided"


def test_an_application_made_on_the_states_today_is_accepted(world: World) -> None:
    world.travel(LATE)
    pid = world.person("el.caseworker", surname="Georgiou", nationality="AFG", kind="in_territory_application",
                       occurred_at="2026-11-30T10:00:00+00:00")
    case = world.apply("el.caseworker", pid, context="in_territory", made_on="2026-12-02", registered_on="2026-12-02")
    assert case["made_on"] == "2026-12-02"
    pid = world.person("pt.caseworker", surname="Costa", nationality="AFG", kind="in_territory_application",
                       occurred_at="2026-11-30T10:00:00+00:00")
    r = world.post("pt.caseworker", "/applications", {"person_id": pid, "made_on": "2026-12-02",
                                                      "context": "in_territory"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "made_on"
    assert "cannot be after today (2026-12-01)" in r.json()["detail"][0]["msg"]


def test_a_deadline_of_yesterday_in_athens_is_overdue_while_lisbon_still_has_the_day(world: World) -> None:
    world.travel(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    greek = in_territory_case(world, "el.caseworker", "Papadopoulos", made_on="2026-11-02", registered_on=None)
    portuguese = in_territory_case(world, "pt.caseworker", "Santos", made_on="2026-11-02", registered_on=None)
    due = greek["next_deadline"]
    assert due is not None and due == portuguese["next_deadline"]
    # 23:30 UTC on the day the deadline falls: the next day in Athens, the same day in Lisbon
    world.travel(datetime.combine(date.fromisoformat(due), LATE.timetz()))
    shown = ok(world.get("el.caseworker", f"/applications/{greek['id']}"))
    assert shown["overdue"] is True
    assert ok(world.get("pt.caseworker", f"/applications/{portuguese['id']}"))["overdue"] is False
    queue = world.get("el.caseworker", "/queue", overdue="true").json()
    assert [c["id"] for c in queue] == [greek["id"]] and queue[0]["days_left"] == -1
    assert world.get("pt.caseworker", "/queue", overdue="true").json() == []
    # the case page's forms propose the state's today, and allow no later day
    page = login(world, "el.caseworker").get(f"/procedures/cases/{greek['id']}").text
    day = (date.fromisoformat(due) + timedelta(days=1)).isoformat()
    assert f'value="{day}"' in page


def test_an_encounter_at_2330_utc_on_new_years_eve_counts_on_cyprus_day(world: World) -> None:
    world.travel(datetime(2027, 1, 2, 9, 0, tzinfo=UTC))
    for officer, surname in (("cy.caseworker", "Kyriakou"), ("pt.caseworker", "Pereira")):
        world.person(officer, surname=surname, nationality="SYR", kind="sar_disembarkation",
                     occurred_at="2026-12-31T23:30:00Z")
    with world.services.engine.connect() as conn:
        next_year = procedures._arrivals(conn, date(2027, 1, 1), date(2027, 12, 31))
        last_year = procedures._arrivals(conn, date(2026, 1, 1), date(2026, 12, 31))
        new_years_day = procedures._arrivals(conn, date(2027, 1, 1), date(2027, 1, 1))
    # 01:30 on 1 January in Nicosia; 23:30 on 31 December in Lisbon
    assert next_year["CY"].sar_arrivals == 1 and "PT" not in next_year
    assert last_year["PT"].sar_arrivals == 1 and "CY" not in last_year
    assert new_years_day["CY"].sar_arrivals == 1 and "PT" not in new_years_day


def test_the_decision_becomes_final_on_its_states_day(world: World) -> None:
    """The job closes a notified case once its appeal time limit has passed on its state's day."""
    cases = {}
    for officer, reviewer, surname in (("el.caseworker", "el.reviewer", "Alexiou"),
                                       ("pt.caseworker", "pt.reviewer", "Ferreira")):
        case = under_review(world, officer, surname)
        case = ok(world.act(reviewer, case, "approve", decided_on="2026-11-20"))
        cases[officer] = ok(world.act(officer, case, "notify", notified_on="2026-11-20"))
    last = cases["el.caseworker"]["appeal_deadline"]
    assert last is not None and last == cases["pt.caseworker"]["appeal_deadline"]
    at = datetime.combine(date.fromisoformat(last), LATE.timetz())  # the day after the last one in Athens
    world.travel(at)
    procedures.capacity_and_finality_job(world.services, at)
    assert ok(world.get("el.caseworker", f"/applications/{cases['el.caseworker']['id']}"))["state"] == "final"
    assert ok(world.get("pt.caseworker", f"/applications/{cases['pt.caseworker']['id']}"))["state"] == "notified"

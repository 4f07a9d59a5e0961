"""FD-18: one figure of "applicants in the border procedure": the indicator (shown by the follow-up's
Live figures, the weekly report and reception) counts what the border page counts against the
capacity, the cases not yet notified of their decision, and its label says so."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.services import indicators

try:
    from .test_procedures_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def ok(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return dict(r.json())


def _to_decided(world: World, case: dict[str, Any], surname: str) -> dict[str, Any]:
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10", language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10", interpreter_language="Bengali"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="rejected_manifestly_unfounded",
                        reasons=f"no persecution shown ({surname})"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    return ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))


def test_the_indicator_counts_the_border_page_s_before_notification(world: World) -> None:
    cases = [world.apply("it.caseworker", world.person("it.caseworker", surname=name, nationality="BGD"))
             for name in ("Ali", "Rahman", "Hossain")]
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    decided = _to_decided(world, cases[1], "Rahman")  # decided, not yet notified
    assert decided["state"] == "decided"
    notified = _to_decided(world, cases[2], "Hossain")
    ok(world.act("it.caseworker", notified, "notify", notified_on="2026-08-21", with_return_decision=True,
                 voluntary_departure_days=7))
    pipe = ok(world.get("it.caseworker", "/border-pipeline"))
    assert (len(pipe["cases"]), pipe["before_notification"], pipe["notified"]) == (3, 2, 1)
    with world.services.engine.connect() as conn:
        today = indicators.compute(conn, "border_procedure_occupancy", world.clock.today())
        of_it = indicators.compute(conn, "border_procedure_occupancy", world.clock.today(), "IT")
        # on 20 August all three were before notification (one was decided that day)
        before = indicators.compute(conn, "border_procedure_occupancy", date(2026, 8, 20))
    # the case decided but not notified counts, as on the border page; the notified one does not
    assert today == of_it == {"IT": pipe["before_notification"]} == {"IT": 2}
    assert before == {"IT": 3}


def test_the_indicator_s_label_gives_its_definition() -> None:
    ind = indicators.load_all()["border_procedure_occupancy"]
    assert ind.label == ("Applicants in the border procedure not yet notified of the decision (the occupancy "
                         "counted against the border capacity), by state")
    assert ind.period == "on"


def test_the_reception_page_says_what_its_border_figure_counts_and_on_which_day(client, auth_headers, web_client,
                                                                                monkeypatch):
    from pactum.services import reception
    from tests.e2e.test_reception_api import _record

    monkeypatch.setattr(reception, "border_procedure_occupancy", lambda conn, on, ms: {ms: 5})
    report = _record(client, auth_headers("it-caseworker"))
    page = web_client("it-caseworker").get("/reception/states/IT").text
    assert (f"Applicants in the border procedure not yet notified of the decision (the occupancy counted against "
            f"the border capacity), on {report['reported_on']}, the day of this report (procedures area): 5") in page

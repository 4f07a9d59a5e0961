"""QA: after the admissibility interview is omitted on ground ``protection_in_another_member_state``
(APR Art 13(11)(e)), the draft form offers that inadmissibility ground alone, so it does not show the
return decision's facts of Art 38(1)(e) ("Return decision received on", "informed of the consequences",
"No new relevant elements"), which only that other ground takes; the case's read names the ground in
words, "Member State" capitalised."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

RD_FIELDS = ('name="return_decision_received_on"', 'name="informed_of_consequences"', 'name="no_new_elements"')


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _lodged(world: World, surname: str) -> dict[str, Any]:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality="SYR"))
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    return ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))


def _draft_form(world: World, case: dict[str, Any]) -> str:
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    return page.split('value="draft_decision"', 1)[1].split("</form>", 1)[0]


def test_the_return_decision_fields_are_hidden_where_the_only_ground_offered_does_not_take_them(
        world: World) -> None:
    case = _lodged(world, "Qasemi")
    done = ok(world.act("it.caseworker", case, "omit_interview", omitted_on="2026-08-19",
                        omission_ground="protection_in_another_member_state",
                        omission_reason="refugee status granted by DE on 3 March 2025"))
    note = done["draft_before_interview"]["note"]
    assert "on the ground protection in another Member State may be drafted" in note
    form = _draft_form(world, done)
    assert 'name="inadmissibility_ground"' in form
    assert not [f for f in RD_FIELDS if f in form], form
    assert "Return decision received on" not in form


def test_the_return_decision_fields_stay_where_that_ground_is_offered(world: World) -> None:
    case = _lodged(world, "Rahimi")
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-20", language="Arabic"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-20",
                         interpreter_language="Arabic"))
    form = _draft_form(world, case)
    assert 'value="return_decision_late_application"' in form
    assert all(f in form for f in RD_FIELDS)

"""A subsequent application found to present new elements (APR Art 55(6)) is examined on the merits
in the accelerated procedure (Art 42(1)(g)): the case as stored and shown changes procedure, its next
deadline becomes the accelerated examination's three months from lodging (Art 35(3)) in place of the
admissibility examination's two (Art 35(1)), and the timeline says why. Pactum had no such step: the
case kept the admissibility procedure and its time limit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

try:
    from .test_procedures_support import World, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def test_the_finding_moves_the_case_to_the_accelerated_procedure_and_its_deadline(world: World) -> None:
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    assert case["procedure"] == "admissibility"
    assert (case["next_deadline"], case["next_deadline_kind"]) == ("2026-10-05", "examination_admissibility")
    case = ok(world.act("it.caseworker", case, "admit_subsequent", found_on="2026-08-20"))
    assert case["procedure"] == "accelerated"
    assert (case["next_deadline"], case["next_deadline_kind"]) == ("2026-11-04", "examination_accelerated")
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["procedure"] == "accelerated" and "admit_subsequent" not in shown["actions"]
    event = [e for e in shown["timeline"] if e["event"] == "subsequent_admitted"]
    assert event and event[0]["detail"]["legal_basis"] == ["Regulation (EU) 2024/1348, Article 55(6)",
                                                          "Regulation (EU) 2024/1348, Article 42(1)(g)"]

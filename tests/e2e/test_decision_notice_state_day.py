"""The written notice of a decision is printed on today of the case's state, not the UTC day, and
says when the personal interview was omitted (APR Art 13(11)(c)) that the omission does not
adversely affect the decision."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_procedures_support import World, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_cli_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _decided_without_interview(world: World) -> dict[str, Any]:
    """An Italian case under the APR whose interview was omitted as the applicant is unfit to be
    interviewed, rejected as unfounded and decided on 4 September 2026."""
    pid = world.person("it.caseworker", surname="Karimi", nationality="SYR")
    case = world.apply("it.caseworker", pid)
    world.travel(datetime(2026, 9, 4, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    case = ok(
        world.act(
            "it.caseworker",
            case,
            "omit_interview",
            omitted_on="2026-08-20",
            omission_ground="unfit_or_unable",
            omission_reason="enduring psychosis",
            medical_consulted_on="2026-08-18",
            medical_finding="enduring",
            written_information_until="2026-09-03",
        )
    )
    case = ok(
        world.act(
            "it.caseworker",
            case,
            "draft_decision",
            outcome="rejected_unfounded",
            reasons="the written statements show no risk",
        )
    )
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    return ok(world.act("it.reviewer", case, "approve", decided_on="2026-09-04"))


def test_the_notice_is_printed_on_the_states_day_and_says_the_interview_was_omitted(world: World) -> None:
    case = _decided_without_interview(world)
    # 23:30 UTC on 30 November is 00:30 on 1 December in Rome
    world.travel(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    notice = ok(
        world.client.get(
            f"/api/v1/procedures/applications/{case['id']}/notice", headers=world.headers("it.caseworker")
        )
    )
    assert notice["printed_on"] == "2026-12-01"
    omitted = notice["interview_omission"]
    assert (omitted["omitted_on"], omitted["ground"]) == ("2026-08-20", "unfit_or_unable")
    assert omitted["legal_basis"][0] == "Regulation (EU) 2024/1348, Article 13(11)(c)"
    assert omitted["not_adverse"] == (
        "the omission does not adversely affect the decision (Regulation (EU) "
        "2024/1348, Article 13(11), second subparagraph)"
    )


def test_the_union_capacity_for_an_eu_body_is_of_the_day_in_brussels(world: World) -> None:
    # 23:30 UTC on 31 December 2026 is 00:30 on 1 January 2027 in Brussels: the Union figure counts
    # the reference period 2024-2026, no longer the UTC day's 2023-2025
    world.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    union = ok(world.get("com.admin", "/capacity"))
    assert (union["as_of"], union["reference_period"]) == ("2027-01-01", ["2024-01-01", "2026-12-31"])
    assert "Europe/Brussels" in union["as_of_source"]
    italy = ok(world.get("it.analyst", "/capacity"))
    assert italy["as_of"] == "2027-01-01" and italy["as_of_source"] == "today on IT's clock"
    asked = ok(world.get("com.admin", "/capacity", on="2026-12-31"))
    assert (asked["as_of"], asked["as_of_source"]) == ("2026-12-31", "the day asked")

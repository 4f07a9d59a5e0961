"""Bad input the procedures API used to take or crash on: days far in the future on a step
(a 500 for a notification, a case final in 9999 for a closing), refusals of entry and
safe-country designations dated in year 1 or 9999, a Member State designated a safe country, the
same designation twice, and statistics counts beyond the store's whole numbers or repeated rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.procedures import decision_statistics

try:
    from .test_procedures_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world  # type: ignore[no-redef]

HEADER = ("year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
          "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n")
ROW = "2025,Pakistan,PAK,PAK,Italy,ITA,ITA,G,FI,P,{n},100,600,0,1000\n"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def ok(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return dict(r.json())


def _fields(r: Any) -> set[str]:
    return {str(d["loc"][-1]) for d in r.json()["detail"]}


def _notified(world: World) -> dict[str, Any]:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Uddin", nationality="BGD"))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-03"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-03",
                        language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-03",
                        interpreter_language="Bengali"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="refugee_status"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    return ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-03"))


def test_a_step_dated_after_today_is_refused_before_anything_is_computed(world: World) -> None:
    decided = _notified(world)
    r = world.act("it.caseworker", decided, "notify", notified_on="9999-12-30")
    assert r.status_code == 422 and _fields(r) == {"notified_on"}
    notified = ok(world.act("it.caseworker", decided, "notify", notified_on="2026-08-03"))
    r = world.act("it.caseworker", notified, "close", on="9999-12-30")
    assert r.status_code == 422 and _fields(r) == {"on"} and "after today" in r.text


def test_a_refusal_of_entry_before_the_schengen_borders_code_is_refused(world: World) -> None:
    body = {"refused_on": "0001-01-01", "border_type": "air", "border_section": "Roma Fiumicino",
            "nationality": "COL", "reasons": ["E"]}
    r = world.post("it.caseworker", "/refusals-of-entry", body)
    assert r.status_code == 422 and _fields(r) == {"refused_on"}
    assert world.post("it.caseworker", "/refusals-of-entry", {**body, "refused_on": "2026-08-01"}).status_code == 201


def test_safe_country_designations_are_bounded_third_countries_given_once(world: World) -> None:
    entry = {"scope": "EU", "concept": "safe_country_of_origin", "country": "SEN",
             "valid_from": "2026-09-01", "reference": "Amending act to APR Annex II (test)"}
    for day in ("0001-01-01", "9999-12-31"):
        r = world.post("com.admin", "/safe-countries", {**entry, "valid_from": day})
        assert r.status_code == 422 and _fields(r) == {"valid_from"}, day
    r = world.post("com.admin", "/safe-countries", {**entry, "valid_to": "9999-12-31"})
    assert r.status_code == 422 and _fields(r) == {"valid_to"}
    r = world.post("com.admin", "/safe-countries", {**entry, "scope": "IT", "country": "ITA"})
    assert r.status_code == 422 and _fields(r) == {"country"} and "Member State" in r.text
    assert world.post("com.admin", "/safe-countries", entry).status_code == 201
    again = world.post("com.admin", "/safe-countries", entry)
    assert again.status_code == 409 and "already designated" in again.text
    listed = [e for e in ok_list(world) if e["country"] == "SEN" and e["scope"] == "EU"]
    assert len(listed) == 1


def ok_list(world: World) -> list[dict[str, Any]]:
    r = world.get("it.caseworker", "/safe-countries")
    assert r.status_code == 200, r.text
    return list(r.json())


def _import(world: World, text: str) -> Any:
    return world.client.post("/api/v1/procedures/statistics/import", content=text.encode(),
                             headers=world.headers("euaa.analyst"))


def test_statistics_counts_beyond_the_store_and_repeated_rows_are_refused_by_line(world: World) -> None:
    r = _import(world, HEADER + ROW.format(n=2**63))
    assert r.status_code == 422
    assert "line 2, column dec_recognized" in r.text and "2,147,483,647" in r.text
    r = _import(world, HEADER + ROW.format(n=2**31))
    assert r.status_code == 422 and "line 2, column dec_recognized" in r.text
    r = _import(world, HEADER + ROW.format(n=300) + ROW.format(n=300))
    assert r.status_code == 422 and "line 3 repeats line 2" in r.text
    with world.services.engine.connect() as conn:
        assert conn.execute(select(decision_statistics)).first() is None  # nothing written
    # another procedure type of the same figures is a different row: summed, as UNHCR splits them
    joint = ROW.format(n=300).replace(",G,FI,", ",J,FI,")
    assert _import(world, HEADER + ROW.format(n=2**31 - 1)).status_code == 200
    assert _import(world, HEADER + ROW.format(n=300) + joint).status_code == 200
    with world.services.engine.connect() as conn:
        assert conn.execute(select(decision_statistics.c.refugee_status)).scalar() == 600

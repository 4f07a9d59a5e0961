"""An asylum application made through the procedures area records the person in Eurodac as an
applicant (Reg. 2024/1358 Art 15, kept 10 years, Art 29), and granting protection marks that record
(Art 31). Before, the person registered after a search-and-rescue disembarkation stayed a SAR
record, kept 5 years, which no other state's search sees: an application made in Italy was
invisible to Germany."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.registry import eurodac_records, identity_records

try:
    from .test_procedures_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _eurodac(world: World, person_id: str) -> dict[str, Any]:
    with world.services.engine.connect() as conn:
        return {r.category: r for r in conn.execute(
            select(eurodac_records).join(identity_records, identity_records.c.id == eurodac_records.c.identity_record_id)
            .where(identity_records.c.person_id == person_id))}


def _found_by_germany(world: World, surname: str) -> bool:
    r = world.client.post("/api/v1/identity/search", headers=world.headers("de.caseworker"), json={
        "given_names": "Rahim", "surname": surname, "date_of_birth": "1996-05-04", "nationality": "ERI"})
    assert r.status_code == 200, r.text
    return any(c.get("member_state") == "IT" for c in r.json()["candidates"])


def test_an_application_records_an_applicant_and_a_grant_marks_it(world: World) -> None:
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI")
    assert set(_eurodac(world, pid)) == {"sar"}
    assert not _found_by_germany(world, "Tesfay")  # a SAR record is Italy's alone

    case = world.apply("it.caseworker", pid, context="sar_disembarkation")
    records = _eurodac(world, pid)
    assert set(records) == {"sar", "applicant"}
    applicant = records["applicant"]
    assert (applicant.retention_until.year - 2026, applicant.marked_at) == (10, None)
    assert _found_by_germany(world, "Tesfay")  # another state's applicant record is searched
    # the same application read again records nothing more
    assert len(_eurodac(world, pid)) == 2

    world.travel(datetime(2026, 9, 25, 9, 0, tzinfo=UTC))
    for action, who, fields in (
            ("lodge", "it.caseworker", {"lodged_on": "2026-08-05"}),
            ("schedule_interview", "it.caseworker", {"interview_on": "2026-08-20", "language": "Tigrinya"}),
            ("hold_interview", "it.caseworker", {"held_on": "2026-08-20", "interpreter_language": "Tigrinya"}),
            ("draft_decision", "it.caseworker", {"outcome": "refugee_status"}),
            ("submit_for_review", "it.caseworker", {}),
            ("approve", "it.reviewer", {"decided_on": "2026-09-01"})):
        r = world.act(who, case, action, **fields)
        assert r.status_code == 200, (action, r.text)
        case = r.json()
    records = _eurodac(world, pid)
    assert records["applicant"].marked_at is not None  # a beneficiary of protection (Art 31)
    assert records["sar"].marked_at is None

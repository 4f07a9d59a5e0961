"""An entry ban's length in months (Directive 2008/115/EC Art 11(2) sets only its maximum: five
years, more for a serious threat). A state imposing 18 months could not record it: the length was a
whole number of years, at least one. It is now given in years or in months, on the API, the form and
the notification of a negative asylum decision; it runs from the actual departure (CJEU C-225/16
*Ouhrami*) to the same day 18 months later (Reg. 1182/71 Art 3(2)(c))."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from pactum.api.app import create_app

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, make_world  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _post(world: World, path: str, body: dict[str, Any]) -> Any:
    return world.client.post(f"{API}{path}", json=body, headers=world.headers("it.returns"))


def test_a_ban_of_18_months_runs_18_months_from_the_departure(world: World) -> None:
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    r = _post(world, "/decisions", {"person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 7,
                                    "entry_ban_months": 18, "grounds": ["illegal_stay"]})
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["entry_ban_months"], d["entry_ban_years"]) == (18, None)
    assert d["alert"]["entry_ban"] is True
    assert any(s["rule"] == "entry_ban_duration" and s["outcome"] == "18 months from the actual departure"
               for s in d["trace"])
    r = _post(world, f"/decisions/{d['id']}/departure",
              {"version": d["version"], "departed_on": "2026-08-31", "mode": "voluntary"})
    assert r.status_code == 200, r.text
    done = r.json()
    # 31 August 2026 + 18 months: February 2028 has no 31st, the ban ends on its last day
    assert (done["entry_ban_starts_on"], done["entry_ban_ends_on"]) == ("2026-08-31", "2028-02-29")
    assert done["entry_ban_alert"]["ends_on"] == "2028-02-29"


def test_years_still_work_and_the_length_is_checked_in_the_unit_given(world: World) -> None:
    person = world.person("it.returns", surname="Haddad", nationality="TUN")
    base = {"person_id": person, "issued_on": "2026-08-20", "grounds": ["illegal_stay"]}
    years = _post(world, "/decisions", base | {"entry_ban_years": 3}).json()
    assert (years["entry_ban_years"], years["entry_ban_months"]) == (3, 36)
    for body, message in (
        ({"entry_ban_years": 2, "entry_ban_months": 6}, "in years or in months, not both"),
        ({"entry_ban_months": 0}, "at least 1 month"),
        ({"entry_ban_months": 61}, "more than 60 months needs the ground 'serious_threat'"),
    ):
        r = _post(world, "/decisions", base | body)
        assert r.status_code == 422, r.text
        (err,) = r.json()["detail"]
        assert err["loc"][-1] == "entry_ban_months" and message in err["msg"], err
    # a serious threat allows more (Art 11(2)); no period granted needs a ban, in either unit (each
    # for a person of their own: one open return decision per person)
    base = {**base, "person_id": world.person("it.returns", surname="Haddadi", nationality="TUN")}
    threat = _post(world, "/decisions", base | {"entry_ban_months": 66, "grounds": ["illegal_stay", "serious_threat"]})
    assert threat.status_code == 201 and threat.json()["entry_ban_months"] == 66
    base = {**base, "person_id": world.person("it.returns", surname="Haddadu", nationality="TUN")}
    r = _post(world, "/decisions", base | {"voluntary_departure_days": 0, "grounds": ["illegal_stay", "risk_of_absconding"]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "entry_ban_years"
    r = _post(world, "/decisions", base | {"voluntary_departure_days": 0, "entry_ban_months": 9,
                                           "grounds": ["illegal_stay", "risk_of_absconding"]})
    assert r.status_code == 201 and r.json()["entry_ban_months"] == 9


def test_the_form_takes_months_and_the_page_says_them(world: World) -> None:
    person = world.person("it.returns", surname="Ben Ali", nationality="TUN")
    web = TestClient(create_app(world.services))
    assert web.post("/login", data={"username": "it.returns", "password": "a-long-password"}).status_code in (200, 303)
    assert 'name="entry_ban_months"' in web.get("/returns/decisions/new").text
    r = web.post("/returns/decisions/new", data={"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": "7", "entry_ban_months": "18",
                                                 "grounds": ["illegal_stay"]}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = web.get(r.headers["location"]).text
    assert "18 months from departure" in page
    r = web.post("/returns/decisions/new", data={"person_id": person, "issued_on": "2026-08-20",
                                                 "entry_ban_years": "1", "entry_ban_months": "6",
                                                 "grounds": ["illegal_stay"]}, follow_redirects=False)
    assert r.status_code == 422 and "Entry ban, months: give the entry ban in years or in months, not both" in r.text


def test_the_migration_gives_stored_bans_their_months(tmp_path: Path) -> None:
    from pactum.store.engine import make_engine
    from pactum.store.migrate import upgrade
    from pactum.store.tables.registry import persons
    from pactum.store.tables.returns import return_decisions

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "returns_0004_minor_handover")
    at = datetime(2025, 10, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(persons).values(id="per_m", member_state="MT", created_at=at, version=1))
        for did, years in (("banned", 3), ("none", None)):
            conn.execute(insert(return_decisions).values(
                id=did, person_id="per_m", member_state="MT", reference=f"MT-RD-2025-{did}",
                issued_on=date(2025, 10, 1), issued_by="mt", nationality="EGY", grounds=[],
                voluntary_departure_days=14, entry_ban_years=years, legal_basis=[], trace=[], status="issued",
                identity_confirmed=True, travel_document=True, fit_to_travel=True, absconded=False,
                created_at=at, version=1))
    upgrade(engine)
    with engine.connect() as conn:
        months = dict(conn.execute(select(return_decisions.c.id, return_decisions.c.entry_ban_months)).all())
    engine.dispose()
    assert months == {"banned": 36, "none": None}

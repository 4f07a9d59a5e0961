"""The day of an encounter outside the registry is the day where it happened, as the registry counts
its own (Reg. 1182/71 Art 3(1): a period in days starts from "the day during which an event
occurs"): the entry the Dublin unit's draft of the facts takes from an encounter, the day of a hit
recorded on a Dublin case, and the return officer's days of an apprehension and of the first record
of a person. Before, each took the UTC date of the stored moment: a crosser apprehended in Greece at
02:10 on 12 June 2026 (23:10 UTC on 11 June) entered on 11 June, and one apprehended
in Madrid at 01:30 on 1 June 2025 (23:30 UTC on 31 May) a day earlier than the 12 months of Dublin
III Art 13(1) count."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.registry.local_time import stored_day
from tests.e2e.test_registry_api import ARRIVAL

try:
    from .test_returns_support import World, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, make_world, post  # type: ignore[no-redef]


def _arrival(ms: str, at: str, kind: str = "irregular_crossing", **encounter: Any) -> dict[str, Any]:
    return {**ARRIVAL, "identity": {**ARRIVAL["identity"], "date_of_birth": "1996-03-14"},
            "encounter": {"member_state": ms, "occurred_at": at, "kind": kind, **encounter},
            "biometrics": {"template_ref": "tpl-1"}}


def _registered(client, auth_headers, ms: str, at: str, made_on: str, registered_on: str,  # type: ignore[no-untyped-def]
                **encounter: Any) -> str:
    h = auth_headers(f"{ms.lower()}-caseworker")
    r = client.post("/api/v1/registry/arrivals", json=_arrival(ms, at, **encounter), headers=h)
    assert r.status_code == 201, r.text
    person_id = str(r.json()["person_id"])
    app_ = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": person_id, "made_on": made_on, "registered_on": registered_on, "context": "in_territory"})
    assert app_.status_code == 201, app_.text
    return person_id


def _draft(client, auth_headers, ms: str, person_id: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = client.get(f"/api/v1/responsibility/persons/{person_id}/facts", headers=auth_headers(f"{ms.lower()}-dublin"))
    assert r.status_code == 200, r.text
    return dict(r.json())


# --------------------------------------------------------------------------- the store's helper


def test_a_stored_moment_has_the_day_of_its_place() -> None:
    # Athens keeps UTC+3 in summer: 23:10 UTC on 11 June is 02:10 on 12 June
    assert stored_day(datetime(2026, 6, 11, 23, 10), "EL") == date(2026, 6, 12)
    assert stored_day(datetime(2026, 6, 11, 23, 10, tzinfo=UTC), "EL") == date(2026, 6, 12)
    # the text SQLite hands back for an aggregate of timestamps
    assert stored_day("2026-06-11 23:10:00.000000", "EL") == date(2026, 6, 12)
    # the encounter's recorded clock decides: the Canary Islands keep UTC+0 in winter, Madrid UTC+1
    assert stored_day(datetime(2026, 11, 26, 23, 30), "ES", "Atlantic/Canary") == date(2026, 11, 26)
    assert stored_day(datetime(2026, 11, 26, 23, 30), "ES") == date(2026, 11, 27)
    # an authority the platform keeps no clock for keeps the UTC day
    assert stored_day(datetime(2026, 11, 26, 23, 30), "EU-LISA") == date(2026, 11, 26)


# --------------------------------------------------------------------------- responsibility


def test_a_greek_arrival_at_2310_utc_on_11_june_2026_is_an_entry_of_12_june(client, auth_headers) -> None:
    # 02:10 on 12 June 2026 in Greece (UTC+3 in summer): an entry of the day the Pact began to apply
    person_id = _registered(client, auth_headers, "EL", "2026-06-11T23:10:00Z", "2026-06-12", "2026-06-12")
    draft = _draft(client, auth_headers, "EL", person_id)
    assert draft["facts"]["entries"] == [{"kind": "irregular_crossing", "member_state": "EL", "on": "2026-06-12"}]
    determined = client.post("/api/v1/responsibility/determinations", json=draft["facts"],
                             headers=auth_headers("el-dublin"))
    assert determined.status_code == 200, determined.text
    out = determined.json()
    # the responsibility criteria follow the application's registration, not the arrival: registered
    # before 1 July 2026, Dublin III's (AMMR Art 84(2)); its 12 months run from the local day of entry
    assert out["regime"] == "dublin_iii" and out["responsible_member_state"] == "EL"
    text = str(out)
    assert "entered 2026-06-12" in text and "runs to 2027-06-12" in text and "2026-06-11" not in text


def test_a_spanish_mainland_arrival_at_2330_utc_counts_the_12_months_of_art_13_1_from_the_next_local_day(
        client, auth_headers) -> None:
    # 01:30 on 1 June 2025 in Madrid (UTC+2 in summer); lodged in Spain on 1 June 2026, under Dublin III
    person_id = _registered(client, auth_headers, "ES", "2025-05-31T23:30:00Z", "2026-06-01", "2026-06-01")
    draft = _draft(client, auth_headers, "ES", person_id)
    assert draft["facts"]["entries"] == [{"kind": "irregular_crossing", "member_state": "ES", "on": "2025-06-01"}]
    out = client.post("/api/v1/responsibility/determinations", json=draft["facts"],
                      headers=auth_headers("es-dublin")).json()
    assert out["regime"] == "dublin_iii" and out["responsible_member_state"] == "ES"
    # the 12 months from 1 June 2025 end on 1 June 2026, the day of the lodging: Art 13(1) decides
    # (from the UTC day, 31 May 2025, they had ended on 31 May 2026, and no criterion applied)
    assert "Regulation (EU) No 604/2013, Article 13(1)" in out["legal_basis"], out["legal_basis"]
    assert "runs to 2026-06-01" in str(out)


def test_an_encounter_after_the_registration_on_the_local_clock_is_no_entry_of_the_draft(
        client, auth_headers, services) -> None:
    from sqlalchemy import insert, select

    from pactum.store.tables.registry import encounters

    # met inland on 12 June (no entry), the application registered that day; a later encounter at
    # 22:30 UTC on 12 June, 01:30 on 13 June in Athens, comes after the registration: no entry either
    person_id = _registered(client, auth_headers, "EL", "2026-06-12T08:00:00Z", "2026-06-12", "2026-06-12",
                            kind="in_territory_application")
    with services.engine.begin() as conn:
        first = conn.execute(select(encounters).where(encounters.c.person_id == person_id)).mappings().one()
        conn.execute(insert(encounters).values({**first, "id": first["id"] + "-later",
                                                "kind": "irregular_crossing",
                                                "occurred_at": datetime(2026, 6, 12, 22, 30, tzinfo=UTC)}))
    assert _draft(client, auth_headers, "EL", person_id)["facts"]["entries"] == []


def test_the_day_a_hit_was_recorded_on_a_case_is_the_states_day() -> None:
    from pactum.services.responsibility import _recorded

    row = type("Hit", (), {"kind": "take_charge", "hit_on": date(2026, 11, 20), "source": "eurodac",
                           "recorded_at": datetime(2026, 11, 20, 23, 30, tzinfo=UTC)})()
    # recorded at 00:30 on 21 November in Rome: a request sent on 21 November comes after it
    assert _recorded([row], "IT") == [("take_charge", date(2026, 11, 20), date(2026, 11, 21), "eurodac")]


# --------------------------------------------------------------------------- returns


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def test_an_apprehension_at_2230_utc_in_italy_is_of_the_next_day_for_the_return_officer(world: World) -> None:
    # 00:30 on 20 June 2026 in Rome (UTC+2 in summer)
    person = world.person("it.returns", surname="Gharbi", nationality="TUN", occurred_at="2026-06-19T22:30:00Z")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-06-19",
                                                  "voluntary_departure_days": 30})
    assert r.status_code == 422, r.text
    (err,) = r.json()["detail"]
    assert err["loc"][-1] == "issued_on"
    assert err["msg"] == ("a return decision cannot be dated 2026-06-19, before IT first recorded the person on "
                          "2026-06-20 (identity record, encounter or asylum application)")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-06-20",
                                                  "voluntary_departure_days": 30})
    assert r.status_code == 201, r.text
    d = r.json()
    r = post(world, "it.returns", f"/decisions/{d['id']}/standard-form", {})
    assert r.status_code == 200, r.text
    (t,) = r.json()["translations"]
    assert t["entry"].startswith("illegal entry recorded: apprehended crossing the external border irregularly "
                                 "(2026-06-20)"), t["entry"]
    assert "2026-06-19" not in t["entry"]


# --------------------------------------------------------------------------- procedures


def test_an_application_cannot_be_made_the_utc_day_before_a_local_midnight_arrival(client, auth_headers) -> None:
    # 02:10 on 12 June 2026 in Greece (23:10 UTC on 11 June): the person was first met on 12 June,
    # so an application made on 11 June is before the first encounter; the day after midnight is fine
    h = auth_headers("el-caseworker")
    r = client.post("/api/v1/registry/arrivals", json=_arrival("EL", "2026-06-11T23:10:00Z"), headers=h)
    assert r.status_code == 201, r.text
    person_id = r.json()["person_id"]
    early = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": person_id, "made_on": "2026-06-11", "registered_on": "2026-06-12", "context": "in_territory"})
    assert early.status_code == 422, early.text
    assert "first encounter (irregular crossing on 2026-06-12)" in early.text
    ok = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": person_id, "made_on": "2026-06-12", "registered_on": "2026-06-12", "context": "in_territory"})
    assert ok.status_code == 201, ok.text

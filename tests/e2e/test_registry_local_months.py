"""The registry's counts by month and day read an encounter on the day it happened where it
happened, not on its UTC day (as situational awareness counts them, ``pactum.store.local_days``):
an arrival at 00:30 on 1 December in Athens (22:30 UTC on 30 November) is one of December on the
home dashboard, and it was not registered by 30 November in the "Arrivals registered" indicator."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert

from pactum.services import indicators, registry
from pactum.store.tables.registry import encounters, identity_records, persons
from tests.conftest import principal_of

CREATED = datetime(2026, 11, 25, tzinfo=UTC)
EMR = "Eastern Mediterranean Route"


def _encounter(services, eid, ms, at, *, route=EMR, kind="irregular_crossing", zone=None, created=None):
    with services.engine.begin() as conn:
        conn.execute(insert(persons).values(id="p" + eid, member_state=ms, created_at=CREATED, version=1))
        conn.execute(
            insert(identity_records).values(
                id="i" + eid,
                person_id="p" + eid,
                member_state=ms,
                recorded_on=date(2026, 9, 1),
                category="applicant",
                nationality="SYR",
                date_of_birth="1990",
                created_at=CREATED,
                version=1,
            )
        )
        conn.execute(
            insert(encounters).values(
                id=eid,
                person_id="p" + eid,
                identity_record_id="i" + eid,
                member_state=ms,
                occurred_at=at,
                route=route,
                kind=kind,
                time_zone=zone,
                created_at=created or at,
            )
        )


def _months(services, username, **kw):
    rows = registry.arrivals_by_route_month(services, principal_of(services, username), **kw)
    return sorted((r["month"], r["route"], r["n"]) for r in rows)


def test_an_arrival_at_0030_on_1_december_in_athens_counts_in_december(services, web_client):
    # 22:30 UTC on 30 November is 00:30 on 1 December in Athens (UTC+2 in winter)
    _encounter(services, "e1", "EL", datetime(2026, 11, 30, 22, 30, tzinfo=UTC), zone="Europe/Athens")
    # the same moment without a recorded zone (registered before it was kept): Athens, the capital
    _encounter(services, "e2", "EL", datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    # 21:30 UTC is 23:30 in Athens: still November
    _encounter(services, "e3", "EL", datetime(2026, 11, 30, 21, 30, tzinfo=UTC))
    assert _months(services, "el-caseworker") == [("2026-11", EMR, 1), ("2026-12", EMR, 2)]
    page = web_client("el-caseworker").get("/")
    assert page.status_code == 200
    cells = re.findall(
        r"<tr><td>(\d{4}-\d\d)</td><td>([^<]+)</td><td class=\"num\">(\d+)</td></tr>", page.text
    )
    assert sorted(cells) == [("2026-11", EMR, "1"), ("2026-12", EMR, "2")]


def test_a_canary_islands_arrival_counts_on_the_islands_clock_not_madrids(services):
    # 23:30 UTC on 31 October: 00:30 on 1 November in Madrid, 23:30 on 31 October in the Canaries
    at = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    _encounter(services, "c1", "ES", at, route="Western African Route", zone="Atlantic/Canary")
    _encounter(services, "m1", "ES", at, route="Western Mediterranean Route")
    assert _months(services, "es-caseworker") == [
        ("2026-10", "Western African Route", 1),
        ("2026-11", "Western Mediterranean Route", 1),
    ]


def test_since_takes_the_local_months_from_that_month_on(services):
    # 00:30 on 1 November in Athens: of November, though 31 October in UTC
    _encounter(services, "a", "EL", datetime(2026, 10, 31, 22, 30, tzinfo=UTC))
    _encounter(services, "b", "EL", datetime(2026, 10, 30, 10, 0, tzinfo=UTC))
    assert _months(services, "el-caseworker", since=date(2026, 11, 15)) == [("2026-11", EMR, 1)]
    assert _months(services, "el-caseworker", since=date(2026, 10, 1)) == [
        ("2026-10", EMR, 1),
        ("2026-11", EMR, 1),
    ]


def test_arrivals_registered_by_a_day_are_those_of_that_day_or_before_where_they_happened(services):
    # happened and recorded at 00:30 on 1 December in Athens: not registered by 30 November
    _encounter(services, "late", "EL", datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    # happened at 23:00 on 30 November in Athens, recorded at 00:10 on 1 December there: not by 30 November
    _encounter(
        services,
        "rec",
        "EL",
        datetime(2026, 11, 30, 21, 0, tzinfo=UTC),
        created=datetime(2026, 11, 30, 22, 10, tzinfo=UTC),
    )
    # 23:00 on 30 November in Athens, recorded then
    _encounter(services, "in", "EL", datetime(2026, 11, 30, 21, 0, tzinfo=UTC))
    # Lisbon keeps UTC in winter: 23:30 UTC is still 30 November there
    _encounter(
        services, "pt", "PT", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), route="Western African Route"
    )
    with services.engine.connect() as conn:
        assert indicators.compute(conn, "registrations", date(2026, 11, 30), "EL") == 1
        assert indicators.compute(conn, "registrations", date(2026, 12, 1), "EL") == 3
        assert indicators.compute(conn, "registrations", date(2026, 11, 30), "PT") == 1
        assert indicators.compute(conn, "registrations", date(2026, 11, 30)) == 2
        assert indicators.compute(conn, "registrations", date(2026, 11, 29)) == 0


@pytest.mark.postgres
def test_on_postgresql_too_the_athens_arrival_after_midnight_is_of_december(pg_services):
    _encounter(pg_services, "e1", "EL", datetime(2026, 11, 30, 22, 30, tzinfo=UTC), zone="Europe/Athens")
    _encounter(pg_services, "e2", "EL", datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    _encounter(pg_services, "e3", "EL", datetime(2026, 11, 30, 21, 30, tzinfo=UTC))
    _encounter(
        pg_services,
        "c1",
        "ES",
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
        route="Western African Route",
        zone="Atlantic/Canary",
    )
    assert _months(pg_services, "el-caseworker") == [("2026-11", EMR, 1), ("2026-12", EMR, 2)]
    assert _months(pg_services, "es-caseworker") == [("2026-10", "Western African Route", 1)]
    assert _months(pg_services, "el-caseworker", since=date(2026, 12, 1)) == [("2026-12", EMR, 2)]
    with pg_services.engine.connect() as conn:
        assert indicators.compute(conn, "registrations", date(2026, 11, 30), "EL") == 1
        assert indicators.compute(conn, "registrations", date(2026, 12, 1), "EL") == 3


def test_the_person_page_says_a_storage_period_ended_once_its_last_day_is_over_in_the_state(
    services, client, auth_headers, web_client
):
    """Greece's data kept until 28 November: at 22:30 UTC on 28 November it is 00:30 on 29 November
    in Athens, the last day is over there and the page says so (it read the UTC day before)."""
    from sqlalchemy import update

    from pactum.store.tables.registry import eurodac_records

    arrival = {
        "identity": {
            "given_names": "Samir",
            "surname": "Haddad",
            "sex": "M",
            "date_of_birth": "1995-03-04",
            "nationality": "SYR",
        },
        "encounter": {
            "member_state": "EL",
            "occurred_at": "2026-11-20T06:00:00Z",
            "kind": "irregular_crossing",
        },
        "biometrics": {"captured_at": "2026-11-20T08:00:00Z", "transmitted_at": "2026-11-20T09:00:00Z"},
    }
    r = client.post("/api/v1/registry/arrivals", json=arrival, headers=auth_headers("el-caseworker"))
    assert r.status_code == 201, r.text
    person = r.json()["person_id"]
    with services.engine.begin() as conn:
        conn.execute(
            update(eurodac_records)
            .where(eurodac_records.c.member_state == "EL")
            .values(retention_until=date(2026, 11, 28))
        )
    ended = "retention period ended"
    services.clock.set(datetime(2026, 11, 28, 21, 30, tzinfo=UTC))  # 23:30 in Athens: the last day
    assert ended not in web_client("el-caseworker").get(f"/registry/persons/{person}").text
    services.clock.set(datetime(2026, 11, 28, 22, 30, tzinfo=UTC))  # 00:30 on 29 November in Athens
    assert ended in web_client("el-caseworker").get(f"/registry/persons/{person}").text

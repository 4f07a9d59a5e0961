"""The platform's own figures in situational awareness count an encounter on the day it happened
where it happened, not on its UTC day (pactum.registry.local_time): an arrival at 00:30 on 1
November in Athens (22:30 UTC on 31 October) is one of November, in the monthly figures, the
early-warning rules fed by them, and in the week of the weekly report; and an arrival at the border
or at sea whose route was not recorded is "Route not recorded", not "Inland (no route)", which is
for encounters inside the territory (illegal stay, in-territory applications)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.services.awareness import analytics
from pactum.services.awareness import report as weekly
from pactum.store.tables.awareness import awareness_monthly
from pactum.store.tables.registry import encounters, identity_records, persons

CREATED = datetime(2026, 11, 25, tzinfo=UTC)
EMR, CMR = "Eastern Mediterranean Route", "Central Mediterranean Route"


def _people(conn, ids):
    for iid in ids:
        conn.execute(insert(persons).values(id="p" + iid, member_state="EL", created_at=CREATED, version=1))
        conn.execute(
            insert(identity_records).values(
                id=iid,
                person_id="p" + iid,
                member_state="EL",
                recorded_on=date(2026, 9, 1),
                category="applicant",
                nationality="SYR",
                date_of_birth="1990",
                created_at=CREATED,
                version=1,
            )
        )


def _encounters(services, rows):
    """rows: (id, state, moment in UTC, route, kind, time zone or None, recorded at or None)."""
    with services.engine.begin() as conn:
        _people(conn, [f"i{r[0]}" for r in rows])
        for eid, ms, at, route, kind, zone, created in rows:
            conn.execute(
                insert(encounters).values(
                    id=eid,
                    person_id=f"pi{eid}",
                    identity_record_id=f"i{eid}",
                    member_state=ms,
                    occurred_at=at,
                    route=route,
                    kind=kind,
                    time_zone=zone,
                    created_at=created or CREATED,
                )
            )


def _monthly(services):
    with services.engine.connect() as conn:
        rows = conn.execute(
            select(
                awareness_monthly.c.month,
                awareness_monthly.c.route,
                awareness_monthly.c.member_state,
                awareness_monthly.c.kind,
                awareness_monthly.c.border_type,
                awareness_monthly.c.encounters,
            )
        ).all()
    return sorted(tuple(r) for r in rows)


MONTH_TURN = [
    # 00:30 on 1 November in Athens (no zone recorded: the capital's clock, UTC+2 in winter)
    ("athens", "EL", datetime(2026, 10, 31, 22, 30, tzinfo=UTC), EMR, "irregular_crossing", None, None),
    # 22:00 on 31 October in Guadeloupe (UTC-4), recorded with its zone: an October arrival
    (
        "guadeloupe",
        "FR",
        datetime(2026, 11, 1, 2, tzinfo=UTC),
        None,
        "irregular_crossing",
        "America/Guadeloupe",
        None,
    ),
    # a disembarkation whose route was not recorded, and an illegal stay found inland, in Rome
    ("sar", "IT", datetime(2026, 11, 10, 9, tzinfo=UTC), None, "sar_disembarkation", None, None),
    ("inland", "IT", datetime(2026, 11, 11, 9, tzinfo=UTC), None, "illegal_stay", None, None),
]
EXPECTED = [
    ("2026-10", "Route not recorded", "FR", "irregular_crossing", "Land", 1),
    ("2026-11", EMR, "EL", "irregular_crossing", "Land", 1),
    ("2026-11", "Inland (no route)", "IT", "illegal_stay", "Inland", 1),
    ("2026-11", "Route not recorded", "IT", "sar_disembarkation", "Sea", 1),
]


def _check_month_turn(services):
    _encounters(services, MONTH_TURN)
    awareness.refresh(services, SYSTEM, full=True)
    # was: the Athens arrival in October and the Guadeloupe one in November (UTC months), and the
    # disembarkation counted as "Inland (no route)"
    assert _monthly(services) == EXPECTED
    with services.engine.connect() as conn:
        duck = sorted(
            (r["month"], r["route"], r["member_state"], r["kind"], r["border_type"], r["encounters"])
            for r in analytics.duckdb_monthly(conn, date(2026, 11, 28))
        )
    assert duck == EXPECTED


def test_monthly_figures_count_the_local_month_on_sqlite_and_duckdb(services):
    _check_month_turn(services)


@pytest.mark.postgres
def test_monthly_figures_count_the_local_month_on_postgres(pg_services):
    _check_month_turn(pg_services)


def test_incremental_refresh_takes_in_a_late_arrival_of_the_first_local_hours_of_an_open_month(services):
    """The incremental refresh recounts from the month before the latest: a late registration of
    00:30 on 1 October in Athens (21:30 UTC on 30 September) is October's, which it recounts; the
    refresh that read only the moments from 1 October 00:00 UTC on left it out."""
    _encounters(
        services, [("nov", "EL", datetime(2026, 11, 5, 9, tzinfo=UTC), EMR, "irregular_crossing", None, None)]
    )
    awareness.refresh(services, SYSTEM, full=True)
    _encounters(
        services,
        [("late", "EL", datetime(2026, 9, 30, 21, 30, tzinfo=UTC), EMR, "irregular_crossing", None, None)],
    )
    awareness.refresh(services, SYSTEM)
    incremental = _monthly(services)
    assert ("2026-10", EMR, "EL", "irregular_crossing", "Land", 1) in incremental
    awareness.refresh(services, SYSTEM, full=True)
    assert _monthly(services) == incremental


def test_dashboard_api_web_and_cli_tell_inland_from_route_not_recorded(
    services, client, auth_headers, web_client, monkeypatch
):
    _encounters(services, MONTH_TURN)
    awareness.refresh(services, SYSTEM, full=True)
    dash = client.get("/api/v1/awareness/dashboard", headers=auth_headers("frontex-analyst")).json()
    # was 3 under "Inland (no route)": the Guadeloupe crossing and the disembarkation with it
    assert dash["platform_no_route"] == {"label": "Inland (no route)", "total": 1}
    assert dash["platform_route_not_recorded"] == {"label": "Route not recorded", "total": 2}
    assert next(r for r in dash["routes"] if r["route"] == EMR)["platform"]["total"] == 1
    page = web_client("frontex-analyst").get("/awareness").text
    assert (
        "inside the territory with no route (Inland (no route): illegal stay, in-territory applications): 1"
        in page
    )
    assert "whose route was not recorded (Route not recorded:" in page and "not inland): 2" in page
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", "frontex-analyst")
    out = CliRunner().invoke(app, ["awareness", "dashboard", "--format", "table"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "Inland (no route) (inside the territory: illegal stay, in-territory applications): 1" in text
    assert (
        "Route not recorded (arrivals at the border or at sea whose route was not recorded, not inland): 2"
        in text
    )
    as_json = json.loads(CliRunner().invoke(app, ["awareness", "dashboard"]).output)
    assert as_json["platform_route_not_recorded"]["total"] == 2
    # the alerts can be listed by either series
    r = client.get(
        "/api/v1/awareness/alerts",
        params={"route": "Route not recorded"},
        headers=auth_headers("frontex-analyst"),
    )
    assert r.status_code == 200 and r.json() == []


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


# 2026-W47 is Monday 16 to Sunday 22 November: (id, state, moment, route, kind, zone, recorded at)
WEEK = [
    # Monday 16 November, 00:30 and 01:15 in Athens (Sunday 15th in UTC): the week's
    ("first", "EL", _utc(2026, 11, 15, 22, 30), EMR, "irregular_crossing", None, _utc(2026, 11, 16, 8)),
    ("second", "EL", _utc(2026, 11, 15, 23, 15), EMR, "irregular_crossing", None, _utc(2026, 11, 16, 8)),
    # Monday 23 November, 00:30 in Athens (22:30 UTC on Sunday 22nd): the next week's
    ("next", "EL", _utc(2026, 11, 22, 22, 30), EMR, "irregular_crossing", None, _utc(2026, 11, 22, 23)),
    # Sunday 22 November, 22:00 in Guadeloupe (02:00 UTC on Monday 23rd), route not recorded,
    # recorded at 23:00 there: the week's, and recorded by its end where it happened
    (
        "antilles",
        "FR",
        _utc(2026, 11, 23, 2),
        None,
        "irregular_crossing",
        "America/Guadeloupe",
        _utc(2026, 11, 23, 3),
    ),
    # an illegal stay in Rome on Wednesday 18 November
    ("rome", "IT", _utc(2026, 11, 18, 10), None, "illegal_stay", None, _utc(2026, 11, 18, 11)),
    # Sunday 22 November, 23:30 at Lampedusa, recorded at 00:10 on Monday there (23:10 UTC on
    # Sunday): the week's, but recorded only after its end where it happened
    (
        "lampedusa",
        "IT",
        _utc(2026, 11, 22, 22, 30),
        CMR,
        "sar_disembarkation",
        None,
        _utc(2026, 11, 22, 23, 10),
    ),
]


def _check_week(platform):
    # was 1 on the route (the next week's arrival, not the two of its Monday), the Guadeloupe
    # arrival left out, and the Lampedusa one counted as recorded in the week
    assert platform["by_route"][EMR] == 2 and platform["by_route"][CMR] == 0
    assert platform["by_route"]["Route not recorded"] == 1 and platform["by_route"]["Inland (no route)"] == 1
    assert platform["total"] == 4 and platform["recorded_after_week"] == 1


def test_the_weekly_report_counts_the_week_of_each_encounters_local_day(services, client, auth_headers):
    _encounters(services, WEEK)
    rep = client.get("/api/v1/awareness/reports/2026-W47", headers=auth_headers("com-analyst")).json()
    _check_week(rep["platform"])
    body = " ".join(weekly.render_html(rep).split())
    assert "1 was inland, with no route" in body
    assert "1 was an arrival at the border or at sea whose route was not recorded" in body


@pytest.mark.postgres
def test_the_weekly_report_counts_local_days_on_postgres(pg_services):
    _encounters(pg_services, WEEK)
    _check_week(weekly.build(pg_services, SYSTEM, "2026-W47")["platform"])


def test_platform_alerts_wait_for_the_month_to_end_on_every_clock_they_count():
    from pactum.services.awareness.service import platform_today

    at = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 December in Athens
    assert platform_today(at, "EL") == date(2026, 12, 1)  # November is over for Greece's encounters
    assert platform_today(at, "PT") == date(2026, 11, 30)  # not in Lisbon
    assert platform_today(at, None) == date(2026, 11, 30)
    # Guadeloupe is four hours behind UTC: every state's November ends there last
    assert platform_today(datetime(2026, 12, 1, 2, tzinfo=UTC), None) == date(2026, 11, 30)
    assert platform_today(datetime(2026, 12, 1, 2, tzinfo=UTC), "IT") == date(2026, 12, 1)


def test_a_states_analyst_gets_the_alert_on_the_month_just_over_in_the_state(services):
    from pactum.services.auth import Principal, Role

    rows = []
    for month, n in (("07", 10), ("08", 10), ("09", 10), ("10", 10), ("11", 60)):
        for i in range(n):
            rows.append(
                (
                    f"e{month}{i}",
                    "EL",
                    datetime(2026, int(month), 10, 9, tzinfo=UTC),
                    EMR,
                    "irregular_crossing",
                    None,
                    None,
                )
            )
    _encounters(services, rows)
    awareness.refresh(services, SYSTEM, full=True)
    el = Principal("u-el", "el-analyst", "EL", frozenset({Role.analyst}))
    services.clock.set(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))  # 1 December, 00:30 in Athens
    alerts = awareness.evaluate_alerts(services, el, awareness_settings())
    # was none: November was not over in UTC, so October (no rise) was checked
    assert [(a.source, a.route, a.month) for a in alerts] == [("platform:EL", EMR, "2026-11")]


def awareness_settings():
    from pactum.awareness.alerts import AlertSettings

    return AlertSettings(min_volume=20)

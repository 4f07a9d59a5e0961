"""Weekly report and dashboard over many encounter events (default 10,000,000) on SQLite.

Usage: .venv/bin/python bench/awareness/scale.py [--events 10000000] [--identities 2000000]
       [--db var/bench/awareness_scale.db] [--reuse]
Writes bench/results/awareness_scale.json. Figures:
- generate: bulk load of persons, identity records and encounters (not a target);
- full_refresh_sql: the monthly aggregation over every encounter, on the store (baseline);
- duckdb_aggregation: the same SQL on DuckDB over an extract of the store (comparison);
- incremental_refresh: re-aggregating the open months only (what the report and job do);
- report_build / report_write: the weekly report's content, then its HTML + PDF;
- dashboard_service / dashboard_api: median of 5 calls, reading awareness_monthly;
- dashboard_baseline_raw_groupby: the route x month GROUP BY over raw encounters it replaces.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pactum.common.clock import FixedClock
from pactum.common.routes import ROUTES
from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.services.awareness import analytics
from pactum.services.awareness import report as weekly
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.migrate import upgrade

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
START = datetime(2021, 1, 1, tzinfo=UTC)
NATS = ["SYR", "AFG", "BGD", "TUN", "EGY", "GIN", "MLI", "SEN", "MAR", "DZA", "ERI", "PAK", "TUR", "IRQ", "CIV"]
WEIGHTS = {"Central Mediterranean Route": 30, "Eastern Mediterranean Route": 20, "Western Balkan Route": 18,
           "Western African Route": 12, "Western Mediterranean Route": 8, "Eastern Borders Route": 5,
           "Circular Route from Albania to Greece": 3, "Black Sea Route": 1, "Other": 3}
KINDS = ["irregular_crossing", "sar_disembarkation", "border_crossing_point_application", "illegal_stay",
         "in_territory_application"]


def timed(fn, *a, **k):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*a, **k)
    return out, round(time.perf_counter() - t, 3)


def generate(path: Path, events: int, identities: int, seed: int = 9) -> None:
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    created = NOW.strftime("%Y-%m-%d %H:%M:%S.000000")
    routes = list(WEIGHTS)
    weights = [WEIGHTS[r] for r in routes]
    batch = 200_000
    for lo in range(0, identities, batch):
        n = min(batch, identities - lo)
        people, ids = [], []
        for i in range(lo, lo + n):
            ms = "IT"
            people.append((f"per_{i:012d}", ms, created, 1))
            year = rng.randint(1960, 2024)
            ids.append((f"idr_{i:012d}", f"per_{i:012d}", ms, "2025-01-01", "applicant", str(year),
                        rng.choice(NATS), created, 1))
        con.executemany("INSERT INTO persons (id, member_state, created_at, version) VALUES (?,?,?,?)", people)
        con.executemany(
            "INSERT INTO identity_records (id, person_id, member_state, recorded_on, category, date_of_birth,"
            " nationality, created_at, version) VALUES (?,?,?,?,?,?,?,?,?)", ids)
        con.commit()
    span = (NOW - START).total_seconds()
    for lo in range(0, events, batch):
        n = min(batch, events - lo)
        rows = []
        chosen = rng.choices(routes, weights, k=n)
        for j in range(n):
            i = lo + j
            route = chosen[j]
            at = START + timedelta(seconds=rng.random() * span)
            rows.append((f"enc_{i:012d}", f"per_{i % identities:012d}", f"idr_{i % identities:012d}",
                         rng.choice(ROUTES[route]), at.strftime("%Y-%m-%d %H:%M:%S.%f"), route,
                         rng.choice(KINDS), created))
        con.executemany(
            "INSERT INTO encounters (id, person_id, identity_record_id, member_state, occurred_at, route, kind,"
            " created_at) VALUES (?,?,?,?,?,?,?,?)", rows)
        con.commit()
    con.execute("ANALYZE")
    con.commit()
    con.close()


def generate_sql(path: Path, events: int, identities: int) -> None:
    """The same world generated inside SQLite (recursive CTE, random()): fast enough for 10M rows."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    created = NOW.strftime("%Y-%m-%d %H:%M:%S.000000")
    nat_case = "CASE abs(random()) % {} {} END".format(
        len(NATS), " ".join(f"WHEN {i} THEN '{n}'" for i, n in enumerate(NATS)))
    con.execute(f"""
        INSERT INTO persons (id, member_state, created_at, version)
        WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < {identities - 1})
        SELECT printf('per_%012d', i), 'IT', '{created}', 1 FROM c""")
    con.execute(f"""
        INSERT INTO identity_records (id, person_id, member_state, recorded_on, category, date_of_birth,
                                      nationality, created_at, version)
        WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < {identities - 1})
        SELECT printf('idr_%012d', i), printf('per_%012d', i), 'IT', '2025-01-01', 'applicant',
               CAST(1960 + abs(random()) % 65 AS TEXT), {nat_case}, '{created}', 1 FROM c""")
    con.commit()
    # cumulative route weights out of 100
    cum, bounds = 0, []
    for route, w in WEIGHTS.items():
        cum += w
        bounds.append((cum, route))
    total = cum
    route_case = "CASE " + " ".join(f"WHEN r < {b} THEN '{rt}'" for b, rt in bounds) + " END"
    ms_case = "CASE route " + " ".join(f"WHEN '{rt}' THEN '{ROUTES[rt][0]}'" for rt in WEIGHTS) + " END"
    kind_case = "CASE abs(random()) % 5 " + " ".join(f"WHEN {i} THEN '{k}'" for i, k in enumerate(KINDS)) + " END"
    t0, span = int(START.timestamp()), int((NOW - START).total_seconds())
    batch = 1_000_000
    for lo in range(0, events, batch):
        hi = min(events, lo + batch) - 1
        con.execute(f"""
            INSERT INTO encounters (id, person_id, identity_record_id, member_state, occurred_at, route, kind, created_at)
            SELECT id, pid, iid, {ms_case}, at, route, kind, '{created}' FROM (
              SELECT printf('enc_%012d', i) AS id, printf('per_%012d', i % {identities}) AS pid,
                     printf('idr_%012d', i % {identities}) AS iid,
                     datetime({t0} + abs(random()) % {span}, 'unixepoch') || '.000000' AS at,
                     {route_case} AS route, {kind_case} AS kind
              FROM (WITH RECURSIVE c(i) AS (SELECT {lo} UNION ALL SELECT i + 1 FROM c WHERE i < {hi})
                    SELECT i, abs(random()) % {total} AS r FROM c))""")
        con.commit()
    con.execute("ANALYZE")
    con.commit()
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--identities", type=int, default=2_000_000)
    ap.add_argument("--db", default="var/bench/awareness_scale.db")
    ap.add_argument("--reuse", action="store_true", help="reuse an existing generated database")
    ap.add_argument("--skip-duckdb", action="store_true")
    ap.add_argument("--python-generate", action="store_true", help="generate rows in Python (slow)")
    ap.add_argument("--report-only", action="store_true", help="with --reuse: measure only the weekly report")
    args = ap.parse_args()
    path = Path(args.db)
    path.parent.mkdir(parents=True, exist_ok=True)
    res: dict[str, object] = {"events": args.events, "identities": args.identities}
    services = Services(settings=Settings(database_url=f"sqlite:///{path}", var_dir=path.parent), clock=FixedClock(NOW))
    if not (args.reuse and path.exists()):
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        upgrade(services.engine)
        gen = generate if args.python_generate else generate_sql
        _, res["generate_s"] = timed(gen, path, args.events, args.identities)
    if args.report_only:
        rep, res["report_build_first_s"] = timed(weekly.build, services, SYSTEM, "2026-W47")
        rep, res["report_build_s"] = timed(weekly.build, services, SYSTEM, "2026-W47")
        res["report_week_encounters"] = rep["platform"]["total"]
        _, res["report_write_first_s"] = timed(weekly.write, rep, path.parent / "report")
        _, res["report_write_html_pdf_s"] = timed(weekly.write, rep, path.parent / "report")
        res["machine"] = f"{os.cpu_count()} cores, shared with other engineers' work (load {os.getloadavg()[0]:.1f})"
        Path(f"bench/results/awareness_scale_{args.events}_report.json").write_text(json.dumps(res, indent=2))
        print(json.dumps(res, indent=2))
        return
    res["full_refresh_sql_s"] = timed(awareness.refresh, services, SYSTEM, full=True)[1]
    if not args.skip_duckdb:
        with services.engine.connect() as conn:
            rows, res["duckdb_aggregation_s"] = timed(analytics.duckdb_monthly, conn, NOW.date())
        res["duckdb_rows"] = len(rows)
    res["incremental_refresh_s"] = timed(awareness.refresh, services, SYSTEM)[1]
    # the report reads encounters of the week directly (route/time index), not the aggregate;
    # first build in this process pays the imports of every area's services (indicators)
    rep, res["report_build_first_s"] = timed(weekly.build, services, SYSTEM, "2026-W47")
    rep, res["report_build_s"] = timed(weekly.build, services, SYSTEM, "2026-W47")
    res["report_week_encounters"] = rep["platform"]["total"]
    _, res["report_write_first_s"] = timed(weekly.write, rep, path.parent / "report")
    _, res["report_write_html_pdf_s"] = timed(weekly.write, rep, path.parent / "report")
    res["report_total_warm_s"] = round(res["report_build_s"] + res["report_write_html_pdf_s"], 3)  # type: ignore[operator]
    res["report_total_cold_s"] = round(res["report_build_first_s"] + res["report_write_first_s"], 3)  # type: ignore[operator]
    dash = [timed(awareness.dashboard, services, SYSTEM)[1] for _ in range(5)]
    res["dashboard_service_median_s"] = statistics.median(dash)
    from fastapi.testclient import TestClient
    from sqlalchemy import select as sa_select

    from pactum.api.app import create_app
    from pactum.services import users
    from pactum.services.auth import Principal, Role
    from pactum.store.tables.platform import users as users_table

    with services.engine.connect() as conn:
        row = conn.execute(sa_select(users_table).where(users_table.c.username == "bench-analyst")).first()
    if row is None:
        users.create_user(services, SYSTEM, users.UserCreate(
            username="bench-analyst", full_name="Bench analyst", authority="FRONTEX", roles=[Role.analyst],
            password="Quiet harbour 4127 lanterns"))
        with services.engine.connect() as conn:
            row = conn.execute(sa_select(users_table).where(users_table.c.username == "bench-analyst")).first()
    assert row is not None
    analyst = Principal(row.id, row.username, row.authority, frozenset({Role.analyst}))
    token = users.open_session(services, analyst, "api")
    with TestClient(create_app(services)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        api = []
        for _ in range(5):
            t = time.perf_counter()
            r = client.get("/api/v1/awareness/dashboard", headers=headers)
            api.append(round(time.perf_counter() - t, 3))
        res["dashboard_api_status"] = r.status_code
        res["dashboard_api_median_s"] = statistics.median(api)
    from sqlalchemy import text

    with services.engine.connect() as conn:
        sql = "SELECT route, strftime('%Y-%m', occurred_at) AS m, COUNT(*) FROM encounters GROUP BY 1, 2"
        res["dashboard_baseline_raw_groupby_s"] = timed(lambda: conn.execute(text(sql)).fetchall())[1]
    res["machine"] = f"{os.cpu_count()} cores, {platform.machine()}, shared with other engineers' work (load {os.getloadavg()[0]:.1f})"
    out = Path(f"bench/results/awareness_scale_{args.events}.json")
    out.write_text(json.dumps(res, indent=2))
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()

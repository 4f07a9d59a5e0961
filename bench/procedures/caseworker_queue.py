"""Benchmark: a caseworker's queue of 5,000 open cases, sorted by next legal deadline and filtered,
rendered as the web page, with 1,000,000 asylum cases in PostgreSQL.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/procedures/caseworker_queue.py \
        --cases 1000000 --queue 5000 --runs 40

Creates a scratch database (``pactum_bench_procedures_<pid>``) on the PostgreSQL server of
``PACTUM_BENCH_PG_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), migrates
it, fills persons, their identity records (a name each; one person in ten with a later record
giving another surname) and cases with ``INSERT ... SELECT generate_series`` (27 states, 200
caseworkers per state, one benchmark caseworker holding ``--queue`` open cases), runs ``VACUUM
ANALYZE``, then times:

- ``service``: ``pactum.services.procedures.queue(mine=True, limit=5000)`` (the SQL and row mapping);
- ``page``: ``GET /procedures?mine=true&limit=5000`` through the FastAPI app (query, count, render),
  and the default first page of 200 rows with the total of the whole queue;
- ``page_filtered``: the same page filtered to the border procedure and to overdue cases;
- ``baseline_sql``: the bare ``SELECT`` of the same rows with ``ORDER BY next_deadline`` (psycopg).

Each figure: median, p90 and p95 (nearest rank) of ``--runs`` wall-clock timings after a warm-up,
and the process CPU time per call (median, p95). Before timing, the whole-queue page is checked to
hold every case in deadline order and, with code that names the applicant (``person_name`` in the
service's rows), each applicant's latest name in their case's row.

Writes ``bench/results/procedures_queue.json`` (``--out NAME`` for another name) and drops the
scratch database.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import create_engine, text

from pactum.api.app import create_app
from pactum.api.deps import SESSION_COOKIE
from pactum.common.clock import FixedClock
from pactum.common.states import EU_MEMBER_STATES
from pactum.services import procedures, users
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade

ADMIN_URL = os.environ.get("PACTUM_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TODAY = date(2026, 11, 28)
STATES = [s for s in EU_MEMBER_STATES if s != "DK"]
GIVEN = ["Ahmad", "Mohammed", "Fatima", "Aisha", "Omar", "Yusuf", "Amina", "Hassan", "Ali", "Mariam",
         "Abdul", "Khadija", "Ibrahim", "Zainab", "Mustafa", "Samira", "Karim", "Leila", "Tariq",
         "Nadia", "Bilal", "Hana", "Rahim", "Salma", "Faisal", "Noor", "Jamal", "Rania", "Idris",
         "Yasmin", "Daniel", "Maria", "José", "Ana", "Luis", "Gabriela", "Mehmet", "Ayşe", "Tesfay",
         "Selam"]
GIVEN_ARABIC = ["أحمد", "محمد", "فاطمة", "عائشة", "عمر", "يوسف", "أمينة", "حسن", "علي", "مريم"]
SURNAMES = ["Al-Hassan", "Rahimi", "Uddin", "Khan", "Yilmaz", "Haile", "Ahmadi", "Hossain", "Mansour",
            "Karimi", "Noori", "Rahman", "Haddad", "Saleh", "Osman", "Tesfaye", "Mohammadi", "Qureshi",
            "Demir", "Kaya", "Barakat", "Nasser", "Hamdan", "Aziz", "Jalloh", "Diallo", "Traoré",
            "Bangura", "Kamara", "Sesay", "Gómez", "Rodríguez", "Pérez", "García", "Hernández",
            "D'Souza", "Mensah", "Abebe", "Girma", "Ben Ali", "Trabelsi", "Jaziri", "Sharif", "Malik",
            "Butt", "Chaudhry", "Awan", "Popal", "Stanekzai", "Wardak", "Safi", "Hotak", "Sultani",
            "Zaman", "Farah", "Warsame", "Abdi", "Hussein", "El-Masri", "Abdallah"]


def _array(names: list[str]) -> str:
    """A PostgreSQL array literal of the names (quotes doubled)."""
    return "ARRAY[" + ",".join("'" + n.replace("'", "''") + "'" for n in names) + "]"


def fill(engine_url: str, n_cases: int, n_queue: int) -> float:
    """Persons and cases generated in SQL; returns the seconds it took."""
    t0 = time.perf_counter()
    eng = create_engine(engine_url)
    states = "ARRAY[" + ",".join(f"'{s}'" for s in STATES) + "]"
    with eng.begin() as c:
        c.execute(text(f"""
            INSERT INTO persons (id, member_state, created_at, version)
            SELECT 'per_b' || g, ({states})[1 + (g % {len(STATES)})], now(), 1
            FROM generate_series(1, :n) g"""), {"n": n_cases})
        # each person's identity record with a name (Latin script, a third also in Arabic
        # script) and, for one person in ten of each state, a later record with another surname
        # (a correction): the queue names the applicant from the latest record, as the case page
        # does
        given, surnames, native = _array(GIVEN), _array(SURNAMES), _array(GIVEN_ARABIC)
        c.execute(text(f"""
            INSERT INTO identity_records (id, person_id, member_state, recorded_on, category,
                given_names, surname, given_names_latin, surname_latin, sex, date_of_birth,
                nationality, created_at, version)
            SELECT 'idr_b' || g, 'per_b' || g, ({states})[1 + (g % {len(STATES)})],
                   DATE '2025-01-01' + (g % 690), 'applicant',
                   CASE WHEN g % 3 = 0 THEN ({native})[1 + (g % {len(GIVEN_ARABIC)})]
                        ELSE ({given})[1 + (g % {len(GIVEN)})] END,
                   ({surnames})[1 + ((g / {len(GIVEN)}) % {len(SURNAMES)})],
                   ({given})[1 + (g % {len(GIVEN)})],
                   ({surnames})[1 + ((g / {len(GIVEN)}) % {len(SURNAMES)})],
                   CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END,
                   (1960 + g % 45)::text || '-0' || (1 + g % 9)::text || '-1' || (g % 9)::text,
                   (ARRAY['SYR','AFG','BGD','PAK','TUR','VEN','COL','EGY','TUN','ERI'])[1 + (g % 10)],
                   now(), 1
            FROM generate_series(1, :n) g"""), {"n": n_cases})
        c.execute(text(f"""
            INSERT INTO identity_records (id, person_id, member_state, recorded_on, category,
                given_names, surname, given_names_latin, surname_latin, created_at, version)
            SELECT 'idr_c' || g, 'per_b' || g, ({states})[1 + (g % {len(STATES)})],
                   DATE '2025-01-01' + (g % 690) + 30, 'applicant',
                   ({given})[1 + (g % {len(GIVEN)})], ({surnames})[1 + ((g / {len(GIVEN)} + 7) % {len(SURNAMES)})],
                   ({given})[1 + (g % {len(GIVEN)})], ({surnames})[1 + ((g / {len(GIVEN)} + 7) % {len(SURNAMES)})],
                   now(), 1
            FROM generate_series(1, :n) g WHERE (g / {len(STATES)}) % 10 = 0"""), {"n": n_cases})
        # the benchmark caseworker's cases are the first n_queue persons of Italy-bound rows:
        # assignment by g; states by g modulo, so make the queue cases explicit below
        c.execute(text(f"""
            INSERT INTO asylum_applications (id, member_state, person_id, nationality, context,
                unaccompanied_minor, procedure, routing_mandatory, routing_grounds, routing, state,
                made_on, registered_on, lodged_on, next_deadline, next_deadline_kind, assigned_to,
                closed, created_at, version)
            SELECT 'asy_b' || g,
                   ({states})[1 + (g % {len(STATES)})],
                   'per_b' || g,
                   (ARRAY['SYR','AFG','BGD','PAK','TUR','VEN','COL','EGY','TUN','ERI'])[1 + (g % 10)],
                   (ARRAY['sar_disembarkation','in_territory','apprehended_at_external_border'])[1 + (g % 3)],
                   (g % 50) = 0,
                   (ARRAY['regular','regular','border','accelerated','admissibility'])[1 + (g % 5)],
                   (g % 5) = 2,
                   '[]', '{{}}',
                   CASE WHEN g % 4 = 0 THEN 'final' WHEN g % 4 = 1 THEN 'lodged'
                        WHEN g % 4 = 2 THEN 'interview_scheduled' ELSE 'notified' END,
                   DATE '2025-01-01' + (g % 690),
                   DATE '2025-01-02' + (g % 690),
                   DATE '2025-01-10' + (g % 690),
                   CASE WHEN g % 4 = 0 THEN NULL ELSE DATE '2025-06-01' + ((g::bigint * 7919) % 700)::int END,
                   CASE WHEN g % 4 = 0 THEN NULL ELSE 'examination_regular' END,
                   lower(({states})[1 + (g % {len(STATES)})]) || '-caseworker-' || (g % 200),
                   g % 4 = 0,
                   now(), 1
            FROM generate_series(1, :n) g"""), {"n": n_cases})
        # hand n_queue open Italian cases to the benchmark caseworker
        c.execute(text("""
            UPDATE asylum_applications SET assigned_to = 'bench-caseworker'
            WHERE id IN (SELECT id FROM asylum_applications
                         WHERE member_state = 'IT' AND closed = false ORDER BY id LIMIT :q)"""),
                  {"q": n_queue})
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        # a steady-state table: vacuumed (visibility map set, as autovacuum keeps it) and analysed
        c.execute(text("VACUUM ANALYZE persons"))
        c.execute(text("VACUUM ANALYZE identity_records"))
        c.execute(text("VACUUM ANALYZE asylum_applications"))
    eng.dispose()
    return time.perf_counter() - t0


def _pct(xs: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted ``xs``."""
    return xs[max(0, math.ceil(p * len(xs)) - 1)]


def timed(fn, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Wall-clock milliseconds of ``runs`` calls after one warm-up (plan cache, template
    compilation), and the process CPU milliseconds per call (all threads: the test client runs
    the app in its own thread), which the other engineers' load disturbs much less."""
    fn()
    xs, cpu = [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    xs.sort()
    cpu.sort()
    return {"median_ms": round(statistics.median(xs), 1), "p90_ms": round(_pct(xs, 0.90), 1),
            "p95_ms": round(_pct(xs, 0.95), 1), "min_ms": round(xs[0], 1),
            "max_ms": round(xs[-1], 1), "cpu_median_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(_pct(cpu, 0.95), 1), "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--queue", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    ap.add_argument("--out", default="procedures_queue.json", help="file name under bench/results/")
    ap.add_argument("--reuse", default="", help="time an existing scratch database (kept by --keep)")
    args = ap.parse_args()

    name = args.reuse or f"pactum_bench_procedures_{os.getpid()}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    if not args.reuse:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    tmp = Path(tempfile.mkdtemp())
    try:
        services = Services(settings=Settings(database_url=url, var_dir=tmp, argon2_time_cost=1,
                                              argon2_memory_kib=1024),
                            clock=FixedClock(datetime(2026, 11, 28, 12, tzinfo=UTC)),
                            engine_override=make_engine(url))
        if args.reuse:
            fill_s = 0.0
            upgrade(services.engine)  # migrations added since the database was generated
            with services.engine.connect() as c:
                row = c.execute(text("SELECT id FROM users WHERE username = 'bench-caseworker'")).one()
            who = Principal(row.id, "bench-caseworker", "IT", frozenset({Role.caseworker}))
        else:
            upgrade(services.engine)
            created = users.create_user(services, SYSTEM, users.UserCreate(
                username="bench-caseworker", full_name="Bench Caseworker", authority="IT",
                roles=[Role.caseworker], password="a-long-password"))
            fill_s = fill(url, args.cases, args.queue)
            who = Principal(created.id, created.username, created.authority,
                            frozenset(created.roles))
        client = TestClient(create_app(services))
        client.cookies.set(SESSION_COOKIE, users.open_session(services, who, "web"))

        rows = procedures.queue(services, who, mine=True, limit=5000)
        assert len(rows) == args.queue, len(rows)
        assert all(a["next_deadline"] <= b["next_deadline"] for a, b in itertools.pairwise(rows))

        def page(q: str) -> None:
            r = client.get(f"/procedures?{q}")
            assert r.status_code == 200, r.status_code

        # the page shows every case of the queue, in deadline order
        whole = client.get("/procedures?mine=true&limit=5000").text
        assert whole.count("<tr") == args.queue + 1, whole.count("<tr")
        ids = [r["id"] for r in rows]
        assert sorted(range(len(ids)), key=lambda i: whole.index(f'>{ids[i]}<')) == list(range(len(ids)))

        raw = create_engine(url)
        # with code that names the applicant: each row names them from their latest identity
        # record (a tenth of them corrected by a later record), on the page in the case's row
        with raw.connect() as c:
            latest: dict[str, str] = dict(c.execute(text("""
                SELECT DISTINCT ON (r.person_id) r.person_id, concat_ws(' ',
                    coalesce(nullif(r.given_names_latin, ''), nullif(r.given_names, '')),
                    coalesce(nullif(r.surname_latin, ''), nullif(r.surname, '')))
                FROM identity_records r JOIN asylum_applications a ON a.person_id = r.person_id
                WHERE a.assigned_to = 'bench-caseworker' AND NOT a.closed
                ORDER BY r.person_id, r.recorded_on DESC, r.id DESC""")).tuples().all())
            identity_records_n = c.execute(text("SELECT count(*) FROM identity_records")).scalar()
            corrected_n = c.execute(text("""
                SELECT count(DISTINCT a.person_id) FROM asylum_applications a
                JOIN identity_records r ON r.person_id = a.person_id AND r.id LIKE 'idr_c%'
                WHERE a.assigned_to = 'bench-caseworker' AND NOT a.closed""")).scalar()
        names_shown = "person_name" in rows[0]
        if names_shown:
            assert all(r["person_name"] == latest[r["person_id"]] for r in rows)
            for r in rows:
                at = whole.index(f'>{r["id"]}<')
                assert str(escape(r["person_name"])) in whole[at:whole.index("</tr>", at)], r

        def baseline() -> None:
            with raw.connect() as c:
                c.execute(text("""SELECT id, person_id, nationality, procedure, state, made_on,
                    next_deadline, next_deadline_kind, assigned_to, unaccompanied_minor,
                    routing_mandatory FROM asylum_applications
                    WHERE assigned_to = 'bench-caseworker' AND closed = false AND member_state = 'IT'
                    ORDER BY next_deadline LIMIT 5000""")).all()

        border_n = len(procedures.queue(services, who, mine=True, limit=5000, procedure="border"))
        overdue_n = len(procedures.queue(services, who, mine=True, limit=5000, overdue=True))
        result = {
            "benchmark": "procedures caseworker queue",
            "command": "bench/procedures/caseworker_queue.py " + " ".join(
                f"--{k}" if v is True else f"--{k} {v}" for k, v in vars(args).items()
                if k not in ("keep", "reuse", "out") or v),
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "load_average_at_start": os.getloadavg(),
                        "note": "2 cores shared with other engineers' tests and benchmarks"},
            "database": "PostgreSQL (127.0.0.1:5432)",
            "cases_total": args.cases, "queue_cases": args.queue,
            "border_cases_in_queue": border_n, "overdue_cases_in_queue": overdue_n,
            "fill_seconds": round(fill_s, 1), "identity_records": identity_records_n,
            "queue_persons_with_a_later_record": corrected_n,
            "queue_names_the_applicant": names_shown,
            "service_queue_5000": timed(lambda: procedures.queue(services, who, mine=True, limit=5000), args.runs),
            "service_queue_page_5000": timed(lambda: procedures.queue_page(services, who, mine=True, limit=5000), args.runs),
            "page_queue_5000": timed(lambda: page("mine=true&limit=5000"), args.runs),
            "page_first_200_of_queue": timed(lambda: page("mine=true"), args.runs),
            "page_filtered_border": timed(lambda: page("mine=true&limit=5000&procedure=border"), args.runs),
            "page_filtered_overdue": timed(lambda: page("mine=true&limit=5000&overdue=true"), args.runs),
            "page_state_queue_500": timed(lambda: page("limit=500"), args.runs),
            "baseline_sql_5000": timed(baseline, args.runs),
            "load_average_at_end": os.getloadavg(),
        }
        raw.dispose()
        services.engine.dispose()
        out = Path(__file__).resolve().parents[1] / "results" / args.out
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(result, indent=2))
    finally:
        if not args.keep and not args.reuse:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

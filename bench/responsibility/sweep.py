"""Benchmark: the Dublin deadline sweep (``pactum jobs run`` -> ``responsibility.deadlines``) over
N open requests on PostgreSQL.

    .venv/bin/python bench/responsibility/sweep.py --n 1000000

Two scenarios: ``daily`` (the job runs every day: deadlines are spread over the coming weeks and
one day's worth has just ended) and ``catch_up`` (no sweep for four months: most deadlines have
passed and are applied in one run).

Creates a scratch database next to the one in PACTUM_BENCH_PG_URL (default: the local ``test``
database's server), migrates it, loads N open requests with COPY (awaiting a reply, under
re-examination, or accepted with the transfer period running; deadlines spread over four months
around the day of the sweep), runs the job once and times it, then runs it again on the same data
as the baseline (nothing left to change: the cost of finding that out). Drops the scratch database.
Writes bench/results/responsibility_sweep_<scenario>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import text

from pactum.common.clock import FixedClock
from pactum.services import responsibility
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
ADMIN = os.environ.get("PACTUM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
TODAY = date(2026, 11, 28)
STATES = ("DE", "FR", "NL", "BE", "AT", "SE", "IT", "EL", "ES", "MT", "CY", "HR", "BG", "PL")


def load(dsn: str, n: int, seed: int, scenario: str) -> dict[str, int]:
    rng = random.Random(seed)
    cols = ("id", "case_id", "kind", "regime", "registered_on", "requesting_member_state",
            "requested_member_state", "status", "legal_basis", "evidence", "eurodac_hit",
            "detained", "unaccompanied_minor", "sent_on", "request_deadline", "late", "reply_due",
            "reexamination_due", "accepted_on", "transfer_due", "deadlines", "created_by",
            "created_at", "updated_at", "version")
    mix: dict[str, int] = {}
    now = datetime(2026, 11, 27, 12, tzinfo=UTC).isoformat()
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY dublin_requests ({', '.join(cols)}) FROM STDIN") as copy:
            for i in range(n):
                r = rng.random()
                reexam_due = accepted = transfer_due = None
                if scenario == "daily":
                    # swept every day: the deadlines still ahead, spread evenly, plus those that
                    # ended yesterday (what one daily run has to apply)
                    ahead = rng.randint(-1, 59)
                    reply_due = TODAY + timedelta(days=ahead)
                    sent = reply_due - timedelta(days=30)
                else:
                    # catch-up: no sweep for four months, most deadlines have passed
                    sent = TODAY - timedelta(days=rng.randint(0, 120))
                    reply_due = sent + timedelta(days=30)
                registered = sent - timedelta(days=rng.randint(2, 20))
                regime = "ammr" if registered > date(2026, 7, 1) else "dublin_iii"
                if r < 0.6:
                    status = "pending"
                elif r < 0.7:
                    status = "reexamination_requested"
                    reexam_due = (TODAY + timedelta(days=rng.randint(-1, 13)) if scenario == "daily"
                                  else sent + timedelta(days=rng.randint(20, 80)))
                else:
                    status = rng.choice(("accepted", "transfer_decided", "transfer_arranged"))
                    accepted = sent + timedelta(days=rng.randint(1, 30))
                    transfer_due = (TODAY + timedelta(days=rng.randint(-1, 180)) if scenario == "daily"
                                    else accepted + timedelta(days=rng.choice((7, 30, 90, 182))))
                mix[status] = mix.get(status, 0) + 1
                req, asked = rng.sample(STATES, 2)
                copy.write_row((
                    f"dbr_{uuid.UUID(int=rng.getrandbits(128)).hex[:26]}", f"dbc_{i:026d}",
                    "take_charge", regime, registered, req, asked, status, "[]", "[]",
                    True, rng.random() < 0.02, False, sent, sent, False, reply_due, reexam_due,
                    accepted, transfer_due, "{}", "bench", now, now, 1))
        conn.commit()
    return mix


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scenario", choices=("daily", "catch_up"), default="daily",
                    help="daily: deadlines spread ahead, one day's worth lapses; catch_up: four "
                         "months without a sweep, most deadlines have passed")
    args = ap.parse_args()
    name = f"pactum_bench_resp_{os.getpid()}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    dsn = ADMIN.rsplit("/", 1)[0] + f"/{name}"
    url = dsn.replace("postgresql://", "postgresql+psycopg://")
    try:
        engine = make_engine(url)
        upgrade(engine)
        t0 = time.perf_counter()
        mix = load(dsn, args.n, args.seed, args.scenario)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE dublin_requests"))
        load_s = time.perf_counter() - t0
        services = Services(settings=Settings(database_url=url), clock=FixedClock(
            datetime(2026, 11, 28, 6, tzinfo=UTC)), engine_override=engine)
        now = services.clock.now()
        t0 = time.perf_counter()
        summary = responsibility.deadlines_job(services, now)
        sweep_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = responsibility.deadlines_job(services, now)
        baseline_s = time.perf_counter() - t0
        with engine.connect() as conn:
            events = conn.execute(text("SELECT count(*) FROM dublin_request_events")).scalar()
            after = dict(conn.execute(text(
                "SELECT status, count(*) FROM dublin_requests GROUP BY status")).fetchall())
        engine.dispose()
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result = {
        "benchmark": "responsibility_sweep_postgres",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "open_requests": args.n,
        "scenario": args.scenario,
        "status_before": mix,
        "status_after": after,
        "timeline_events_written": events,
        "load_seconds_copy": round(load_s, 2),
        "sweep_seconds": round(sweep_s, 2),
        "sweep_summary": summary,
        "baseline_second_sweep_seconds": round(baseline_s, 2),
        "baseline_summary": again,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_1m": os.getloadavg()[0],
                    "note": "2 cores shared with other engineers' work running at the same time; "
                            "PostgreSQL on the same machine"},
    }
    out = ROOT / "bench" / "results" / f"responsibility_sweep_{args.scenario}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())

"""Online identity search latency against N identity records in the platform store (SQLite).

    .venv/bin/python bench/identity/online_search.py --records 1000000 --queries 1000

Loads N generated records (all Member States, all Eurodac categories) into a fresh migrated
store with their search keys, then times ``pactum.services.identity.search`` (the function behind
``POST /api/v1/identity/search``) for queries that are other records of persons in the store, as
a German caseworker. Baseline in the same run: the blocking SQL alone, without scoring.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import text

from pactum.common.clock import FixedClock
from pactum.identity.features import features
from pactum.identity.generator import Generator
from pactum.identity.schemas import SearchQuery
from pactum.services import identity
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.migrate import upgrade
from pactum.store.tables.identity import identity_search_keys
from pactum.store.tables.registry import identity_records, persons


def _flush(conn, batch_p, batch_r, batch_k) -> None:
    """Bulk insert through the driver (the bench loads a million rows; the platform's own writes
    go through the services)."""
    for table, rows in ((persons, batch_p), (identity_records, batch_r), (identity_search_keys, batch_k)):
        cols = list(rows[0])
        sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        conn.exec_driver_sql(sql, [tuple(_sql_value(r[c]) for c in cols) for r in rows])


def _sql_value(v):
    if isinstance(v, dict):
        return json.dumps(v)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return v


def load(services: Services, n: int, seed: int) -> list[dict[str, str]]:
    now = datetime(2026, 11, 28, tzinfo=UTC)
    gen = Generator(seed=seed)
    batch_p, batch_r, batch_k = [], [], []
    kept: list[dict[str, str]] = []
    rng = random.Random(seed)
    with services.engine.begin() as conn:
        for i, rec in enumerate(gen.iter_records(n)):
            row = rec.as_row(True)
            pid, rid = f"P{i:08d}", f"R{i:08d}"
            batch_p.append({"id": pid, "member_state": row["member_state"], "created_at": now, "version": 1})
            batch_r.append({"id": rid, "person_id": pid, "member_state": row["member_state"],
                            "recorded_on": date.fromisoformat(row["recorded_on"]), "category": row["category"],
                            "given_names": row["given_names"], "surname": row["surname"],
                            "given_names_latin": None, "surname_latin": None, "father_name": row["father_name"] or None,
                            "sex": row["sex"] or None, "date_of_birth": row["date_of_birth"] or None,
                            "place_of_birth": row["place_of_birth"] or None, "nationality": row["nationality"] or "XXX",
                            "document_number": row["document_number"] or None, "created_at": now, "version": 1})
            f = features(row)
            batch_k.append({"identity_record_id": rid, "member_state": row["member_state"], "names_key": f["names_key"],
                            "given_key": f["given_key"], "surname_key": f["surname_key"], "dob_year": f["dob_year"],
                            "document": f["document"], "features": f})
            if rng.random() < 0.002:
                kept.append(row)
            if len(batch_p) >= 50_000:
                _flush(conn, batch_p, batch_r, batch_k)
                batch_p, batch_r, batch_k = [], [], []
                print(f"loaded {i + 1}", flush=True)
        if batch_p:
            _flush(conn, batch_p, batch_r, batch_k)
        conn.execute(text("ANALYZE"))
    return kept


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/pactum-identity-bench.db"))
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_online_search.json"))
    args = ap.parse_args()
    if args.db.exists():
        args.db.unlink()
    services = Services(settings=Settings(database_url=f"sqlite:///{args.db}", var_dir=args.db.parent),
                        clock=FixedClock(datetime(2026, 11, 28, 12, tzinfo=UTC)))
    upgrade(services.engine)
    t0 = time.perf_counter()
    kept = load(services, args.records, seed=4)
    t_load = time.perf_counter() - t0
    officer = Principal("bench", "bench-de", "DE", frozenset({Role.caseworker}))
    rng = random.Random(5)
    queries = [rng.choice(kept) for _ in range(args.queries)]
    identity.search(services, officer, SearchQuery(surname="warm", given_names="up"))
    lat, blocked, found = [], [], 0
    for q in queries:
        body = SearchQuery(given_names=q["given_names"] or None, surname=q["surname"] or None,
                           father_name=q["father_name"] or None, date_of_birth=q["date_of_birth"] or None,
                           document_number=q["document_number"] or None, nationality=q["nationality"] or None,
                           place_of_birth=q["place_of_birth"] or None)
        if not (body.given_names or body.surname or body.document_number):
            continue
        s0 = time.perf_counter()
        res = identity.search(services, officer, body)
        lat.append((time.perf_counter() - s0) * 1000)
        blocked.append(res["blocked_rows"])
        found += bool(res["candidates"])
    base = []
    with services.engine.connect() as conn:
        for q in queries[:200]:
            f = features(q)
            b0 = time.perf_counter()
            identity._candidate_rows(conn, f, None)
            base.append((time.perf_counter() - b0) * 1000)
    out = {
        "benchmark": "identity_online_search", "records": args.records, "queries": len(lat), "store": "SQLite (file)",
        "load_s": round(t_load, 1), "p50_ms": round(float(np.percentile(lat, 50)), 2),
        "p95_ms": round(float(np.percentile(lat, 95)), 2), "p99_ms": round(float(np.percentile(lat, 99)), 2),
        "mean_blocked_rows": round(float(np.mean(blocked)), 1), "max_blocked_rows": int(max(blocked)),
        "queries_with_candidates": found,
        "baseline_blocking_sql_only": {"queries": len(base), "p50_ms": round(float(np.percentile(base, 50)), 2),
                                       "p95_ms": round(float(np.percentile(base, 95)), 2)},
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other engineers' work",
        "command": f"bench/identity/online_search.py --records {args.records} --queries {args.queries}",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

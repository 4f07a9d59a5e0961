"""Biometric 1:N search as the API runs it: the platform's index (exhaustive Hamming scan of sign-bit
codes, exact cosine re-ranking; ``pactum.services.identity.biometric_index``) over N synthetic
templates stored in a SQLite store (or a PostgreSQL database, ``--database-url``) — build from the table, save, load back from its file as a
restarted API does, then p50/p95/p99 of single queries through ``BiometricIndex.search`` (index,
then the mapping of keys to records through the table) and recall@1, with exact search (one f32
matrix-vector product over all templates per query) on a subset of the same queries as the baseline.

    # once, outside the lock (writes the store; about a minute per million templates)
    nice -n 10 .venv/bin/python bench/identity/biometric_search.py --templates 1000000 --store /tmp/bio1m.db --prepare-only
    # the measurement
    flock /tmp/pactum-bench.lock .venv/bin/python bench/identity/biometric_search.py --templates 1000000 --store /tmp/bio1m.db
    # PostgreSQL: the same with --database-url postgresql+psycopg://postgres@127.0.0.1:5432/DB

Each person is a random unit vector (128 dimensions); the enrolled template and the query are two
independent noisy captures of it (noise 0.35: mean cosine 0.89). recall@1 = share of queries whose
first hit is the same person's record. ``hamming_rank`` reports where the true template stood in
the first stage (0 = nearest by Hamming distance), i.e. how much margin the re-ranking of
``RERANK_CANDIDATES`` leaves.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, func, insert, select, text

from pactum.identity.biometrics import (
    RERANK_CANDIDATES,
    TEMPLATE_DIMENSIONS,
    SyntheticBiometrics,
    hamming_distances,
    sign_codes,
)
from pactum.services.identity import biometric_index as bi
from pactum.store.tables.identity import biometric_templates

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def _load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _pct(values: list[float]) -> dict[str, float]:
    return {f"p{p}_ms": round(float(np.percentile(values, p)), 3) for p in (50, 95, 99)}


def prepare(url: str, enrolled: np.ndarray) -> float:
    """A store (SQLite file or PostgreSQL database) holding only ``biometric_templates`` with the
    enrolled templates."""
    t0 = time.perf_counter()
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        biometric_templates.metadata.create_all(engine, tables=[biometric_templates])
    else:
        # PostgreSQL enforces the template's foreign key to its identity record; the index reads
        # biometric_templates alone, so the bench keeps the platform's tables but not that key
        biometric_templates.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE biometric_templates DROP CONSTRAINT IF EXISTS "
                              "fk_biometric_templates_identity_record_id_identity_records"))
    with engine.begin() as conn:
        have = int(conn.execute(select(func.count()).select_from(biometric_templates)).scalar() or 0)
    if have == len(enrolled):
        return 0.0
    if have:
        raise SystemExit(f"{engine.url.render_as_string()} holds {have} templates, not {len(enrolled)}: "
                         "remove them first")
    step = 50_000
    for start in range(0, len(enrolled), step):
        rows = [{"id": f"BT-{i}", "identity_record_id": f"R-{i}", "member_state": "DE", "dimensions": TEMPLATE_DIMENSIONS,
                 "vector": enrolled[i].tobytes(), "index_key": i + 1, "created_at": NOW}
                for i in range(start, min(start + step, len(enrolled)))]
        with engine.begin() as conn:
            conn.execute(insert(biometric_templates), rows)
    engine.dispose()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--templates", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--exact-queries", type=int, default=200, help="queries also answered by exact search")
    ap.add_argument("--k", type=int, default=40, help="hits asked per query (the API asks 4 x k, k=10 by default)")
    ap.add_argument("--noise", type=float, default=0.35)
    ap.add_argument("--store", type=Path, default=None, help="SQLite store to (re)use; a temporary one if absent")
    ap.add_argument("--database-url", default="",
                    help="a PostgreSQL database to hold the templates instead of the SQLite --store")
    ap.add_argument("--prepare-only", action="store_true", help="write the store and stop")
    ap.add_argument("--clients", type=int, default=2,
                    help="also run the queries from this many threads at once (each its own connection); 1: skip")
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_biometric.json"))
    args = ap.parse_args()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = _load_avg()
    bio = SyntheticBiometrics(seed=7, noise=args.noise)
    t0 = time.perf_counter()
    persons = bio.persons(args.templates)
    enrolled = bio.captures(persons, 1)
    t_gen = time.perf_counter() - t0
    tmp = tempfile.TemporaryDirectory()
    store = args.store or Path(tmp.name) / "bench.db"
    url = args.database_url or f"sqlite:///{store}"
    t_prepare = prepare(url, enrolled)
    if args.prepare_only:
        print(json.dumps({"store": url, "templates": args.templates, "prepare_s": round(t_prepare, 1)}))
        return
    rng = np.random.default_rng(3)
    who = rng.choice(args.templates, size=args.queries, replace=False)
    queries = bio.captures(persons[who], 2)
    del persons

    engine = create_engine(url)
    with engine.connect() as conn:
        path = bi.index_path(conn)
        assert path is not None
        for stale in (path, path.with_name(path.name + ".json")):
            stale.unlink(missing_ok=True)
        c0, b0 = time.process_time(), time.perf_counter()
        built = bi.BiometricIndex(path)
        built.open(conn)  # reads every template from the table, codes them, saves the file
        t_build, cpu_build = time.perf_counter() - b0, time.process_time() - c0
        assert built.origin == "built" and len(built) == args.templates, (built.origin, len(built))
        del built
        l0 = time.perf_counter()
        index = bi.BiometricIndex(path)
        index.open(conn)  # what a restarted API does: sidecar check against the store, load the file
        t_load = time.perf_counter() - l0
        assert index.origin == "loaded", index.origin
        file_mib = path.stat().st_size / 2**20

        index.search(conn, queries[0], args.k)  # warm-up
        lat, lat_index = [], []
        first = []
        for i in range(args.queries):
            q0 = time.perf_counter()
            hits = index.search(conn, queries[i], args.k)
            lat.append((time.perf_counter() - q0) * 1000)
            first.append(hits[0][0] if hits else None)
            q1 = time.perf_counter()
            index.index.nearest(queries[i], args.k)
            lat_index.append((time.perf_counter() - q1) * 1000)
        hits_at_1 = sum(rid == f"R-{w}" for rid, w in zip(first, who, strict=True))

    concurrent: dict[str, object] = {}
    if args.clients > 1:  # the API answers requests from a thread pool: queries side by side
        def client(part: int) -> tuple[list[float], int]:
            part_lat, part_hits = [], 0
            with engine.connect() as c:
                for i in range(part, args.queries, args.clients):
                    q0 = time.perf_counter()
                    hits = index.search(c, queries[i], args.k)
                    part_lat.append((time.perf_counter() - q0) * 1000)
                    part_hits += bool(hits) and hits[0][0] == f"R-{who[i]}"
            return part_lat, part_hits

        w0 = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            parts = list(pool.map(client, range(args.clients)))
        wall = time.perf_counter() - w0
        all_lat = [x for part_lat, _ in parts for x in part_lat]
        concurrent = {"clients": args.clients, **_pct(all_lat), "queries_per_s": round(args.queries / wall, 1),
                      "recall_at_1": sum(h for _, h in parts) / args.queries}

    # where the true template stood in the first stage (ties counted against it)
    arrays = index.index.arrays()
    codes, centre = arrays["codes"], arrays["centre"]
    row_of_key = arrays["keys"] - 1  # keys are 1..N in row order here
    assert np.array_equal(row_of_key, np.arange(args.templates))
    ranks = np.empty(args.queries, dtype=np.int64)
    for i in range(args.queries):
        dist = hamming_distances(codes, args.templates, sign_codes(queries[i][None, :], centre)[:, 0])
        ranks[i] = int(np.count_nonzero(dist <= dist[who[i]])) - 1

    exact_n = min(args.exact_queries, args.queries)
    exact_top = np.empty(exact_n, dtype=np.int64)
    exact_lat = []
    for i in range(exact_n):  # one query at a time, like the index
        q0 = time.perf_counter()
        exact_top[i] = int(np.argmax(enrolled @ queries[i]))
        exact_lat.append((time.perf_counter() - q0) * 1000)
    exact_hits = int((exact_top == who[:exact_n]).sum())
    agree = sum(first[i] == f"R-{exact_top[i]}" for i in range(exact_n))
    same = float(np.mean(np.sum(queries * enrolled[who], axis=1)))
    out = {
        "benchmark": "identity_biometric_search", "started_utc": started,
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": load_before, "load_average_after": _load_avg(),
        "store": "PostgreSQL" if args.database_url else "SQLite (file)",
        "templates": args.templates, "queries": args.queries, "k": args.k, "dimensions": TEMPLATE_DIMENSIONS,
        "noise": args.noise, "index": "exhaustive: Hamming scan of 128-bit sign codes, exact cosine on f16 vectors",
        "rerank_candidates": RERANK_CANDIDATES,
        "generate_s": round(t_gen, 1), "store_prepare_s": round(t_prepare, 1),
        "index_build_from_table_s": round(t_build, 2), "index_build_cpu_s": round(cpu_build, 2),
        "index_load_s": round(t_load, 2), "index_file_mib": round(file_mib, 1),
        "search_via_store": {**_pct(lat), "recall_at_1": hits_at_1 / args.queries,
                             "what": "BiometricIndex.search(conn, vector, k): index + key-to-record lookup"},
        "search_index_only": _pct(lat_index),
        "search_via_store_concurrent": concurrent,
        "hamming_rank_of_true_template": {"max": int(ranks.max()), "p99": float(np.percentile(ranks, 99)),
                                          "median": float(np.median(ranks)),
                                          "share_within_rerank": float(np.mean(ranks < RERANK_CANDIDATES))},
        "baseline_exact_search": {
            "queries": exact_n, "recall_at_1": exact_hits / exact_n, "index_agrees_with_exact": agree / exact_n,
            "what": "argmax(enrolled_f32 @ query), one query at a time", **_pct(exact_lat)},
        "mean_cosine_same_person": round(same, 4),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "index_memory_mib": round(sum(a.nbytes for a in arrays.values()) / 2**20, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other engineers' work",
        "command": "bench/identity/biometric_search.py " + " ".join(
            f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()
            if k not in ("out", "prepare_only") and v not in (None, "")) + f" --out {args.out}",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))
    tmp.cleanup()


if __name__ == "__main__":
    main()

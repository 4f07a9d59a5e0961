"""Biometric 1:N search: the platform's usearch HNSW index over N synthetic templates — build time
(all cores), save and load time of the persisted file, p50/p95/p99 of single queries and recall@1,
with exact search on a sample of the same queries as the baseline.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/identity/biometric_search.py --templates 1000000

Each person is a random unit vector (128 dimensions); the enrolled template and the query are
two independent noisy captures of it. recall@1 = share of queries whose nearest template is the
same person's. The index is made by ``pactum.services.identity.biometric_index.new_index`` (the
platform's parameters unless overridden), built with ``add(..., threads=<cores>)``, saved to a
file, loaded back as the API does on start, and the queries run one at a time against the loaded
index.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from pactum.identity.biometrics import TEMPLATE_DIMENSIONS, SyntheticBiometrics
from pactum.services.identity import biometric_index as bi


def _load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--templates", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--exact-queries", type=int, default=200, help="queries also answered by exact search")
    ap.add_argument("--noise", type=float, default=0.35)
    ap.add_argument("--dtype", default=bi.DTYPE)
    ap.add_argument("--connectivity", type=int, default=bi.CONNECTIVITY)
    ap.add_argument("--expansion-add", type=int, default=bi.EXPANSION_ADD)
    ap.add_argument("--expansion-search", type=int, default=bi.SEARCH_EXPANSION)
    ap.add_argument("--threads", type=int, default=bi.build_threads())
    ap.add_argument("--expansion-sweep", default="",
                    help="other search expansions to time on the same loaded index and queries, e.g. 512,1024")
    ap.add_argument("--keep-index", type=Path, default=None,
                    help="save the built index here (kept) instead of a temporary file, for later runs")
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_biometric.json"))
    args = ap.parse_args()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = _load_avg()
    bio = SyntheticBiometrics(seed=7, noise=args.noise)
    t0 = time.perf_counter()
    persons = bio.persons(args.templates)
    enrolled = bio.captures(persons, 1)
    t_gen = time.perf_counter() - t0
    index = bi.new_index(dtype=args.dtype, connectivity=args.connectivity, expansion_add=args.expansion_add,
                         expansion_search=args.expansion_search)
    c1, t1 = time.process_time(), time.perf_counter()
    index.add(np.arange(args.templates, dtype=np.uint64), enrolled, threads=args.threads)
    t_build, cpu_build = time.perf_counter() - t1, time.process_time() - c1
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep_index or Path(tmp) / "bench.usearch"
        s0 = time.perf_counter()
        index.save(str(path))
        t_save = time.perf_counter() - s0
        size_mib = path.stat().st_size / 2**20
        del index
        l0 = time.perf_counter()
        index = bi.new_index(dtype=args.dtype, connectivity=args.connectivity, expansion_add=args.expansion_add,
                             expansion_search=args.expansion_search)
        index.load(str(path))
        index.expansion_search = args.expansion_search
        t_load = time.perf_counter() - l0
    rng = np.random.default_rng(3)
    who = rng.choice(args.templates, size=args.queries, replace=False)
    queries = bio.captures(persons[who], 2)
    del persons
    index.search(queries[0], 1)  # warm-up
    lat = []
    top = np.empty(args.queries, dtype=np.int64)
    for i in range(args.queries):
        q0 = time.perf_counter()
        m = index.search(queries[i], 1)
        lat.append((time.perf_counter() - q0) * 1000)
        top[i] = int(m.keys[0])
    hits = int((top == who).sum())
    sweep = {}
    for ef in (int(x) for x in args.expansion_sweep.split(",") if x):
        index.expansion_search = ef
        index.search(queries[0], 1)
        s_lat, s_hits = [], 0
        for i in range(args.queries):
            q0 = time.perf_counter()
            m = index.search(queries[i], 1)
            s_lat.append((time.perf_counter() - q0) * 1000)
            s_hits += int(m.keys[0]) == int(who[i])
        sweep[str(ef)] = {"p50_ms": round(float(np.percentile(s_lat, 50)), 3),
                          "p95_ms": round(float(np.percentile(s_lat, 95)), 3),
                          "p99_ms": round(float(np.percentile(s_lat, 99)), 3), "recall_at_1": s_hits / args.queries}
    index.expansion_search = args.expansion_search
    exact_n = min(args.exact_queries, args.queries)
    e0 = time.perf_counter()
    exact_top = np.empty(exact_n, dtype=np.int64)
    exact_lat = []
    for i in range(exact_n):  # one query at a time, like the index
        q0 = time.perf_counter()
        exact_top[i] = int(np.argmax(enrolled @ queries[i]))
        exact_lat.append((time.perf_counter() - q0) * 1000)
    exact_hits = int((exact_top == who[:exact_n]).sum())
    agree = int((exact_top == top[:exact_n]).sum())
    t_exact = time.perf_counter() - e0
    same = float(np.mean(np.sum(queries * enrolled[who], axis=1)))
    out = {
        "benchmark": "identity_biometric_search", "started_utc": started,
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": load_before, "load_average_after": _load_avg(),
        "templates": args.templates, "queries": args.queries, "dimensions": TEMPLATE_DIMENSIONS, "noise": args.noise,
        "dtype": args.dtype, "connectivity": args.connectivity, "expansion_add": args.expansion_add,
        "expansion_search": args.expansion_search, "build_threads": args.threads,
        "generate_s": round(t_gen, 1), "index_build_s": round(t_build, 1), "index_build_cpu_s": round(cpu_build, 1),
        "index_save_s": round(t_save, 2), "index_load_s": round(t_load, 2), "index_file_mib": round(size_mib, 1),
        "p50_ms": round(float(np.percentile(lat, 50)), 3), "p95_ms": round(float(np.percentile(lat, 95)), 3),
        "p99_ms": round(float(np.percentile(lat, 99)), 3), "recall_at_1": hits / args.queries,
        "baseline_exact_search": {
            "queries": exact_n, "recall_at_1": exact_hits / exact_n,
            "index_recall_at_1_same_queries": int((top[:exact_n] == who[:exact_n]).sum()) / exact_n,
            "index_agrees_with_exact": agree / exact_n,
            "p50_ms": round(float(np.percentile(exact_lat, 50)), 3),
            "p95_ms": round(float(np.percentile(exact_lat, 95)), 3), "total_s": round(t_exact, 1)},
        "other_expansions_same_index_and_queries": sweep,
        "mean_cosine_same_person": round(same, 4),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other engineers' work",
        "command": "bench/identity/biometric_search.py " + " ".join(
            f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k != "out" and v not in (None, "")) + f" --out {args.out}",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

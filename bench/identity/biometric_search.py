"""Biometric 1:N search: usearch HNSW index of N synthetic templates, p50/p95 latency and recall@1.

    .venv/bin/python bench/identity/biometric_search.py --templates 1000000 --queries 2000

Each person is a random unit vector (128 dimensions); the enrolled template and the query are
two independent noisy captures of it. recall@1 = share of queries whose nearest template is the
same person's. The baseline in the same run is exact (brute-force) search on a sample of queries.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np
from usearch.index import Index

from pactum.identity.biometrics import TEMPLATE_DIMENSIONS, SyntheticBiometrics


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--templates", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--noise", type=float, default=0.35)
    ap.add_argument("--expansion-search", type=int, default=None, help="usearch ef at search time")
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_biometric.json"))
    args = ap.parse_args()
    bio = SyntheticBiometrics(seed=7, noise=args.noise)
    t0 = time.perf_counter()
    persons = bio.persons(args.templates)
    enrolled = bio.captures(persons, 1)
    t_gen = time.perf_counter() - t0
    index = Index(ndim=TEMPLATE_DIMENSIONS, metric="cos", dtype="f32")
    if args.expansion_search:
        index.expansion_search = args.expansion_search
    t1 = time.perf_counter()
    index.add(np.arange(args.templates, dtype=np.uint64), enrolled, threads=os.cpu_count() or 1)
    t_build = time.perf_counter() - t1
    rng = np.random.default_rng(3)
    who = rng.choice(args.templates, size=args.queries, replace=False)
    queries = bio.captures(persons[who], 2)
    lat = []
    hits = 0
    for i in range(args.queries):
        q0 = time.perf_counter()
        m = index.search(queries[i], 1)
        lat.append((time.perf_counter() - q0) * 1000)
        hits += int(m.keys[0]) == int(who[i])
    exact_n = min(200, args.queries)
    e0 = time.perf_counter()
    exact_hits = int((np.argmax(queries[:exact_n] @ enrolled.T, axis=1) == who[:exact_n]).sum())
    exact_ms = (time.perf_counter() - e0) * 1000 / exact_n
    same = float(np.mean(np.sum(queries * enrolled[who], axis=1)))
    out = {
        "benchmark": "identity_biometric_search", "templates": args.templates, "queries": args.queries,
        "dimensions": TEMPLATE_DIMENSIONS, "noise": args.noise, "expansion_search": index.expansion_search,
        "generate_s": round(t_gen, 1), "index_build_s": round(t_build, 1),
        "p50_ms": round(float(np.percentile(lat, 50)), 3), "p95_ms": round(float(np.percentile(lat, 95)), 3),
        "p99_ms": round(float(np.percentile(lat, 99)), 3), "recall_at_1": hits / args.queries,
        "baseline_exact_search": {"queries": exact_n, "recall_at_1": exact_hits / exact_n,
                                  "mean_ms_per_query_batched": round(exact_ms, 3)},
        "mean_cosine_same_person": round(same, 4),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other engineers' work",
        "command": f"bench/identity/biometric_search.py --templates {args.templates} --queries {args.queries}"
                   + (f" --expansion-search {args.expansion_search}" if args.expansion_search else ""),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""Benchmark: responsibility determinations for N generated applications in one batch through the
service layer (``pactum.services.responsibility.determine_batch``, no HTTP, no database).

    .venv/bin/python bench/responsibility/determinations.py --n 1000000 [--workers 2]

Reports determinations per second of wall-clock time for the whole batch, and per CPU second of
the determining process(es) (the machine is shared: the wall-clock rate depends on the load) (the facts are generated before the clock
starts) and, as a baseline from the same run, the cost of rendering every explanation as JSON for
a sample. Writes bench/results/responsibility_determinations[_Nworkers].json.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import facts_stream

from pactum.responsibility.criteria import determine
from pactum.services import responsibility
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services

ROOT = Path(__file__).resolve().parents[2]


def _run(n: int, seed: int) -> tuple[int, float, dict[str, int], dict[str, int], float]:
    facts = list(facts_stream(n, seed=seed))
    services = Services()
    responsibility.determine_batch(services, SYSTEM, facts[:1000])  # warm the parameter caches
    t0, c0 = time.perf_counter(), time.process_time()
    results = responsibility.determine_batch(services, SYSTEM, facts)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return (len(results), elapsed, dict(Counter(r.criterion for r in results)),
            dict(Counter(r.regime for r in results)), cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    load_start = os.getloadavg()[0]

    if args.workers == 1:
        count, elapsed, criteria, regimes, cpu = _run(args.n, args.seed)
        wall = elapsed
    else:
        share = args.n // args.workers
        with ProcessPoolExecutor(args.workers) as pool:
            t0 = time.perf_counter()
            parts = list(pool.map(_run, [share] * args.workers,
                                  [args.seed + i for i in range(args.workers)]))
            wall = time.perf_counter() - t0
        count = sum(p[0] for p in parts)
        elapsed = max(p[1] for p in parts)
        cpu = sum(p[4] for p in parts)
        criteria, regimes = Counter(), Counter()
        for p in parts:
            criteria.update(p[2])
            regimes.update(p[3])

    # Baselines from the same run: determinations plus rendering each explanation as JSON; and
    # 200,000 determinations the way the batch ran before the collector was paused (a plain loop
    # over the engine with the cyclic garbage collector on) against the batch call, same facts.
    sample = list(facts_stream(20_000, seed=args.seed + 99))
    services = Services()
    t0 = time.perf_counter()
    rendered = [r.to_json() for r in responsibility.determine_batch(services, SYSTEM, sample)]
    with_json = len(rendered) / (time.perf_counter() - t0)
    del rendered
    sample = list(facts_stream(200_000, seed=args.seed + 98))
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    plain = [determine(f) for f in sample]
    gc_on = (len(plain) / (time.perf_counter() - t0), len(plain) / (time.process_time() - c0))
    del plain
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    batch = responsibility.determine_batch(services, SYSTEM, sample)
    gc_paused = (len(batch) / (time.perf_counter() - t0), len(batch) / (time.process_time() - c0))
    del batch

    result = {
        "benchmark": "responsibility_determinations",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "n": count,
        "workers": args.workers,
        "seconds": round(elapsed, 3),
        "determinations_per_second": round(count / elapsed),
        "cpu_seconds": round(cpu, 3),
        "determinations_per_cpu_second": round(count / cpu),
        "wall_seconds_including_generation": round(wall, 3) if args.workers > 1 else None,
        "baseline_with_json_trace_per_second": round(with_json),
        "baseline_200k_collector_on": {"per_second": round(gc_on[0]),
                                       "per_cpu_second": round(gc_on[1])},
        "same_200k_batch_collector_paused": {"per_second": round(gc_paused[0]),
                                             "per_cpu_second": round(gc_paused[1])},
        "load_average_1m_at_start": load_start,
        "criteria": dict(sorted(criteria.items())),
        "regimes": dict(regimes),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_1m": os.getloadavg()[0],  # at the end
                    "note": "2 cores shared with other engineers' work running at the same time"},
    }
    suffix = "" if args.workers == 1 else f"_{args.workers}workers"
    out = ROOT / "bench" / "results" / f"responsibility_determinations{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

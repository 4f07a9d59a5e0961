"""Accuracy benchmark: the Pactum model against a plain Splink configuration in the same run,
tuned on one generator seed and reported on another.

    .venv/bin/python bench/identity/accuracy.py --records 100000 --tune-seed 1 --report-seed 3

Writes bench/results/identity_accuracy.json. Runs on the report seed, in one process:
``pactum_model`` (m estimated from the labelled tuning seed, as verified links would supply it),
``pactum_em`` (trained without labels on the report data) and ``plain_splink`` (Jaro-Winkler on
raw names, exact date of birth, no normalisation; EM on the report data). Same code path as
``pactum identity evaluate``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

from pactum.services.identity import batch, linkage


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--tune-seed", type=int, default=1)
    ap.add_argument("--report-seed", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=linkage.DEFAULT_CLUSTER_THRESHOLD)
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_accuracy.json"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    result = batch.evaluate_generated(records=args.records, tune_seed=args.tune_seed, report_seed=args.report_seed,
                                      threshold=args.threshold, progress=lambda s: print(f"[{time.perf_counter() - t0:7.1f}s] {s}", flush=True))
    result.update(
        benchmark="identity_accuracy", wall_s=round(time.perf_counter() - t0, 1),
        peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        machine=f"{platform.machine()}, {os.cpu_count()} cores shared with other engineers' work",
        command=f"bench/identity/accuracy.py --records {args.records} --tune-seed {args.tune_seed} "
                f"--report-seed {args.report_seed} --threshold {args.threshold}",
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    for name, r in result["results"].items():
        print(name, r["scores"], r["timings_s"], flush=True)


if __name__ == "__main__":
    main()

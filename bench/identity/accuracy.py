"""Accuracy benchmark: the Pactum model against a plain Splink configuration in the same run,
tuned on one generator seed and reported on another.

    .venv/bin/python bench/identity/accuracy.py --records 100000 --tune-seed 1 --report-seed 3 [--noise harsh] [--names narrow]

Writes bench/results/identity_accuracy.json (``--noise realistic``, the generator's default
profile) or bench/results/identity_accuracy_harsh.json. Runs on the report seed, in one process:
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

from pactum.identity.generator import NAME_POPULATIONS
from pactum.services.identity import batch, linkage


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--tune-seed", type=int, default=1)
    ap.add_argument("--report-seed", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=linkage.DEFAULT_CLUSTER_THRESHOLD)
    ap.add_argument("--noise", choices=("realistic", "harsh"), default="realistic",
                    help="generator noise profile (pactum.identity.generator.NOISE_PROFILES)")
    ap.add_argument("--names", choices=NAME_POPULATIONS, default=NAME_POPULATIONS[0],
                    help="names of the generated persons (pactum.identity.generator.NAME_POPULATIONS)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path("bench/results/identity_accuracy.json" if args.noise == "realistic"
                           else f"bench/results/identity_accuracy_{args.noise}.json")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    result = batch.evaluate_generated(records=args.records, tune_seed=args.tune_seed, report_seed=args.report_seed,
                                      threshold=args.threshold, profile=args.noise, names=args.names,
                                      progress=lambda s: print(f"[{time.perf_counter() - t0:7.1f}s] {s}", flush=True))
    result.update(
        benchmark="identity_accuracy", noise_profile=args.noise, name_population=args.names, started_utc=started,
        finished_utc=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        load_average_before=[round(x, 2) for x in load_before],
        load_average_after=[round(x, 2) for x in os.getloadavg()],
        wall_s=round(time.perf_counter() - t0, 1),
        peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        machine=f"{platform.machine()}, {os.cpu_count()} cores shared with other engineers' work",
        command=f"bench/identity/accuracy.py --records {args.records} --tune-seed {args.tune_seed} "
                f"--report-seed {args.report_seed} --threshold {args.threshold} --noise {args.noise} --names {args.names}",
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    for name, r in result["results"].items():
        print(name, r["scores"], r["timings_s"], flush=True)


if __name__ == "__main__":
    main()

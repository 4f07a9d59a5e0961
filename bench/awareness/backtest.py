"""Rolling-origin backtest of every Frontex route on the shipped real series.

Usage: .venv/bin/python bench/awareness/backtest.py [--horizon 3] [--refit 12]
Writes bench/results/awareness_backtest_h<H>.json: per route the contract result, the MASE ratio of
the chosen model to seasonal naive, and wall/CPU time; prints a Markdown table for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from pactum.services.awareness import series as aw_series
from pactum.services.awareness.forecasting import backtest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--horizon", type=int, default=3)
    ap.add_argument("--refit", type=int, default=12)
    args = ap.parse_args()
    routes = aw_series.shipped_route_series()
    out = []
    t_all, c_all = time.perf_counter(), time.process_time()
    for route, s in routes.items():
        t, c = time.perf_counter(), time.process_time()
        res = backtest(route, s, args.horizon, refit=args.refit).result
        row = res.model_dump() | {
            "mase_ratio": round(res.mase_ratio, 4),
            "wall_s": round(time.perf_counter() - t, 1),
            "cpu_s": round(time.process_time() - c, 1),
        }
        out.append(row)
        print(json.dumps(row), flush=True)
    beats = sum(1 for r in out if r["mase_ratio"] < 1)
    chosen_cov = [r_m["coverage_80"] for r in out for r_m in r["models"] if r_m["model"] == r["chosen"]]
    summary = {
        "horizon": args.horizon,
        "refit": args.refit,
        "routes": len(out),
        "routes_beating_seasonal_naive": beats,
        "mean_coverage_80_chosen": round(sum(chosen_cov) / len(chosen_cov), 4),
        "wall_s": round(time.perf_counter() - t_all, 1),
        "cpu_s": round(time.process_time() - c_all, 1),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, shared with other engineers' work",
        "results": out,
    }
    dest = Path("bench/results") / f"awareness_backtest_h{args.horizon}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(summary, indent=2))
    print("| Route | origins | " + " | ".join(m["model"] for m in out[0]["models"]) + " | chosen | MASE ratio |")
    for r in out:
        cells = " | ".join(f"{m['mase']:.3f} / {m['coverage_80']:.2f}" for m in r["models"])
        print(f"| {r['route']} | {r['origins']} | {cells} | {r['chosen']} | {r['mase_ratio']:.3f} |")
    print(f"beats seasonal naive on {beats}/{len(out)}; mean chosen coverage {summary['mean_coverage_80_chosen']}")


if __name__ == "__main__":
    main()

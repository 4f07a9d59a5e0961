"""Benchmark of pactum.law: parameter lookups, Reg. 1182/71 periods and full time limits.

Usage: .venv/bin/python bench/law/bench_time_limits.py [--n 20000]
Writes bench/results/law.json. Baselines from the same run: plain calendar arithmetic
(same-date-N-months-later with month-end clamping, no holidays, no explanation) and a dictionary
lookup, to show what the legal rules and the explanations cost.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from pactum.law import add_period, param, time_limit
from pactum.law.periods import STATE_CODES, nominal_end
from pactum.law.tree import load_tree

OUT = Path(__file__).resolve().parents[1] / "results" / "law.json"


def rate(fn, items) -> dict[str, float]:
    t0 = time.perf_counter()
    for it in items:
        fn(*it)
    dt = time.perf_counter() - t0
    return {"n": len(items), "seconds": round(dt, 4), "per_second": round(len(items) / dt, 1),
            "microseconds_each": round(dt / len(items) * 1e6, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    args = ap.parse_args()
    rng = random.Random(1182)
    n = args.n

    t0 = time.perf_counter()
    tree = load_tree()
    load_seconds = time.perf_counter() - t0

    paths = sorted(tree)
    lookups = [(rng.choice(paths), date(2026, 7, 1) + timedelta(days=rng.randrange(3650))) for _ in range(n)]
    flat = {p: h.values[-1][1] for p, h in tree.items()}

    def lookup(path: str, on: date) -> None:
        with contextlib.suppress(LookupError):
            param(path, on=on)

    days = [date(2015, 1, 1) + timedelta(days=rng.randrange(7300)) for _ in range(n)]
    states = [rng.choice(STATE_CODES) for _ in range(n)]
    units = [rng.choice(["days", "weeks", "months", "years", "working_days"]) for _ in range(n)]
    amounts = [rng.randint(1, 24) for _ in range(n)]
    periods = list(zip(days, amounts, units, states, strict=True))
    plain = [(d, a, u) for d, a, u, _ in periods if u != "working_days"]

    kinds = [("take_charge_request", {"application_registered_on": date(2026, 9, 1)}),
             ("take_charge_reply", {"application_registered_on": date(2026, 9, 1), "eurodac_hit": True}),
             ("transfer", {"application_registered_on": date(2026, 3, 1)}),
             ("screening", {"variant": "border"}),
             ("eurodac_retention", {"variant": "applicant"}),
             ("voluntary_departure", {"variant": "max"})]
    calls = []
    for _ in range(n // 4):
        kind, extra = rng.choice(kinds)
        d = date(2026, 9, 2) + timedelta(days=rng.randrange(1000))
        calls.append((kind, d, rng.choice(STATE_CODES), extra))
    hour_calls = [(datetime(2026, 7, 1, 0, 0) + timedelta(minutes=rng.randrange(10**6)), rng.choice(STATE_CODES))
                  for _ in range(n // 4)]

    # warm the holiday calendars once, as a running server would
    for s in STATE_CODES:
        add_period(date(2026, 1, 1), 1, "days", s)

    results = {
        "tree_load": {"parameters": len(tree), "seconds": round(load_seconds, 4)},
        "param_lookup": rate(lookup, lookups),
        "baseline_dict_lookup": rate(lambda p, _d: flat[p], lookups),
        "add_period": rate(lambda d, a, u, s: add_period(d, a, u, s), periods),
        "baseline_calendar_arithmetic": rate(lambda d, a, u: nominal_end(d, a, u), plain),
        "time_limit": rate(lambda k, d, s, e: time_limit(k, event_at=d, member_state=s, **e), calls),
        "time_limit_hours": rate(lambda m, s: time_limit("eurodac_transmission", event_at=m, member_state=s),
                                 hour_calls),
    }
    record = {
        "command": f".venv/bin/python bench/law/bench_time_limits.py --n {n}",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "note": "2 cores shared with other engineers' test runs and benchmarks at the time"},
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "results": results,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()

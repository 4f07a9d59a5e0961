"""Time `pactum --help` and `pactum <group> --help`, the working tree against a baseline checkout.

    .venv/bin/python bench/foundation/cli_startup.py --baseline-src /tmp/pactum-before/src

Each command runs ``--runs`` times, alternating baseline and working tree so that both see the
same machine load; reports the median wall time and the median CPU time (user + system) of the
process, and the load average before and after. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _once(args: list[str], src: str | None) -> tuple[float, float]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/pactum"), *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline-src", default=None, help="src directory of the code before the change")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--groups", default="awareness,procedures,identity,scenario",
                    help="groups whose --help is timed besides pactum --help (comma-separated)")
    ap.add_argument("--out", default=str(ROOT / "bench/results/foundation_cli_startup.json"))
    args = ap.parse_args()
    variants = {"working tree": None}
    if args.baseline_src:
        variants = {"baseline": args.baseline_src, "working tree": None}
    load_before, started = _uptime(), datetime.now(UTC)
    samples: dict[str, dict[str, list[tuple[float, float]]]] = {v: {} for v in variants}
    commands = [["--help"], *([g, "--help"] for g in args.groups.split(",") if g)]
    for _ in range(args.runs):
        for cmd in commands:
            for name, src in variants.items():
                samples[name].setdefault(" ".join(cmd), []).append(_once(cmd, src))
    result = {
        "started_utc": started.strftime("%Y-%m-%d %H:%M:%S"),
        "uptime_before": load_before, "uptime_after": _uptime(), "runs": args.runs,
        "machine": "2 cores, 24 GiB",
        "results": {
            name: {cmd: {"median_wall_s": round(statistics.median(w for w, _ in xs), 2),
                         "median_cpu_s": round(statistics.median(c for _, c in xs), 2)}
                   for cmd, xs in by_cmd.items()}
            for name, by_cmd in samples.items()
        },
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

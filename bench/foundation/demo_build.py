"""Time `pactum scenario build` (what `make demo` runs) from a cold state.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/foundation/demo_build.py --scale S --seed 1

Cold: a new scratch directory per run (a new SQLite store, no var/ from an earlier run, so no
numba cache either), the command run as `make demo` runs it (PACTUM_DATABASE_URL pointing at a
building.db). Records the wall time of the whole command, its CPU time (user + system of the
child), each step's wall and CPU time as the build prints them, the load average before and
after, and checks the world it built: the audit chain verifies and every area has its records.
``--src DIR`` runs another checkout's ``src`` (e.g. the code before a change) the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STEP_LINE = re.compile(r"^step (\S+): ([\d.]+) s \(CPU ([\d.]+) s\)$")
COUNTED = ("users", "encounters", "screenings", "identity_links", "dublin_cases", "asylum_applications",
           "dublin_requests", "return_decisions", "relocation_transfers", "awareness_forecasts", "awareness_alerts",
           "followup_items", "audit_log")


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _check(db: Path) -> dict[str, object]:
    from sqlalchemy import create_engine, func, inspect, select, table

    from pactum.services.audit import verify

    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        counts = {t: conn.execute(select(func.count()).select_from(table(t))).scalar() for t in COUNTED
                  if t in names}
        chain = verify(conn)
    engine.dispose()
    return {"counts": counts, "audit_chain_ok": chain.ok, "audit_entries": chain.entries,
            "audit_problem": chain.problem}


def run(scale: str, seed: int, src: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="pactum-demo-build-") as tmp:
        db = Path(tmp) / "building.db"
        env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "PACTUM_VAR_DIR")}
        env["PACTUM_DATABASE_URL"] = f"sqlite:///{db}"
        if src:
            env["PYTHONPATH"] = src
        cmd = [str(ROOT / ".venv/bin/pactum"), "scenario", "build", "--scale", scale, "--seed", str(seed)]
        before_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_before, started_at = _uptime(), datetime.now(UTC)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        load_after = _uptime()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            sys.exit(f"build failed ({proc.returncode}): {proc.stderr[-2000:]}")
        steps = {}
        for line in proc.stdout.splitlines():
            m = STEP_LINE.match(line.strip())
            if m:
                steps[m.group(1)] = {"wall_s": float(m.group(2)), "cpu_s": float(m.group(3))}
        result = {
            "command": " ".join(["PACTUM_DATABASE_URL=sqlite:///<scratch>/building.db", *cmd[0:1], *cmd[1:]]),
            "code": src or "working tree",
            "scale": scale, "seed": seed,
            "started_utc": started_at.strftime("%Y-%m-%d %H:%M:%S"),
            "cold": "new scratch directory: new store, no var/ and no numba cache from an earlier run",
            "wall_s": round(wall, 1),
            "cpu_s": round((usage.ru_utime - before_usage.ru_utime) + (usage.ru_stime - before_usage.ru_stime), 1),
            "steps": steps,
            "uptime_before": load_before, "uptime_after": load_after,
            "machine": "2 cores, 24 GiB",
            "world": _check(db),
        }
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="S")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--src", default=None, help="run this src directory instead of the working tree")
    ap.add_argument("--out", default=str(ROOT / "bench/results/foundation_demo_build.json"))
    args = ap.parse_args()
    result = run(args.scale, args.seed, args.src)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Time `pactum scenario build` (what `make demo` runs) from a cold state.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/foundation/demo_build.py --scale S --seed 1

Cold: a new scratch directory per run (a new SQLite store, no var/ from an earlier run, so no
numba cache either), the command run as `make demo` runs it (PACTUM_DATABASE_URL pointing at a
building.db). Records the wall time of the whole command, its CPU time (user + system of the
child), each step's wall and CPU time as the build prints them, the load average before and
after, and checks the world it built: the audit chain verifies and every area has its records.
``--src DIR`` runs another checkout's ``src`` (e.g. the code before a change) the same way;
``--baseline-src DIR`` runs that checkout first and then the working tree, one after the other
(in one hold of the bench lock), and compares the two worlds.

The world's fingerprint: per table, the row count and a SHA-256 over its rows with every
generated id (``per_01J…``, random by design) and every reference made from one replaced by a
marker and the hash-chain and password-hash columns left out (they follow from ids and salts).
Two builds of the same seed by the same code give the same fingerprint, table by table (checked
at scale XS and S, 21:20-21:33 UTC); a change that must not change the world is checked with it.
"""

from __future__ import annotations

import argparse
import hashlib
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


GENERATED_ID = re.compile(r"\b[A-Za-z]{2,4}_[0-9A-Z]{26}\b")  # pactum.common.ids.new_id
ID_REFERENCE = re.compile(r"\b([A-Z]{2}-[A-Z]{1,3}-(?:\d{4}-)?)[0-9A-Z]{8}\b")  # e.g. IT-RD-2025-<8 of an id>
UNHASHED = ("hash", "prev_hash", "password_hash")


def _masked(value: object) -> object:
    if isinstance(value, str):
        return ID_REFERENCE.sub(r"\1<ref>", GENERATED_ID.sub("<id>", value))
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


def fingerprint(conn: object) -> dict[str, list[object]]:
    """Table -> [rows, SHA-256 of its sorted masked rows] (see the module's docstring)."""
    from sqlalchemy import inspect, text

    out: dict[str, list[object]] = {}
    for name in sorted(inspect(conn).get_table_names()):
        columns = [c["name"] for c in inspect(conn).get_columns(name)]
        keep = [i for i, c in enumerate(columns) if c not in UNHASHED]
        rows = sorted(json.dumps([_masked(r[i]) for i in keep], default=str)
                      for r in conn.execute(text(f'SELECT * FROM "{name}"')))  # type: ignore[attr-defined]
        out[name] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
    return out


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
        tables = fingerprint(conn)
    engine.dispose()
    whole = hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()
    return {"counts": counts, "audit_chain_ok": chain.ok, "audit_entries": chain.entries,
            "audit_problem": chain.problem, "fingerprint": whole, "fingerprint_by_table": tables}


def _commit(src: str | None) -> str:
    """The commit of the code run, with "+ changes" when its checkout has uncommitted ones."""
    where = src or str(ROOT / "src")
    head = subprocess.run(["git", "-C", where, "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", where, "status", "--porcelain", "--", "."], capture_output=True,
                           text=True).stdout.strip()
    return f"{head or 'unknown'}{' + changes' if dirty else ''}"


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
            "commit": _commit(src),
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


def _summary(result: dict[str, object]) -> str:
    world = result["world"]
    assert isinstance(world, dict)
    steps = result["steps"]
    assert isinstance(steps, dict)
    per_step = ", ".join(f"{k} {v['wall_s']}" for k, v in steps.items())
    return (f"{result['code']}: {result['wall_s']} s wall, {result['cpu_s']} s CPU ({per_step}); "
            f"audit chain {'verified' if world['audit_chain_ok'] else 'BROKEN'}, "
            f"{world['audit_entries']} entries; fingerprint {str(world['fingerprint'])[:16]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="S")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--src", default=None, help="run this src directory instead of the working tree")
    ap.add_argument("--baseline-src", default=None,
                    help="first run this src directory (the code before a change), then the working tree")
    ap.add_argument("--out", default=str(ROOT / "bench/results/foundation_demo_build.json"))
    args = ap.parse_args()
    if args.baseline_src:
        baseline = run(args.scale, args.seed, args.baseline_src)
        after = run(args.scale, args.seed, args.src)
        b_tables, a_tables = baseline["world"]["fingerprint_by_table"], after["world"]["fingerprint_by_table"]  # type: ignore[index]
        result: dict[str, object] = {
            "baseline": baseline, "after": after,
            "same_world": b_tables == a_tables,
            "tables_differing": sorted(t for t in set(b_tables) | set(a_tables)
                                       if b_tables.get(t) != a_tables.get(t)),
        }
        summary = [_summary(baseline), _summary(after),
                   f"same world: {result['same_world']} (differing tables: {result['tables_differing']})"]
    else:
        result = run(args.scale, args.seed, args.src)
        summary = [_summary(result)]
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("\n".join(summary))


if __name__ == "__main__":
    main()

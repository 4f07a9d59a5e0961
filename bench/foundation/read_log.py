"""What the read log costs a read: the same reads with their log (``channel="api"``) and without
(``channel=None``, an internal read), interleaved, on a copy of the demo world.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/foundation/read_log.py --db var/pactum.db --runs 400

Copies ``--db`` (the demo world, ``make demo``'s ``var/pactum.db``) to a scratch directory and, on
the copy, times two reads as an Italian officer would make them:

- ``person_page``: ``registry.person_view`` of one person (a caseworker; one row logged per read);
- ``dublin_inbox``: ``responsibility.queue_page`` of the Dublin unit's inbox with closed requests
  (a page of up to 500 requests, one row per applicant shown).

Each run times the read once logged and once not, in alternating order (logged first on even runs),
so both see the same caches and the same load; a figure is the median, p95 (nearest rank) and the
median of the per-run difference, in milliseconds, with the rows the logged reads wrote (counted
in the copy). Writes ``bench/results/foundation_read_log.json`` (``--out NAME`` for another name).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from pactum.common.clock import FixedClock
from pactum.services import registry, responsibility
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.migrate import upgrade
from pactum.store.tables.platform import personal_data_reads

ROOT = Path(__file__).resolve().parents[2]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _pair(runs: int, read: Callable[[str | None], Any]) -> dict[str, float]:
    """Time ``read("api")`` and ``read(None)`` ``runs`` times each, alternating which goes first."""
    logged: list[float] = []
    internal: list[float] = []
    for i in range(runs):
        for channel in (("api", None) if i % 2 == 0 else (None, "api")):
            t0 = time.perf_counter()
            read(channel)
            ms = (time.perf_counter() - t0) * 1000
            (logged if channel else internal).append(ms)
    diffs = [a - b for a, b in zip(logged, internal, strict=True)]
    return {"logged_median_ms": round(statistics.median(logged), 3), "logged_p95_ms": round(_p95(logged), 3),
            "internal_median_ms": round(statistics.median(internal), 3),
            "internal_p95_ms": round(_p95(internal), 3),
            "difference_median_ms": round(statistics.median(diffs), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=str(ROOT / "var" / "pactum.db"))
    ap.add_argument("--runs", type=int, default=400)
    ap.add_argument("--out", default="foundation_read_log.json")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "copy.db"
    shutil.copyfile(args.db, db)
    url = f"sqlite:///{db}"
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    try:
        services = Services(settings=Settings(database_url=url, var_dir=tmp, argon2_time_cost=1, argon2_memory_kib=1024),
                            clock=FixedClock(datetime(2026, 11, 30, 12, tzinfo=UTC)))
        upgrade(services.engine)
        with services.engine.connect() as c:
            users = {r.username: r for r in c.execute(text("SELECT id, username FROM users"))}
            person = c.execute(text("SELECT person_id FROM identity_records WHERE member_state = 'IT' "
                                    "ORDER BY id LIMIT 1")).scalar_one()
            before = c.execute(select(func.count()).select_from(personal_data_reads)).scalar_one()
        caseworker = Principal(users["it-caseworker"].id, "it-caseworker", "IT", frozenset({Role.caseworker}))
        dublin = Principal(users["it-dublin"].id, "it-dublin", "IT", frozenset({Role.dublin_unit}))

        reads: dict[str, Callable[[str | None], Any]] = {
            "person_page": lambda ch: registry.person_view(services, caseworker, person, channel=ch),
            "dublin_inbox": lambda ch: responsibility.queue_page(services, dublin, "inbox", include_closed=True,
                                                                  channel=ch),
        }
        shown: dict[str, int] = {}
        figures: dict[str, Any] = {}
        for name, read in reads.items():
            read("api")  # warm-up, and how many rows one logged read writes
            with services.engine.connect() as c:
                now = c.execute(select(func.count()).select_from(personal_data_reads)).scalar_one()
            shown[name] = now - before
            before = now
            figures[name] = {**_pair(args.runs, read), "rows_per_logged_read": shown[name]}
        with services.engine.connect() as c:
            total = c.execute(select(func.count()).select_from(personal_data_reads)).scalar_one()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = {"benchmark": "read log cost per read", "command": " ".join(["bench/foundation/read_log.py",
                                                                      f"--db {args.db}", f"--runs {args.runs}"]),
           "started": started.isoformat(timespec="seconds"), "finished": datetime.now(UTC).isoformat(timespec="seconds"),
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
           "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
           "store": "sqlite (copy of the demo world)", "runs": args.runs, "reads": figures,
           "log_rows_in_copy_at_end": total}
    path = ROOT / "bench" / "results" / args.out
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

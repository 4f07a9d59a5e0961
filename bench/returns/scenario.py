"""Demo-world returns figures: build the registry and returns steps and count what came out.

    .venv/bin/python bench/returns/scenario.py --scale S --seed 1

Writes ``bench/results/returns_scenario.json`` (build time and the world's return figures).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from pactum.common.clock import FixedClock
from pactum.scenario.world import build
from pactum.services.bootstrap import Services
from pactum.services.returns import stats_for
from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade

COUNTS = {
    "persons": "select count(*) from persons",
    "decisions_by_status": "select status, count(*) from return_decisions group by status",
    "alerts_by_status": "select status, count(*) from return_alerts group by status",
    "hits_by_status": "select status, count(*) from return_alert_hits group by status",
    "operations_by_status": "select status, count(*) from return_operations group by status",
    "participants_by_status": "select status, count(*) from return_operation_participants group by status",
    "avr_by_status": "select status, count(*) from avr_cases group by status",
    "readmission_by_status": "select status, count(*) from readmission_requests group by status",
    "departures_by_mode": "select departure_mode, count(*) from return_decisions "
    "where departure_mode is not null group by departure_mode",
    "entry_ban_alerts": "select count(*) from entry_ban_alerts",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="S")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--end", default="2026-11-28")
    ap.add_argument("--out", default="bench/results/returns_scenario.json")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pactum-bench-returns-world-"))
    url = f"sqlite:///{tmp / 'world.db'}"
    engine = make_engine(url)
    upgrade(engine)
    end = date.fromisoformat(args.end)
    services = Services(settings=Settings(database_url=url, var_dir=tmp, argon2_time_cost=1, argon2_memory_kib=1024),
                        clock=FixedClock(datetime(end.year, end.month, end.day, tzinfo=UTC)), engine_override=engine)
    t0 = time.perf_counter()
    build(services, scale=args.scale, seed=args.seed, end=end, show_progress=False, only=["registry", "returns"])
    seconds = round(time.perf_counter() - t0, 1)
    out: dict[str, object] = {
        "benchmark": "returns_scenario",
        "command": f"bench/returns/scenario.py --scale {args.scale} --seed {args.seed} --end {args.end}",
        "machine": "2 cores shared with other engineers' work running at the same time",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds_registry_and_returns": seconds,
    }
    with engine.connect() as conn:
        for key, sql in COUNTS.items():
            rows = conn.execute(text(sql)).all()
            out[key] = rows[0][0] if len(rows[0]) == 1 else {str(k): v for k, v in rows}
        years = {}
        for y in range(2025, end.year + 1):
            rows = stats_for(conn, y).rows
            o, r = sum(x.ordered_to_leave for x in rows), sum(x.returned for x in rows)
            years[str(y)] = {"ordered_to_leave": o, "returned": r, "return_rate": round(r / o, 3) if o else None}
        out["by_year"] = years
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""Returns benchmark: issuing return decisions (decision + SIS alert + audit, one unit of work
each), recording cross-border hits, the return officer's queue and the Eurostat statistics query,
on a migrated SQLite store. Baseline from the same run: registering the arrivals (the foundation's
registration command) those decisions are about.

    .venv/bin/python bench/returns/run.py --persons 2000

Writes ``bench/results/returns.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pactum.common.clock import FixedClock
from pactum.registry.model import RegisterArrival
from pactum.returns.schemas import HitCreate
from pactum.services import registry, returns
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.returns import return_alerts

STATES = ("IT", "EL", "ES", "DE", "FR")
NATIONALITIES = ("TUN", "EGY", "BGD", "PAK", "MAR", "GEO", "NGA")


def officer(ms: str, role: Role) -> Principal:
    return Principal(f"bench-{ms}-{role.value}", f"bench-{ms.lower()}-{role.value}", ms, frozenset({role}))


def timed(fn, n: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    lat = []
    t0 = time.perf_counter()
    for i in range(n):
        s = time.perf_counter()
        fn(i)
        lat.append(time.perf_counter() - s)
    return time.perf_counter() - t0, lat


def summary(total: float, lat: list[float]) -> dict[str, float]:
    lat_ms = sorted(x * 1000 for x in lat)
    return {
        "count": len(lat),
        "per_second": round(len(lat) / total, 1),
        "p50_ms": round(statistics.median(lat_ms), 2),
        "p95_ms": round(lat_ms[int(0.95 * (len(lat_ms) - 1))], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--out", default="bench/results/returns.json")
    args = ap.parse_args()
    rng = random.Random(7)
    tmp = Path(tempfile.mkdtemp(prefix="pactum-bench-returns-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    clock = FixedClock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    services = Services(settings=Settings(database_url=url, var_dir=tmp), clock=clock, engine_override=engine)

    people: list[tuple[str, str]] = []

    def register(i: int) -> None:
        ms = STATES[i % len(STATES)]
        nat = rng.choice(NATIONALITIES)
        data = RegisterArrival.model_validate({
            "identity": {"given_names": f"Given{i}", "surname": f"Surname{i}", "sex": "M",
                         "date_of_birth": "1995-05-05", "nationality": nat,
                         "documents": [{"type": "passport", "number": f"P{i:07d}", "country": nat}]},
            "encounter": {"member_state": ms, "occurred_at": datetime(2026, 6, 1, tzinfo=UTC) + timedelta(minutes=i),
                          "kind": "irregular_crossing"},
        })
        people.append((registry.register_arrival(services, officer(ms, Role.caseworker), data).person_id, ms))

    reg_total, reg_lat = timed(register, args.persons)

    decisions: list[str] = []

    def issue(i: int) -> None:
        person, ms = people[i]
        with services.uow() as uow:
            decisions.append(returns.issue_return_decision(
                uow, officer(ms, Role.return_officer), person_id=person, issued_on=date(2026, 9, 1) + timedelta(days=i % 40),
                voluntary_departure_days=rng.choice([7, 14, 30]), entry_ban_years=rng.choice([None, 2, 5]), grounds=[]))
            uow.commit()

    iss_total, iss_lat = timed(issue, args.persons)

    with engine.connect() as conn:
        alerts = [(r.id, r.issuing_member_state) for r in conn.execute(return_alerts.select()).all()]
    sample = alerts[: max(1, len(alerts) // 10)]

    def hit(i: int) -> None:
        alert_id, issuing = sample[i]
        executing = next(s for s in STATES if s != issuing)
        returns.record_hit(services, officer(executing, Role.return_officer), HitCreate(alert_id=alert_id))

    hit_total, hit_lat = timed(hit, len(sample))
    q_total, q_lat = timed(lambda i: returns.return_queue(services, officer(STATES[i % 5], Role.return_officer)), 20)
    s_total, s_lat = timed(lambda i: returns.return_stats(services, officer("DE", Role.analyst), 2026), 20)

    result = {
        "benchmark": "returns",
        "command": f"bench/returns/run.py --persons {args.persons}",
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "note": "2 cores shared with other engineers' work running at the same time"},
        "store": "sqlite (WAL, one writer)",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "baseline_register_arrival": summary(reg_total, reg_lat),
        "issue_return_decision": summary(iss_total, iss_lat),
        "record_hit": summary(hit_total, hit_lat),
        "return_queue_per_state": summary(q_total, q_lat),
        "return_stats_year": summary(s_total, s_lat),
        "decisions_in_store": len(decisions),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

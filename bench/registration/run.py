"""Registration through the HTTP API under concurrent load.

Starts `pactum serve` (uvicorn, 2 workers) on a fresh store, then N concurrent clients post
registrations for S seconds. Every request carries an Idempotency-Key; 5% of requests are retries
of a key already used, as a client would retry after a timeout. At the end the number of
encounters in the store must equal the number of distinct keys that got a 201: nothing lost,
nothing written twice. Writes bench/results/registration-<store>.json.

    python bench/registration/run.py --store sqlite|postgres --seconds 60 --clients 32
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_store(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}"
    name = f"pactum_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_store(kind: str, url: str) -> None:
    if kind == "postgres":
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))


def arrival(rng: random.Random, i: int) -> dict[str, object]:
    at = datetime.now(UTC) - timedelta(hours=rng.randint(1, 48))
    return {
        "identity": {"surname": f"Benchmark{i}", "given_names": rng.choice(["Omar", "Ali", "Sara"]),
                     "nationality": rng.choice(["SYR", "AFG", "GIN", "BGD", "TUN"]),
                     "date_of_birth": f"{rng.randint(1970, 2008)}", "sex": "M"},
        "encounter": {"member_state": "IT", "occurred_at": at.isoformat(), "kind": "sar_disembarkation",
                      "route": "Central Mediterranean Route"},
        "biometrics": {"captured_at": (at + timedelta(minutes=30)).isoformat(), "template_ref": f"t{i}"},
    }


async def load(base: str, token: str, seconds: float, clients: int) -> dict[str, object]:
    latencies: list[float] = []
    created_keys: set[str] = set()
    statuses: dict[int, int] = {}
    used_keys: list[str] = []
    deadline = time.perf_counter() + seconds
    counter = 0

    async def worker(wid: int) -> None:
        nonlocal counter
        rng = random.Random(wid)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while time.perf_counter() < deadline:
                counter += 1
                if used_keys and rng.random() < 0.05:
                    key = rng.choice(used_keys)
                else:
                    key = f"w{wid}-{counter}"
                body = arrival(rng, counter)
                t0 = time.perf_counter()
                r = await client.post("/api/v1/registry/arrivals", json=body,
                                      headers={**headers, "Idempotency-Key": key})
                latencies.append(time.perf_counter() - t0)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code == 201:
                    created_keys.add(key)
                    used_keys.append(key)

    t_start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    elapsed = time.perf_counter() - t_start
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    return {"requests": len(latencies), "elapsed_s": round(elapsed, 2),
            "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "mean_ms": round(statistics.mean(latencies) * 1000, 1), "statuses": statuses,
            "distinct_keys_created": len(created_keys)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = prepare_store(args.store, workdir)
        env = {**os.environ, "PACTUM_DATABASE_URL": url, "PACTUM_VAR_DIR": str(workdir)}
        bin_dir = Path(sys.executable).parent
        subprocess.run([str(bin_dir / "pactum"), "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        from pactum.scenario.steps.registry import DEMO_PASSWORD

        subprocess.run([str(bin_dir / "pactum"), "users", "create", "bench-it", "--authority", "IT",
                        "--role", "caseworker", "--password", DEMO_PASSWORD], env=env, check=True,
                       capture_output=True)
        port = free_port()
        server = subprocess.Popen([str(bin_dir / "pactum"), "serve", "--port", str(port),
                                   "--workers", str(args.workers)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(1200):
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            token = httpx.post(f"{base}/api/v1/auth/token",
                               json={"username": "bench-it", "password": DEMO_PASSWORD}).json()["access_token"]
            result = asyncio.run(load(base, token, args.seconds, args.clients))
        finally:
            server.terminate()
            server.wait(timeout=30)
        from pactum.store.engine import make_engine
        from pactum.store.tables.registry import encounters

        engine = make_engine(url)
        with engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(encounters)).scalar()
        engine.dispose()
        drop_store(args.store, url)

    result.update({
        "benchmark": "registration_api", "store": args.store, "clients": args.clients,
        "server_workers": args.workers, "seconds": args.seconds,
        "encounters_stored": stored,
        "count_check": "ok" if stored == result["distinct_keys_created"] else "MISMATCH",
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "command": " ".join(["python", "bench/registration/run.py", *sys.argv[1:]]),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    out = ROOT / "bench" / "results" / f"registration-{args.store}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["count_check"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())

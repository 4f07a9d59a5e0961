"""Registration through the HTTP API under concurrent load.

Starts `pactum serve` (uvicorn, 2 workers) on a fresh store, then N concurrent clients post
registrations for S seconds. Every request carries an Idempotency-Key; 5% of requests are retries
of a key already used with its body, as a client would retry after a timeout (every answer must
be a 201: a refusal is listed among the answer problems). At the end the number of
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: the shared serving helper
from serving import pactum_command, pactum_server

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds a process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _all_procs() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process on the machine."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out.append((int(d.name), ppid, cmd))
    return out


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in _all_procs():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_snapshot(server_pid: int, db_name: str | None) -> dict[str, float]:
    """CPU seconds used so far by the server (all its processes), the PostgreSQL backends serving
    the benchmark database, and this load generator."""
    procs = _all_procs()
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in procs:
        children.setdefault(ppid, []).append(pid)
    server, todo = 0.0, [server_pid]
    while todo:
        pid = todo.pop()
        server += _proc_cpu(pid)
        todo.extend(children.get(pid, []))
    db = sum(_proc_cpu(pid) for pid, _, cmd in procs if db_name and f" {db_name} " in cmd)
    return {"server": server, "postgres": db, "load_generator": time.process_time()}


def pg_transactions(db_name: str | None) -> dict[str, int]:
    """Transactions committed and rolled back so far in the benchmark database (PostgreSQL's
    statistics: every registration on its own would be one commit; a group commit is one for
    several)."""
    if not db_name:
        return {}
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_stat_clear_snapshot()"))
            row = conn.execute(text("SELECT xact_commit, xact_rollback FROM pg_stat_database "
                                    "WHERE datname = :db"), {"db": db_name}).one()
    finally:
        admin.dispose()
    return {"commits": int(row[0]), "rollbacks": int(row[1])}


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


class RawClient:
    """A lean HTTP/1.1 keep-alive client on asyncio streams: one connection, one request at a time.

    It does what httpx does for this benchmark at a fraction of the CPU (the load generator shares
    the server's two cores): writes a complete request with its headers and JSON body, reads the
    status line, the headers and the Content-Length body, and decodes the JSON answer.
    """

    def __init__(self, host: str, port: int, token: str):
        self.host, self.port = host, port
        self.head = (f"POST /api/v1/registry/arrivals HTTP/1.1\r\nHost: {host}:{port}\r\n"
                     f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                     "Accept: application/json\r\n")
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: dict[str, object], key: str) -> tuple[int, object]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        payload = json.dumps(body).encode()
        self.writer.write(f"{self.head}Idempotency-Key: {key}\r\nContent-Length: {len(payload)}"
                          "\r\n\r\n".encode() + payload)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        data = await self.reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, json.loads(data) if data else None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


class HttpxClient:
    def __init__(self, base: str, token: str):
        self.client = httpx.AsyncClient(base_url=base, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}"}

    async def post(self, body: dict[str, object], key: str) -> tuple[int, object]:
        r = await self.client.post("/api/v1/registry/arrivals", json=body,
                                   headers={**self.headers, "Idempotency-Key": key})
        return r.status_code, r.json()

    async def close(self) -> None:
        await self.client.aclose()


async def load(base: str, token: str, seconds: float, clients: int,
               client_kind: str = "raw") -> dict[str, object]:
    latencies: list[float] = []
    created_keys: set[str] = set()
    statuses: dict[int, int] = {}
    used_keys: list[str] = []
    answers: dict[str, str] = {}
    bodies: dict[str, dict[str, object]] = {}
    problems: list[str] = []
    deadline = time.perf_counter() + seconds
    counter = 0
    host, port = base.rsplit("//", 1)[1].split(":")

    async def worker(wid: int) -> None:
        nonlocal counter
        rng = random.Random(wid)
        client = RawClient(host, int(port), token) if client_kind == "raw" else HttpxClient(base, token)
        try:
            while time.perf_counter() < deadline:
                counter += 1
                if used_keys and rng.random() < 0.05:
                    # a retry, as a client makes one: the same key with the same body (a key
                    # reused with another body is refused with 422, as it should be)
                    key = rng.choice(used_keys)
                    body = bodies[key]
                else:
                    key = f"w{wid}-{counter}"
                    body = arrival(rng, counter)
                t0 = time.perf_counter()
                status, answer = await client.post(body, key)
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
                if status != 201:
                    problems.append(f"{status} for key {key}: {answer!r:.200}")
                if status == 201:
                    # the answer is checked: a registration with its person, and a retried key
                    # gets the first answer's person back
                    person = answer.get("person_id") if isinstance(answer, dict) else None
                    if not person:
                        problems.append(f"201 without a person_id: {answer!r:.200}")
                    elif answers.setdefault(key, person) != person:
                        problems.append(f"key {key} answered {person}, first {answers[key]}")
                    if key not in created_keys:
                        created_keys.add(key)
                        used_keys.append(key)
                        bodies[key] = body
        finally:
            await client.close()

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
            "distinct_keys_created": len(created_keys), "answer_problems": problems[:10],
            "load_generator": client_kind}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8,
                    help="pactum serve --threads: requests each worker handles at once")
    ap.add_argument("--client", choices=["raw", "httpx"], default="raw",
                    help="load generator: lean asyncio HTTP/1.1 client (default) or httpx")
    ap.add_argument("--py-spy", type=Path, default=None, metavar="DIR",
                    help="sample the server's processes with py-spy during the load (raw stacks)")
    ap.add_argument("--out", type=Path, default=None,
                    help="result file (default bench/results/registration-<store>.json)")
    args = ap.parse_args()
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = prepare_store(args.store, workdir)
        env = {**os.environ, "PACTUM_DATABASE_URL": url, "PACTUM_VAR_DIR": str(workdir)}
        subprocess.run([pactum_command(), "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        from pactum.scenario.steps.registry import DEMO_PASSWORD

        subprocess.run([pactum_command(), "users", "create", "bench-it", "--authority", "IT",
                        "--role", "caseworker", "--password", DEMO_PASSWORD], env=env, check=True,
                       capture_output=True)
        with pactum_server(env, "--workers", str(args.workers), "--threads", str(args.threads),
                           wait_s=120) as (base, server):
            token = httpx.post(f"{base}/api/v1/auth/token",
                               json={"username": "bench-it", "password": DEMO_PASSWORD}).json()["access_token"]
            db_name = url.rsplit("/", 1)[1] if args.store == "postgres" else None
            spies = []
            if args.py_spy:
                args.py_spy.mkdir(parents=True, exist_ok=True)
                spy = Path(sys.executable).parent / "py-spy"
                spies = [subprocess.Popen(
                    [str(spy), "record", "-r", "100", "-f", "raw", "-d", str(int(args.seconds)),
                     "-p", str(pid), "-o", str(args.py_spy / f"server-{pid}.txt")],
                    stdout=subprocess.DEVNULL, stderr=(args.py_spy / f"py-spy-{pid}.log").open("w"))
                    for pid in [server.pid, *_descendants(server.pid)]]
            time.sleep(1.0)  # PostgreSQL publishes a backend's statistics within a second
            xact_before = pg_transactions(db_name)
            cpu_before = cpu_snapshot(server.pid, db_name)
            result = asyncio.run(load(base, token, args.seconds, args.clients, args.client))
            cpu_after = cpu_snapshot(server.pid, db_name)
            time.sleep(1.0)
            xact_after = pg_transactions(db_name)
            for p in spies:
                p.wait(timeout=60)
            n = max(1, int(result["requests"]))  # type: ignore[call-overload]
            result["cpu_ms_per_request"] = {
                k: round((cpu_after[k] - cpu_before[k]) * 1000 / n, 2) for k in cpu_after}
            if xact_before:
                # includes the transactions of the answers read back (a retried key's lookup)
                result["postgres_transactions"] = {
                    k: xact_after[k] - xact_before[k] for k in xact_after}
                result["postgres_commits_per_request"] = round(
                    (xact_after["commits"] - xact_before["commits"]) / n, 3)
        from pactum.store.engine import make_engine
        from pactum.store.tables.registry import encounters

        engine = make_engine(url)
        with engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(encounters)).scalar()
        engine.dispose()
        drop_store(args.store, url)

    result.update({
        "benchmark": "registration_api", "store": args.store, "clients": args.clients,
        "server_workers": args.workers, "server_threads": args.threads, "seconds": args.seconds,
        "encounters_stored": stored,
        "count_check": ("ok" if stored == result["distinct_keys_created"]
                        and not result["answer_problems"] else "MISMATCH"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "command": " ".join(["python", "bench/registration/run.py", *sys.argv[1:]]),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                 capture_output=True, text=True).stdout.strip(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    out = args.out or ROOT / "bench" / "results" / f"registration-{args.store}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["count_check"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())

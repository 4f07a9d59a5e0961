"""CPU profile of one registration through the whole ASGI stack, without sockets.

Calls the application in-process (httpx ASGI transport: routing, request parsing, pydantic
validation, the token lookup, the handler, serialisation) N times in sequence on a fresh store and
prints the CPU time per request and the cProfile top entries. Used to find where the server's time
goes; the throughput target itself is measured by run.py over real HTTP.

    python bench/registration/profile_inprocess.py --store sqlite|postgres --requests 500 [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import arrival, drop_store, prepare_store


async def drive(app: object, token: str, n: int, prof: cProfile.Profile | None) -> float:
    import httpx

    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    rng = random.Random(1)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        headers = {"Authorization": f"Bearer {token}"}
        for i in range(20):  # warm-up: compiled statements, caches
            r = await client.post("/api/v1/registry/arrivals", json=arrival(rng, i),
                                  headers={**headers, "Idempotency-Key": f"warm{i}"})
            assert r.status_code == 201, r.text
        bodies = [arrival(rng, i) for i in range(n)]
        if prof:
            prof.enable()
        t0 = time.process_time()
        for i, body in enumerate(bodies):
            r = await client.post("/api/v1/registry/arrivals", json=body,
                                  headers={**headers, "Idempotency-Key": f"k{i}"})
            assert r.status_code == 201, r.text
        cpu = time.process_time() - t0
        if prof:
            prof.disable()
    return cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = prepare_store(args.store, Path(tmp))
        os.environ["PACTUM_DATABASE_URL"] = url
        os.environ["PACTUM_VAR_DIR"] = tmp
        try:
            from pactum.api.app import create_app
            from pactum.scenario.steps.registry import DEMO_PASSWORD
            from pactum.services import users
            from pactum.services.auth import SYSTEM
            from pactum.services.bootstrap import bootstrap
            from pactum.store.migrate import upgrade

            services = bootstrap()
            upgrade(services.engine)
            users.create_user(services, SYSTEM, users.UserCreate(
                username="bench-it", full_name="bench", authority="IT", roles=["caseworker"],
                password=DEMO_PASSWORD))  # type: ignore[list-item]
            app = create_app(services)
            principal = users.authenticate(services, "bench-it", DEMO_PASSWORD)
            token = users.open_session(services, principal, "api")
            prof = cProfile.Profile(time.thread_time) if args.profile else None

            async def served() -> float:
                # with the application's lifespan, as `pactum serve` runs it (on PostgreSQL the
                # registration then runs on the event loop with the store's own connections)
                async with app.router.lifespan_context(app):
                    return await drive(app, token, args.requests, prof)

            cpu = asyncio.run(served())
            print(f"{args.store}: {args.requests} requests, CPU {cpu * 1000 / args.requests:.2f} ms "
                  "per request (this process: client + app + driver)")
            if prof:
                st = pstats.Stats(prof)
                st.sort_stats("cumulative").print_stats(args.top)
                st.sort_stats("tottime").print_stats(args.top)
            services.engine.dispose()
        finally:
            drop_store(args.store, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())

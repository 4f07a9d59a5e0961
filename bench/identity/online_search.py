"""Online identity search latency and recall against N identity records in the platform store.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/identity/online_search.py --records 1000000 --queries 1000

1. Load (timed apart, not part of any latency figure): N generated records of all Member States
   and Eurodac categories go into a fresh migrated store with bulk inserts (executemany of
   prepared rows: persons, identity records and their search keys, computed by the platform's
   ``features`` and ``search_key_row``); the blocking indexes are dropped before and built after
   the load. Each generated person is one ``persons`` row, so the store knows the truth. About
   0.2% of the generated records are held out of the store and become the queries: a new
   registration of a person who may already be in the store.
   ``--reuse`` keeps a store loaded by an earlier run (its load figures are in ``<db>.load.json``).
2. Latency: ``pactum.services.identity.search`` (the function behind ``POST
   /api/v1/identity/search``, without HTTP) as a German caseworker, one query at a time: p50, p95,
   p99, rows in the blocks and rows scored.
3. Recall: recall@k = share of queries, among those whose person has at least one record in the
   store that a German caseworker may see, with a record of that person among the first k
   candidates (k = 1, 5 and the limit 20).
4. Baseline in the same run, on the first ``--baseline-queries`` queries: last session's
   retrieval (every row of the same blocks, up to 2,000, read with the full join and scored in
   Python) — its latency and recall@k on the same queries — and the recall of the blocks
   themselves (every row, no cap), which bounds what any ranking of them can reach.
5. Link load (``link_load``): per query, the candidates at or above the probability at which a
   registration creates a yellow link, and the share of them that are the query's own person;
   beside it the baseline in the same run, the same candidates without the adjustment of the
   names weight by the name's frequency in the store.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: the shared serving helper

from pactum.common.clock import FixedClock
from pactum.identity.features import features
from pactum.identity.generator import Generator
from pactum.identity.schemas import SearchQuery
from pactum.services import identity
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.migrate import upgrade
from pactum.store.tables.identity import identity_search_keys
from pactum.store.tables.registry import eurodac_records, identity_records, persons

NOW = datetime(2026, 11, 28, tzinfo=UTC)
OFFICER = Principal("bench", "bench-de", "DE", frozenset({Role.caseworker}))
BATCH = 20_000
KS = (1, 5, 20)


def _load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _blocking_indexes() -> list[Any]:
    return [ix for ix in identity_search_keys.indexes if ix.name != "ix_identity_search_keys_document"]


def load(services: Services, n: int, seed: int) -> dict[str, Any]:
    """Bulk-load n records; returns the held-out query rows and the load timings."""
    gen = Generator(seed=seed)
    rng = random.Random(seed)
    held: list[dict[str, str]] = []
    seen_persons: set[str] = set()
    t0 = time.perf_counter()
    t_prepare = t_insert = 0.0
    loaded = 0
    with services.engine.begin() as conn:
        for ix in _blocking_indexes():
            ix.drop(conn)
        batch_p: list[dict[str, Any]] = []
        batch_r: list[dict[str, Any]] = []
        batch_k: list[dict[str, Any]] = []
        batch_e: list[dict[str, Any]] = []
        p0 = time.perf_counter()
        for rec in gen.iter_records(n + n // 400 + 10):
            row = rec.as_row(True)
            if rng.random() < 0.002:
                held.append(row)
                continue
            pid = row["person_id"]
            if pid not in seen_persons:
                seen_persons.add(pid)
                batch_p.append({"id": pid, "member_state": row["member_state"], "created_at": NOW, "version": 1})
            rid = row["record_id"]
            batch_r.append({"id": rid, "person_id": pid, "member_state": row["member_state"],
                            "recorded_on": date.fromisoformat(row["recorded_on"]), "category": row["category"],
                            "given_names": row["given_names"] or None, "surname": row["surname"] or None,
                            "given_names_latin": None, "surname_latin": None,
                            "father_name": row["father_name"] or None, "sex": row["sex"] or None,
                            "date_of_birth": row["date_of_birth"] or None,
                            "place_of_birth": row["place_of_birth"] or None, "nationality": row["nationality"] or "XXX",
                            "document_number": row["document_number"] or None, "created_at": NOW, "version": 1})
            batch_k.append(identity.search_key_row(rid, row["member_state"], row["category"], features(row)))
            # each record's Eurodac data, as the registry stores them: another state reaches a record
            # through Eurodac only (docs/identity.md)
            batch_e.append({"id": f"E{rid}", "identity_record_id": rid, "member_state": row["member_state"],
                            "category": row["category"], "registered_at": NOW,
                            "retention_until": date(2036, 1, 1), "marked_at": None, "erased_at": None})
            loaded += 1
            if len(batch_r) >= BATCH or loaded == n:
                i0 = time.perf_counter()
                t_prepare += i0 - p0
                for table, rows in ((persons, batch_p), (identity_records, batch_r),
                                    (identity_search_keys, batch_k), (eurodac_records, batch_e)):
                    if rows:
                        conn.execute(insert(table), rows)
                batch_p, batch_r, batch_k, batch_e = [], [], [], []
                p0 = time.perf_counter()
                t_insert += p0 - i0
                if loaded % 100_000 == 0 or loaded == n:
                    print(f"loaded {loaded} ({p0 - t0:.0f} s)", flush=True)
            if loaded == n:
                break
        c0 = time.perf_counter()
        for ix in _blocking_indexes():
            ix.create(conn)
        if services.engine.dialect.name == "sqlite":
            conn.execute(text("ANALYZE"))
    if services.engine.dialect.name == "postgresql":  # statistics and the visibility map (index-only scans)
        with services.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    t_index = time.perf_counter() - c0
    return {"held_out": held, "records": loaded, "persons": len(seen_persons),
            "load_s": round(time.perf_counter() - t0, 1), "generate_and_features_s": round(t_prepare, 1),
            "insert_s": round(t_insert, 1), "index_and_analyze_s": round(t_index, 1)}


def _query(row: dict[str, str]) -> SearchQuery:
    return SearchQuery(given_names=row["given_names"] or None, surname=row["surname"] or None,
                       father_name=row["father_name"] or None, date_of_birth=row["date_of_birth"] or None,
                       document_number=row["document_number"] or None, nationality=row["nationality"] or None,
                       place_of_birth=row["place_of_birth"] or None, sex=row["sex"] or None)


def _persons_of(conn: Any, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update(dict(conn.execute(select(identity_records.c.id, identity_records.c.person_id)
                                     .where(identity_records.c.id.in_(chunk))).all()))
    return out


def _recall(ranked: list[list[str]], truth: list[str], rec_person: dict[str, str],
            has_match: list[bool]) -> dict[str, float]:
    out = {}
    n = sum(has_match)
    for k in KS:
        hits = sum(1 for ids, p, m in zip(ranked, truth, has_match, strict=True)
                   if m and any(rec_person.get(r) == p for r in ids[:k]))
        out[f"recall_at_{k}"] = round(hits / n, 4) if n else float("nan")
    return out


# Last session's retrieval, kept here as the baseline: the same blocks OR-ed in one query over
# the joined rows, up to 2,000 rows, every row scored in Python.
_OLD_LIMIT = 2000


def _link_load(bodies: list[SearchQuery], answers: list[list[dict[str, Any]]], truth: list[str],
               rec_person: dict[str, str]) -> dict[str, Any]:
    """How many of a search's candidates reach the probability at which registration creates a
    yellow link (``links.CANDIDATE``), and how many of those are the query's own person: the
    verification queue a registration adds. Beside it, in the same run, the baseline: the same
    candidates with the names weight not adjusted by the name's frequency in the store (the
    ``term_frequency_adjustment`` of each explanation taken back out), as the search scored them
    before it made the adjustment."""
    import math

    from pactum.identity import links

    per_query, per_query_base, true_links, true_links_base, found, found_base = [], [], 0, 0, 0, 0
    for cands, person in zip(answers, truth, strict=True):
        n = n_base = t = t_base = 0
        for c in cands:
            p = float(c["match_probability"])
            w = math.log2(p / (1 - p)) if 0 < p < 1 else (60.0 if p >= 1 else -60.0)
            w_base = w - float(c["explanation"]["names"].get("term_frequency_adjustment", 0.0))
            same = rec_person.get(c["identity_record_id"]) == person
            if p >= links.CANDIDATE:
                n, t = n + 1, t + same
            if 1 / (1 + 2 ** -w_base) >= links.CANDIDATE:
                n_base, t_base = n_base + 1, t_base + same
        per_query.append(n)
        per_query_base.append(n_base)
        true_links, true_links_base = true_links + t, true_links_base + t_base
        found, found_base = found + (t > 0), found_base + (t_base > 0)

    def summary(xs: list[int], true: int, hit: int) -> dict[str, Any]:
        return {"mean_per_query": round(float(np.mean(xs)), 3), "p95_per_query": int(np.percentile(xs, 95)),
                "max_per_query": int(max(xs)), "share_of_the_query_person": round(true / max(1, sum(xs)), 4),
                "queries_with_their_person_among_them": hit}

    return {"threshold": links.CANDIDATE, "queries": len(bodies), "search": summary(per_query, true_links, found),
            "baseline_without_term_frequency_adjustment": summary(per_query_base, true_links_base, found_base)}


def old_search(conn: Any, f: dict[str, Any], ms: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    conds = identity._blocks(f)
    if not conds:
        return [], 0
    sql = identity._VISIBLE_SQL.format(where=" OR ".join(f"({c})" for c in conds)) + f" LIMIT {_OLD_LIMIT}"
    # records past their Eurodac retention day count as erased (the search's own rule since 30 Nov)
    rows = conn.execute(text(sql), {**identity.block_params(f), "today": date.today()}).fetchall()
    return identity._score_rows(conn, ms, f, rows, limit), len(rows)


def _over_http(url: str, var_dir: Path, bodies: list[SearchQuery], truth: list[str],
               has_match: list[bool]) -> dict[str, Any]:
    """The same queries posted one at a time to ``POST /api/v1/identity/search`` of a ``pactum
    serve`` (one worker) on the same store, as a German caseworker with a bearer token: the
    latency a client sees (HTTP, authentication, validation, JSON)."""
    import subprocess

    import httpx
    from serving import pactum_command, pactum_server

    from pactum.scenario.steps.registry import DEMO_PASSWORD

    env = {**os.environ, "PACTUM_DATABASE_URL": url, "PACTUM_VAR_DIR": str(var_dir)}
    subprocess.run([pactum_command(), "users", "create", "bench-de-http", "--authority", "DE", "--role", "caseworker",
                    "--password", DEMO_PASSWORD], env=env, capture_output=True)  # exists after a first run
    with (pactum_server(env, "--workers", "1") as (base, _server),
          httpx.Client(base_url=base, timeout=30) as client):
        token = client.post("/api/v1/auth/token", json={"username": "bench-de-http",
                                                         "password": DEMO_PASSWORD}).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        client.post("/api/v1/identity/search", json={"surname": "warm", "given_names": "up"})
        lat, ranked = [], []
        for body in bodies:
            payload = body.model_dump(exclude_none=True)
            s0 = time.perf_counter()
            r = client.post("/api/v1/identity/search", json=payload)
            lat.append((time.perf_counter() - s0) * 1000)
            if r.status_code != 200:
                raise SystemExit(f"search answered {r.status_code}: {r.text[:200]}")
            ranked.append([c["identity_record_id"] for c in r.json()["candidates"]])
    with Services(settings=Settings(database_url=url, var_dir=var_dir)).engine.connect() as conn:
        rec_person = _persons_of(conn, sorted({r for ids in ranked for r in ids}))
    return {"queries": len(lat), "p50_ms": round(float(np.percentile(lat, 50)), 2),
            "p95_ms": round(float(np.percentile(lat, 95)), 2), "p99_ms": round(float(np.percentile(lat, 99)), 2),
            "server": "pactum serve --workers 1, one client, keep-alive (httpx)",
            **_recall(ranked, truth, rec_person, has_match)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--baseline-queries", type=int, default=200)
    ap.add_argument("--db", type=Path, default=Path("/tmp/pactum-identity-bench.db"))
    ap.add_argument("--database-url", default="", help="a PostgreSQL URL instead of the SQLite file --db")
    ap.add_argument("--caps", default="", help="other pre-score caps to time on the baseline queries, e.g. 50,100,400")
    ap.add_argument("--reuse", action="store_true", help="keep the store of an earlier run with the same --records")
    ap.add_argument("--http", action="store_true",
                    help="also time POST /api/v1/identity/search through `pactum serve` on the same store")
    ap.add_argument("--load-only", action="store_true",
                    help="load the store and stop (run the load outside the bench lock, then measure with --reuse)")
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_online_search.json"))
    args = ap.parse_args()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = _load_avg()
    url = args.database_url or f"sqlite:///{args.db}"
    info_path = Path(f"{args.db}.load.json") if not args.database_url else Path(
        f"/tmp/pactum-identity-bench-{url.rsplit('/', 1)[-1]}.load.json")
    services = Services(settings=Settings(database_url=url, var_dir=args.db.parent),
                        clock=FixedClock(datetime(2026, 11, 28, 12, tzinfo=UTC)))
    info: dict[str, Any] | None = None
    if args.reuse and info_path.exists():
        info = json.loads(info_path.read_text())
        if info.get("records") != args.records:
            info = None
    if info is None:
        if not args.database_url and args.db.exists():
            args.db.unlink()
        upgrade(services.engine)
        info = load(services, args.records, seed=4)
        info["loaded_utc"] = datetime.now(UTC).isoformat(timespec="seconds")
        info["load_average_after_load"] = _load_avg()
        info_path.write_text(json.dumps(info))
    if args.load_only:
        print(json.dumps({k: v for k, v in info.items() if k != "held_out"}, indent=2))
        return
    held = info["held_out"]
    rng = random.Random(5)
    rows = [r for r in held if r["given_names"] or r["surname"] or r["document_number"]]
    rng.shuffle(rows)
    rows = rows[: args.queries]
    bodies = [_query(r) for r in rows]
    truth = [r["person_id"] for r in rows]
    with services.engine.connect() as conn:  # which queries have a record of their person a DE officer may see
        has_match = []
        for p in truth:
            recs = conn.execute(select(identity_records.c.member_state, identity_records.c.category)
                                .where(identity_records.c.person_id == p)).all()
            has_match.append(any(ms == "DE" or cat == "applicant" for ms, cat in recs))
    identity.search(services, OFFICER, SearchQuery(surname="warm", given_names="up"))
    lat, blocked, scored, ranked, answers = [], [], [], [], []
    for body in bodies:
        s0 = time.perf_counter()
        res = identity.search(services, OFFICER, body)
        lat.append((time.perf_counter() - s0) * 1000)
        blocked.append(res["blocked_rows"])
        scored.append(res["scored_rows"])
        ranked.append([c["identity_record_id"] for c in res["candidates"]])
        answers.append(res["candidates"])
    http = _over_http(url, args.db.parent, bodies, truth, has_match) if args.http else None
    nb = min(args.baseline_queries, len(bodies))
    sweep: dict[int, dict[str, Any]] = {}
    platform_cap = identity.PRESCORE_CAP
    for cap in (int(c) for c in args.caps.split(",") if c):
        identity.PRESCORE_CAP = cap
        c_lat, c_ranked = [], []
        for body in bodies[:nb]:
            s0 = time.perf_counter()
            res = identity.search(services, OFFICER, body)
            c_lat.append((time.perf_counter() - s0) * 1000)
            c_ranked.append([c["identity_record_id"] for c in res["candidates"]])
        sweep[cap] = {"lat": c_lat, "ranked": c_ranked}
    identity.PRESCORE_CAP = platform_cap
    old_lat, old_rows, old_ranked, block_ids = [], [], [], []
    with services.engine.connect() as conn:
        for body in bodies[:nb]:
            f = features(body.model_dump())
            s0 = time.perf_counter()
            cands, n_rows = old_search(conn, f, "DE", body.limit)
            old_lat.append((time.perf_counter() - s0) * 1000)
            old_rows.append(n_rows)
            old_ranked.append([c["identity_record_id"] for c in cands])
            block_ids.append(identity._candidate_ids(conn, f, "DE", None, cap=10_000_000, today=date.today())[0])
        every = sorted({r for ids in ranked + old_ranked + block_ids + [i for v in sweep.values() for i in v["ranked"]]
                        for r in ids})
        rec_person = _persons_of(conn, every)
        load_of_links = _link_load(bodies, answers, truth, rec_person)
    new_recall = _recall(ranked, truth, rec_person, has_match)
    new_recall_same = _recall(ranked[:nb], truth[:nb], rec_person, has_match[:nb])
    old_recall = _recall(old_ranked, truth[:nb], rec_person, has_match[:nb])
    n_match_nb = sum(has_match[:nb])
    block_recall = (sum(1 for ids, p, m in zip(block_ids, truth[:nb], has_match[:nb], strict=True)
                        if m and any(rec_person.get(r) == p for r in ids)) / n_match_nb) if n_match_nb else float("nan")

    def pct(xs: list[float], q: float) -> float:
        return round(float(np.percentile(xs, q)), 2)

    out = {
        "benchmark": "identity_online_search", "started_utc": started,
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": load_before, "load_average_after": _load_avg(),
        "records": info["records"], "persons": info["persons"],
        "store": "PostgreSQL" if args.database_url else "SQLite (file)",
        "load": {k: v for k, v in info.items() if k != "held_out"},
        "queries": len(lat), "queries_with_a_visible_true_record": sum(has_match),
        "prescore_cap": identity.PRESCORE_CAP,
        "search": {"p50_ms": pct(lat, 50), "p95_ms": pct(lat, 95), "p99_ms": pct(lat, 99),
                   "mean_block_rows": round(float(np.mean(blocked)), 1), "max_block_rows": int(max(blocked)),
                   "mean_scored_rows": round(float(np.mean(scored)), 1), "max_scored_rows": int(max(scored)),
                   **new_recall},
        "baseline_last_session_retrieval": {
            "queries": nb, "p50_ms": pct(old_lat, 50), "p95_ms": pct(old_lat, 95), "p99_ms": pct(old_lat, 99),
            "mean_scored_rows": round(float(np.mean(old_rows)), 1), "max_scored_rows": int(max(old_rows)),
            **old_recall,
            "new_search_on_the_same_queries": {"p50_ms": pct(lat[:nb], 50), "p95_ms": pct(lat[:nb], 95),
                                               **new_recall_same},
            "recall_of_the_whole_blocks": round(block_recall, 4)},
        "other_caps_on_the_baseline_queries": {
            str(cap): {"p50_ms": pct(v["lat"], 50), "p95_ms": pct(v["lat"], 95),
                       **_recall(v["ranked"], truth[:nb], rec_person, has_match[:nb])} for cap, v in sweep.items()},
        "http": http,
        "link_load": load_of_links,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, 24 GiB, shared with other engineers' work",
        "command": f"bench/identity/online_search.py --records {args.records} --queries {args.queries}"
                   + (f" --caps {args.caps}" if args.caps else "") + (" --reuse" if args.reuse else "") + (" --http" if args.http else "") + (" --database-url <postgres>" if args.database_url else ""),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""Design measurement: what naming the applicant costs the 5,000-case queue's SQL, by each way of
getting the name, on a database kept by ``caseworker_queue.py --keep``.

    flock /tmp/pactum-bench.lock .venv/bin/python bench/procedures/queue_names_design.py \
        --db pactum_bench_procedures_NNN --runs 30

The name is the one the case page shows: the person's latest identity record (``recorded_on``,
then ``id``), Latin script where given, given names then surname. Variants, each fetched over
psycopg as plain tuples (as ``_plain_rows`` does), timed interleaved, ``--runs`` times each after a
warm-up:

- ``none``: the queue's rows without the name (index-only scan of the assignee index);
- ``correlated``: the name from a correlated scalar subquery per row (SQLite and PostgreSQL);
- ``lateral``: ``LEFT JOIN LATERAL`` the latest record's four name columns (PostgreSQL only),
  the name joined in Python;
- ``second_query``: the rows, then the names of their persons in one ``= ANY(...)`` query;
- ``correlated_covering_index``: ``correlated`` with a temporary index on ``identity_records
  (person_id, recorded_on DESC, id DESC) INCLUDE (the four name columns)``;
- ``denormalised``: a copy of the applications carrying the name in a column, with the assignee
  index including it (what a name kept on the application would cost to read; the copy and its
  index are made for the measurement and dropped after it).

Each variant's names are checked to be the same. Writes ``bench/results/procedures_queue_names_design.json``
(``--out NAME`` for another name).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
WHERE = "a.assigned_to = 'bench-caseworker' AND a.closed IS false AND a.member_state = 'IT'"
ORDER = "ORDER BY a.next_deadline ASC NULLS LAST, a.id LIMIT 5001"
COLS = ("a.id, a.person_id, a.nationality, a.procedure, a.state, a.made_on, a.next_deadline, "
        "a.next_deadline_kind, a.assigned_to, a.unaccompanied_minor, a.routing_mandatory")
GIVEN = "coalesce(nullif(r.given_names_latin, ''), nullif(r.given_names, ''))"
SURNAME = "coalesce(nullif(r.surname_latin, ''), nullif(r.surname, ''))"
NAME = (f"CASE WHEN {GIVEN} IS NULL THEN {SURNAME} WHEN {SURNAME} IS NULL THEN {GIVEN} "
        f"ELSE {GIVEN} || ' ' || {SURNAME} END")
LATEST = (f"(SELECT {NAME} FROM identity_records r WHERE r.person_id = a.person_id "
          "ORDER BY r.recorded_on DESC, r.id DESC LIMIT 1)")
Q_NONE = f"SELECT {COLS} FROM asylum_applications a WHERE {WHERE} {ORDER}"
Q_CORRELATED = f"SELECT {COLS}, {LATEST} FROM asylum_applications a WHERE {WHERE} {ORDER}"
Q_LATERAL = (f"SELECT {COLS}, n.given_names_latin, n.given_names, n.surname_latin, n.surname "
             "FROM asylum_applications a LEFT JOIN LATERAL (SELECT r.given_names_latin, "
             "r.given_names, r.surname_latin, r.surname FROM identity_records r "
             "WHERE r.person_id = a.person_id ORDER BY r.recorded_on DESC, r.id DESC LIMIT 1) n "
             f"ON true WHERE {WHERE} {ORDER}")
Q_NAMES = ("SELECT person_id, given_names_latin, given_names, surname_latin, surname "
           "FROM identity_records WHERE person_id = ANY(%s) ORDER BY person_id, recorded_on, id")
Q_DENORMALISED = (f"SELECT {COLS}, a.person_name FROM bench_applications_named a WHERE {WHERE} {ORDER}")


def _name(gl: str | None, g: str | None, sl: str | None, s: str | None) -> str | None:
    return " ".join(x for x in (gl or g, sl or s) if x) or None


def _pct(xs: list[float], p: float) -> float:
    return xs[max(0, math.ceil(p * len(xs)) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--out", default="procedures_queue_names_design.json")
    args = ap.parse_args()
    conn = psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{args.db}", autocommit=True)
    load0 = os.getloadavg()
    setup: dict[str, float] = {}

    def none() -> list[Any]:
        return conn.execute(Q_NONE).fetchall()

    def correlated() -> list[Any]:
        return conn.execute(Q_CORRELATED).fetchall()

    def lateral() -> list[Any]:
        return [(*r[:11], _name(*r[11:])) for r in conn.execute(Q_LATERAL).fetchall()]

    def second_query() -> list[Any]:
        rows = conn.execute(Q_NONE).fetchall()
        names = {p: _name(gl, g, sl, s) for p, gl, g, sl, s in
                 conn.execute(Q_NAMES, ([r[1] for r in rows],)).fetchall()}  # the latest last
        return [(*r, names.get(r[1])) for r in rows]

    def denormalised() -> list[Any]:
        return conn.execute(Q_DENORMALISED).fetchall()

    def measure(variants: dict[str, Callable[[], list[Any]]]) -> dict[str, dict[str, float]]:
        reference = correlated()
        times: dict[str, list[float]] = {k: [] for k in variants}
        for k, fn in variants.items():
            got = fn()
            assert [r[0] for r in got] == [r[0] for r in reference], k
            if k != "none":
                assert [r[-1] for r in got] == [r[-1] for r in reference], k
        for _ in range(args.runs):
            for k, fn in variants.items():
                t = time.perf_counter()
                fn()
                times[k].append((time.perf_counter() - t) * 1000)
        out = {}
        for k, xs in times.items():
            xs.sort()
            out[k] = {"median_ms": round(statistics.median(xs), 1), "p90_ms": round(_pct(xs, 0.9), 1),
                      "min_ms": round(xs[0], 1), "max_ms": round(xs[-1], 1), "runs": len(xs)}
        return out

    started = datetime.now(UTC).isoformat(timespec="seconds")
    names = [r[-1] for r in correlated()]
    assert len(names) == 5000 and all(names), "the bench database's persons have no names"
    joins = measure({"none": none, "correlated": correlated, "lateral": lateral,
                     "second_query": second_query})
    plan = "\n".join(r[0] for r in conn.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + Q_CORRELATED))

    t = time.perf_counter()
    conn.execute("CREATE INDEX bench_ix_identity_records_latest ON identity_records "
                 "(person_id, recorded_on DESC, id DESC) INCLUDE (given_names_latin, given_names, "
                 "surname_latin, surname)")
    conn.execute("VACUUM ANALYZE identity_records")
    setup["covering_index_seconds"] = round(time.perf_counter() - t, 1)
    try:
        indexed = measure({"none": none, "correlated_covering_index": correlated})
        plan_indexed = "\n".join(r[0] for r in conn.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + Q_CORRELATED))
    finally:
        conn.execute("DROP INDEX IF EXISTS bench_ix_identity_records_latest")

    t = time.perf_counter()
    include = ("member_state, assigned_to, person_id, nationality, procedure, state, made_on, "
               "next_deadline_kind, unaccompanied_minor, routing_mandatory, person_name")
    conn.execute(f"CREATE TABLE bench_applications_named AS SELECT a.*, {LATEST} AS person_name "
                 "FROM asylum_applications a")
    conn.execute("CREATE INDEX bench_ix_named_assignee ON bench_applications_named "
                 f"(assigned_to, closed, next_deadline, id) INCLUDE ({include})")
    conn.execute("VACUUM ANALYZE bench_applications_named")
    setup["denormalised_copy_seconds"] = round(time.perf_counter() - t, 1)
    try:
        denorm = measure({"none": none, "denormalised": denormalised})
    finally:
        conn.execute("DROP TABLE IF EXISTS bench_applications_named")
    conn.close()
    result = {
        "benchmark": "procedures queue: the applicant's name, by design (SQL fetch of 5,000 rows)",
        "command": f"bench/procedures/queue_names_design.py --db {args.db} --runs {args.runs}",
        "when": started, "ended": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load0,
                    "load_average_at_end": os.getloadavg(),
                    "note": "2 cores shared with other engineers' tests and benchmarks"},
        "rows": len(names), "setup": setup,
        "joins_same_run": joins, "covering_index_same_run": indexed,
        "denormalised_same_run": denorm,
        "plan_correlated": plan, "plan_correlated_covering_index": plan_indexed,
    }
    out = ROOT / "bench" / "results" / args.out
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

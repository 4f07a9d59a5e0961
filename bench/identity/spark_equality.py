"""Do DuckDB and Spark give the same result? ``pactum identity link`` on both engines, compared.

    PYSPARK_SUBMIT_ARGS="--driver-memory 6g pyspark-shell" PYTHONPATH=src \\
        .venv/bin/python bench/identity/spark_equality.py --records 100000

Needs pyspark (``make test-spark`` installs it) and Java. Generates N records (seed 6, the
default noise profile and names, as ``bench/identity/batch_link.py``), links them with the shipped
model through :func:`pactum.services.identity.batch.link_file` (the CLI's code path) on DuckDB and
on a local Spark session (``local[2]``), and reports the number of clusters on each side, the
records whose clusters differ (as partitions: the cluster ids may differ, the grouping must not),
the pairs scored on one side only and the pairs whose probabilities differ by more than 1e-9.
A comparison of outputs, not a timing benchmark: the wall times are printed for information.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import time
from collections import defaultdict
from pathlib import Path

from pactum.identity.generator import NAME_POPULATIONS
from pactum.services.identity import batch

MODEL = Path("src/pactum/data/identity/default_model.json")


def _partition(path: Path) -> dict[str, frozenset[str]]:
    """Record id -> the set of record ids of its cluster."""
    groups: dict[str, set[str]] = defaultdict(set)
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        groups[r["cluster_id"]].add(r["record_id"])
    frozen = {cid: frozenset(ids) for cid, ids in groups.items()}
    return {r["record_id"]: frozen[r["cluster_id"]] for r in rows}


def _pairs(path: Path) -> dict[tuple[str, str], float]:
    with path.open(newline="", encoding="utf-8") as f:
        return {tuple(sorted((r["record_id_l"], r["record_id_r"]))): float(r["match_probability"])  # type: ignore[misc]
                for r in csv.DictReader(f)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--names", choices=NAME_POPULATIONS, default=NAME_POPULATIONS[0])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/pactum-identity-spark"))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    labelled = args.workdir / f"labelled_{args.records}_{args.seed}_{args.names}.csv"
    batch.generate_file(labelled, records=args.records, seed=args.seed, names=args.names)
    inp = args.workdir / f"input_{args.records}_{args.seed}_{args.names}.csv"
    with labelled.open(newline="", encoding="utf-8") as src, inp.open("w", newline="", encoding="utf-8") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=[c for c in reader.fieldnames or [] if c != "person_id"])
        writer.writeheader()
        for row in reader:
            row.pop("person_id")
            writer.writerow(row)
    walls: dict[str, float] = {}
    for engine in ("duckdb", "spark"):
        t0 = time.perf_counter()
        batch.link_file(inp, args.workdir / f"clusters_{engine}.csv", pairs=args.workdir / f"pairs_{engine}.csv",
                        engine=engine, model_path=MODEL,
                        progress=lambda s, e=engine, start=t0: print(f"[{e} {time.perf_counter() - start:7.1f}s] {s}", flush=True))
        walls[engine] = round(time.perf_counter() - t0, 1)
    duck, spark = _partition(args.workdir / "clusters_duckdb.csv"), _partition(args.workdir / "clusters_spark.csv")
    pd_, ps = _pairs(args.workdir / "pairs_duckdb.csv"), _pairs(args.workdir / "pairs_spark.csv")
    both = pd_.keys() & ps.keys()
    result = {
        "benchmark": "identity_spark_equality", "records": args.records, "seed": args.seed, "names": args.names,
        "model": str(MODEL), "started_utc": started,
        "finished_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "clusters": {"duckdb": len(set(duck.values())), "spark": len(set(spark.values()))},
        "records_in_different_clusters": sum(1 for rid in duck if duck[rid] != spark.get(rid)),
        "pairs": {"duckdb": len(pd_), "spark": len(ps), "duckdb_only": len(pd_.keys() - ps.keys()),
                  "spark_only": len(ps.keys() - pd_.keys())},
        "probabilities_differing_over_1e-9": sum(1 for k in both if abs(pd_[k] - ps[k]) > 1e-9),
        "wall_s": walls, "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "command": f"bench/identity/spark_equality.py --records {args.records} --seed {args.seed} --names {args.names}",
    }
    print(json.dumps(result, indent=2))
    if args.out is not None:
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Batch linkage throughput: ``pactum identity link`` on N generated records (DuckDB).

    .venv/bin/python bench/identity/batch_link.py --records 1000000

Generates a labelled CSV (seed 6), links it with the shipped model (``--model``) through the same
function as the CLI, and records wall time per stage, peak memory of the process (DuckDB runs in
it) and the accuracy of the clusters against the labels. With ``--train`` the model is trained
on the input by EM instead.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import time
from pathlib import Path

from pactum.identity.metrics import evaluate_clusters
from pactum.services.identity import batch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--train", action="store_true")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/pactum-identity-batch"))
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_batch.json"))
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    labelled = args.workdir / f"labelled_{args.records}.csv"
    t0 = time.perf_counter()
    batch.generate_file(labelled, records=args.records, seed=6)
    t_gen = time.perf_counter() - t0
    inp = args.workdir / f"input_{args.records}.csv"
    truth: dict[str, str] = {}
    with labelled.open(newline="", encoding="utf-8") as src, inp.open("w", newline="", encoding="utf-8") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=[c for c in reader.fieldnames or [] if c != "person_id"])
        writer.writeheader()
        for row in reader:
            truth[row["record_id"]] = row.pop("person_id")
            writer.writerow(row)
    model = None if args.train else Path("src/pactum/data/identity/default_model.json")
    clusters = args.workdir / "clusters.csv"
    t1 = time.perf_counter()
    result = batch.link_file(inp, clusters, model_path=model,
                             progress=lambda s: print(f"[{time.perf_counter() - t1:7.1f}s] {s}", flush=True))
    t_link = time.perf_counter() - t1
    with clusters.open(newline="", encoding="utf-8") as f:
        pred = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(f)}
    out = {
        "benchmark": "identity_batch_link", "records": args.records, "engine": "duckdb",
        "model": "trained on input (EM)" if args.train else "shipped model (seed 1, labels)",
        "generate_s": round(t_gen, 1), "link_wall_s": round(t_link, 1), "stages": result["timings_s"],
        "clusters": result["clusters"], "scores": evaluate_clusters(pred, truth).as_dict(),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other engineers' work",
        "command": f"bench/identity/batch_link.py --records {args.records}" + (" --train" if args.train else ""),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

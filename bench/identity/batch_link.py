"""Batch linkage throughput: ``pactum identity link`` on N generated records (DuckDB).

    flock /tmp/pactum-bench.lock .venv/bin/python bench/identity/batch_link.py --records 1000000

Generates a labelled CSV (seed 6, default noise profile), links it with the shipped model
(``--model``) through the same function as the CLI, and records wall time per stage, the
candidate pairs each blocking rule generated (after oversized blocks are split), peak memory of
the process (DuckDB runs in it), the load average before and after, and the accuracy of the
clusters against the generator's labels. With ``--train`` the model is trained on the input by
EM instead. ``--max-block 0`` runs the blocking rules without splitting (the unbounded baseline).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import time
from pathlib import Path

from pactum.identity.generator import NAME_POPULATIONS
from pactum.identity.metrics import evaluate_clusters
from pactum.services.identity import batch


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _same_as_generator(labelled: Path, args: argparse.Namespace) -> bool:
    """A file left by an earlier run is reused only if the current generator writes the same
    first 2,000 records for this seed and profile (the rest follows from the same random stream)."""
    from pactum.identity.generator import Generator, noise_profile

    gen = Generator(seed=args.seed, noise=noise_profile(args.profile, 1.0), names=args.names)
    with labelled.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for rec, row in zip(gen.iter_records(2000), reader, strict=False):
            if rec.as_row(True) != row:
                return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--profile", default="realistic")
    ap.add_argument("--names", choices=NAME_POPULATIONS, default=NAME_POPULATIONS[0])
    ap.add_argument("--train", action="store_true")
    ap.add_argument("--max-block", type=int, default=batch.MAX_BLOCK)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="6GB")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/pactum-identity-batch"))
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_batch.json"))
    ap.add_argument("--reuse", action="store_true",
                    help="reuse the labelled and input files of an earlier run in --workdir if the generator still "
                         "writes them (generation is not part of the link time)")
    args = ap.parse_args()
    started, load_before = _now(), _load()
    args.workdir.mkdir(parents=True, exist_ok=True)
    labelled = args.workdir / f"labelled_{args.records}_{args.seed}.csv"
    inp = args.workdir / f"input_{args.records}_{args.seed}.csv"
    reused = args.reuse and labelled.exists() and inp.exists() and _same_as_generator(labelled, args)
    t_gen: float | None = None
    if not reused:
        t0 = time.perf_counter()
        batch.generate_file(labelled, records=args.records, seed=args.seed, profile=args.profile,
                            names=args.names)
        t_gen = time.perf_counter() - t0
    rss_after_generate = _rss_mib()
    truth: dict[str, str] = {}
    with labelled.open(newline="", encoding="utf-8") as src:
        if reused:
            for row in csv.DictReader(src):
                truth[row["record_id"]] = row["person_id"]
        else:
            with inp.open("w", newline="", encoding="utf-8") as dst:
                reader = csv.DictReader(src)
                writer = csv.DictWriter(dst, fieldnames=[c for c in reader.fieldnames or [] if c != "person_id"])
                writer.writeheader()
                for row in reader:
                    truth[row["record_id"]] = row.pop("person_id")
                    writer.writerow(row)
    if len(truth) != args.records:
        raise SystemExit(f"{labelled}: {len(truth)} records, expected {args.records}")
    model = None if args.train else Path("src/pactum/data/identity/default_model.json")
    clusters = args.workdir / "clusters.csv"
    load_at_link = _load()
    t1 = time.perf_counter()
    result = batch.link_file(inp, clusters, model_path=model, em=args.train, max_block=args.max_block,
                             engine_options={"threads": args.threads, "memory_limit": args.memory_limit},
                             progress=lambda s: print(f"[{time.perf_counter() - t1:7.1f}s] {s}", flush=True))
    t_link = time.perf_counter() - t1
    with clusters.open(newline="", encoding="utf-8") as f:
        pred = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(f)}
    scores = evaluate_clusters(pred, truth).as_dict()
    out = {
        "benchmark": "identity_batch_link", "records": args.records, "seed": args.seed, "profile": args.profile,
        "names": args.names,
        "engine": "duckdb", "duckdb_threads": args.threads, "duckdb_memory_limit": args.memory_limit,
        "max_block": args.max_block,
        "model": "trained on input (EM)" if args.train else "shipped model (src/pactum/data/identity/default_model.json)",
        "started_utc": started, "finished_utc": _now(),
        "load_average_1_5_15": {"start": load_before, "link_start": load_at_link, "end": _load()},
        "generate_s": None if t_gen is None else round(t_gen, 1), "input_reused": bool(reused), "link_wall_s": round(t_link, 1), "stages_s": result["timings_s"],
        "candidate_pairs_by_rule": [
            {"rule": r["rule"], "action": r["action"], "largest_block": r.get("largest_block"),
             "largest_block_after": r.get("largest_block_after"), "refined_on": r.get("refined_on"),
             "pairs_unsplit": r.get("pairs_before"), "pairs": r.get("pairs")} for r in result["blocking"]],
        "candidate_pairs_total": sum(r.get("pairs") or 0 for r in result["blocking"]),
        "candidate_pairs_total_unsplit": sum(r.get("pairs_before") or 0 for r in result["blocking"]),
        "clusters": result["clusters"], "scores": scores,
        "peak_rss_mib": _rss_mib(), "peak_rss_after_generate_mib": rss_after_generate,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared with other engineers' work",
        "command": f"bench/identity/batch_link.py --records {args.records} --seed {args.seed} --max-block {args.max_block}"
                   + (" --train" if args.train else "") + (" --reuse" if args.reuse else ""),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""Accuracy benchmark: Pactum model vs a plain Splink configuration, tuned on one seed, reported
on another.

    .venv/bin/python bench/identity/accuracy.py --records 100000 --tune-seed 1 --report-seed 2

Writes bench/results/identity_accuracy.json. Three configurations run on the report seed in the
same process: the Pactum model trained without labels on the report data (EM), the Pactum model
whose m-probabilities were estimated from the labelled tuning seed (as verified links would
supply them), and the plain configuration (EM on the report data).
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import resource
import time
from pathlib import Path

from splink import Linker

from pactum.identity.generator import Generator
from pactum.identity.metrics import evaluate_clusters
from pactum.services.identity import linkage as L
from pactum.store.engines.identity_linkage import duckdb_api


def labelled_model(records: int, seed: int) -> dict:
    recs = Generator(seed=seed).records(records)
    df = L.prepare(r.as_row(False) for r in recs)
    df["person_id"] = [r.person_id for r in recs]
    api = duckdb_api()
    linker = Linker(api.register(df), L.pactum_settings(), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_m_from_label_column("person_id")
    sizes = df.person_id.value_counts()
    true_pairs = float(sum(c * (c - 1) // 2 for c in sizes))
    model = linker.misc.save_model_to_json()
    model["probability_two_random_records_match"] = true_pairs / (records * (records - 1) / 2)
    model["pactum"] = {"name": L.MODEL_NAME, "design_version": L.DESIGN_VERSION,
                       "trained_on": f"generator seed {seed}, {records} records, labels"}
    return model


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--tune-seed", type=int, default=1)
    ap.add_argument("--report-seed", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=L.DEFAULT_CLUSTER_THRESHOLD)
    ap.add_argument("--save-model", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_accuracy.json"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    model = labelled_model(args.records, args.tune_seed)
    if args.save_model:
        args.save_model.write_text(json.dumps(model, indent=1, sort_keys=True))
    recs = Generator(seed=args.report_seed).records(args.records)
    truth = {r.record_id: r.person_id for r in recs}
    df = L.prepare(r.as_row(False) for r in recs)
    results = {}
    runs = [("pactum_labels_from_tune_seed", dict(model=model)), ("pactum_em", {}), ("plain_splink", dict(config="plain"))]
    for name, kw in runs:
        res = L.link_frame(df, duckdb_api(), threshold=args.threshold, **kw)
        pred = dict(zip(res.clusters.record_id, res.clusters.cluster_id, strict=True))
        results[name] = {"scores": evaluate_clusters(pred, truth).as_dict(), "timings_s": res.timings}
        print(name, results[name], flush=True)
    out = {
        "benchmark": "identity_accuracy",
        "records": args.records, "tune_seed": args.tune_seed, "report_seed": args.report_seed,
        "threshold": args.threshold, "results": results,
        "wall_s": time.perf_counter() - t0,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "machine": f"{platform.machine()}, 2 cores shared with other engineers' work",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

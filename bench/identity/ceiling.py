"""How far can the comparisons of the linkage model take us? A diagnostic beside the accuracy
benchmark, not a product feature.

    PYTHONPATH=src .venv/bin/python bench/identity/ceiling.py --records 100000 --train-seed 1 --dev-seed 2

On the generator's labelled records (realistic profile): the model is trained from the labels of
``--train-seed`` (as ``bench/identity/accuracy.py`` does); the candidate pairs of both seeds (every
pair the blocking proposes with a match probability of at least 0.0005) are then scored in three
ways and clustered with the platform's average linkage, and the pairwise F1 of each on the
development seed is reported at the best of a few cluster thresholds:

* ``fellegi_sunter``: the trained Splink model (what the platform ships);
* ``logistic_levels``: a logistic regression on the same comparison levels (one indicator per
  level and comparison, the names' term frequency), fitted on the training seed's candidate pairs
  with their labels: the best *reweighting* of the model's evidence;
* ``boosted_features``: gradient-boosted trees on the levels plus features the model does not
  have (name frequency of each side, number of records with the same name key and birth year,
  father's name frequency, year difference, same nationality, same place): a bound on what more
  flexible use of the same fields gives.

Also reported: the share of true pairs whose person has a namesake (same given name, surname, sex
and nationality, both without a known date of birth, birth years within one) in the data, whom no
biographic comparison can tell apart.
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from splink import Linker

from pactum.identity.clustering import cluster_pairs
from pactum.identity.comparisons import PACTUM_COMPARISONS
from pactum.identity.generator import NAME_POPULATIONS, Generator, noise_profile
from pactum.identity.metrics import evaluate_clusters
from pactum.services.identity import linkage
from pactum.services.identity.training import model_from_labelled
from pactum.store.engines.identity_linkage import duckdb_api

SETTINGS = ((0.5, 0.3), (0.5, 0.5), (0.5, 0.7), (0.8, 0.7), (0.9, 0.5))
LEVELS = [f"g_{c.name}" for c in PACTUM_COMPARISONS]


def _candidates(records: list[Any], model: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    df = linkage.prepare(r.as_row(False) for r in records)
    truth = {r.record_id: r.person_id for r in records}
    settings = {k: v for k, v in model.items() if k != "pactum"}
    settings["retain_intermediate_calculation_columns"] = True  # the names' term frequencies
    linker = Linker(duckdb_api().register(df), settings, log_level=logging.WARNING)
    p = linker.inference.predict(threshold_match_probability=0.0005).as_pandas_dataframe()
    p = p[["unique_id_l", "unique_id_r", "match_probability", "tf_names_key_l", "tf_names_key_r"]].copy()
    rows = {}
    for r in df.to_dict("records"):
        rows[r["unique_id"]] = {k: (None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                                    else (list(v) if k == "name_words" else v)) for k, v in r.items()}
    for comp in PACTUM_COMPARISONS:
        p[f"g_{comp.name}"] = [comp.level_of(rows[a], rows[b]) for a, b in zip(p.unique_id_l, p.unique_id_r, strict=True)]
    p["y"] = [truth[a] == truth[b] for a, b in zip(p.unique_id_l, p.unique_id_r, strict=True)]
    return p, df.set_index("unique_id"), truth


def _level_features(p: pd.DataFrame) -> pd.DataFrame:
    x = pd.get_dummies(p[LEVELS].astype(str)).astype(float)
    x["log_tf"] = np.log(np.maximum(p.tf_names_key_l.fillna(1e-7), p.tf_names_key_r.fillna(1e-7)))
    return x


def _rich_features(p: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    x = p[LEVELS].copy()
    x["log_tf_max"] = np.log(np.maximum(p.tf_names_key_l.fillna(1e-7), p.tf_names_key_r.fillna(1e-7)))
    x["log_tf_min"] = np.log(np.minimum(p.tf_names_key_l.fillna(1e-7), p.tf_names_key_r.fillna(1e-7)))
    left, right = df.loc[p.unique_id_l], df.loc[p.unique_id_r]
    crowd = df.groupby(["names_key", "dob_year"]).size()
    x["crowd_l"] = [crowd.get(k, 0) for k in zip(left.names_key, left.dob_year, strict=True)]
    x["crowd_r"] = [crowd.get(k, 0) for k in zip(right.names_key, right.dob_year, strict=True)]
    fathers = df.father_key.value_counts()
    x["father_tf"] = [np.log(fathers.get(a, 0) + 1) if a is not None and a == b else -1.0
                      for a, b in zip(left.father_key.values, right.father_key.values, strict=True)]
    x["year_diff"] = np.abs(left.dob_year.astype(float).values - right.dob_year.astype(float).values)
    x["same_nationality"] = (left.nationality.values == right.nationality.values).astype(float)
    x["same_place"] = (left.place_folded.values == right.place_folded.values).astype(float)
    x["both_places"] = (left.place_folded.notna().values & right.place_folded.notna().values).astype(float)
    x["fs_weight"] = p.match_probability.clip(1e-9, 1 - 1e-9).pipe(lambda s: np.log(s / (1 - s))).values
    return x


def _best(p: pd.DataFrame, column: str, truth: dict[str, str]) -> dict[str, Any]:
    ids = list(truth)
    runs = []
    for threshold, merge in SETTINGS:
        clusters = cluster_pairs(ids, zip(p.unique_id_l, p.unique_id_r, p[column], strict=True),
                                 threshold=threshold, merge_threshold=merge)
        s = evaluate_clusters(clusters, truth).as_dict()
        runs.append({"threshold": threshold, "merge_average": merge, "pairwise_precision": s["pairwise_precision"],
                     "pairwise_recall": s["pairwise_recall"], "pairwise_f1": s["pairwise_f1"]})
    return {"best": max(runs, key=lambda r: r["pairwise_f1"]), "all": runs}


def _namesake_share(seed: int, n: int, names: str) -> float:
    gen = Generator(seed=seed, noise=noise_profile("realistic"), names=names)
    persons: dict[str, Any] = {}
    make = gen._person

    def remember(i: int) -> Any:
        person = make(i)
        persons[person.person_id] = person
        return person

    gen._person = remember  # type: ignore[method-assign]
    counts = collections.Counter(r.person_id for r in gen.records(n))
    groups = collections.defaultdict(list)
    for pid in counts:
        q = persons[pid]
        groups[(q.given[0], q.surname[0], q.sex, q.nationality)].append(q)
    total = ambiguous = 0
    for pid, c in counts.items():
        pairs = c * (c - 1) // 2
        q = persons[pid]
        total += pairs
        if not q.dob_known and any(o.person_id != pid and not o.dob_known and abs(o.born.year - q.born.year) <= 1
                                   for o in groups[(q.given[0], q.surname[0], q.sex, q.nationality)]):
            ambiguous += pairs
    return ambiguous / total if total else 0.0


def main() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--train-seed", type=int, default=1)
    ap.add_argument("--dev-seed", type=int, default=2)
    ap.add_argument("--names", choices=NAME_POPULATIONS, default=NAME_POPULATIONS[0])
    ap.add_argument("--out", type=Path, default=Path("bench/results/identity_ceiling.json"))
    args = ap.parse_args()
    started, load_before, t0 = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), os.getloadavg(), time.perf_counter()
    noise = noise_profile("realistic")
    train_records = Generator(seed=args.train_seed, noise=noise, names=args.names).records(args.records)
    model = model_from_labelled(train_records, duckdb_api(), label=f"generator seed {args.train_seed}")
    p1, df1, _ = _candidates(train_records, model)
    p2, df2, truth2 = _candidates(Generator(seed=args.dev_seed, noise=noise, names=args.names).records(args.records),
                                  model)
    x1 = _level_features(p1)
    x2 = _level_features(p2).reindex(columns=x1.columns, fill_value=0.0)
    p2["logistic"] = LogisticRegression(C=10, max_iter=2000).fit(x1, p1.y).predict_proba(x2)[:, 1]
    boosted = HistGradientBoostingClassifier(max_iter=300, categorical_features=list(range(len(LEVELS))))
    p2["boosted"] = boosted.fit(_rich_features(p1, df1), p1.y).predict_proba(_rich_features(p2, df2))[:, 1]
    candidates_recall = float(p2.y.sum()) / sum(c * (c - 1) // 2 for c in collections.Counter(truth2.values()).values())
    out = {
        "benchmark": "identity_ceiling", "records": args.records, "train_seed": args.train_seed,
        "dev_seed": args.dev_seed, "profile": "realistic", "candidate_pairs_dev": len(p2),
        "true_pairs_among_candidates": round(candidates_recall, 4),
        "fellegi_sunter": _best(p2, "match_probability", truth2),
        "logistic_levels": _best(p2, "logistic", truth2),
        "boosted_features": _best(p2, "boosted", truth2),
        "names": args.names,
        "true_pairs_of_persons_with_an_undated_namesake": round(_namesake_share(args.dev_seed, args.records,
                                                                                args.names), 4),
        "started_utc": started, "finished_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "wall_s": round(time.perf_counter() - t0, 1),
        "command": f"bench/identity/ceiling.py --records {args.records} --train-seed {args.train_seed} "
                   f"--dev-seed {args.dev_seed} --names {args.names}",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps({k: (v["best"] if isinstance(v, dict) and "best" in v else v) for k, v in out.items()}, indent=2))


if __name__ == "__main__":
    main()

"""The comparison levels are written twice, in Python (online search) and as Splink SQL (batch).
On every candidate pair of a generated sample, both must put the pair on the same level."""

from __future__ import annotations

import logging
import math

import pandas as pd
from splink import Linker

from pactum.identity.comparisons import PACTUM_COMPARISONS
from pactum.identity.generator import Generator
from pactum.services.identity import default_model
from pactum.services.identity import linkage as L
from pactum.store.engines.identity_linkage import duckdb_api


def _clean(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if v is pd.NA or v is None or (isinstance(v, float) and math.isnan(v)):
            out[k] = None
        elif k == "name_words" and v is not None:
            out[k] = list(v)
        else:
            out[k] = v
    return out


def test_python_and_splink_levels_agree_on_every_pair():
    recs = Generator(seed=21).records(1200)
    df = L.prepare(r.as_row(False) for r in recs)
    settings = {k: v for k, v in default_model().items() if k != "pactum"}
    settings["retain_intermediate_calculation_columns"] = True
    settings["retain_matching_columns"] = True
    linker = Linker(duckdb_api(threads=1).register(df), settings, log_level=logging.WARNING)
    pairs = linker.inference.predict().as_pandas_dataframe()
    feats = {r["unique_id"]: _clean(r) for r in df.to_dict("records")}
    assert len(pairs) > 1000
    disagreements = []
    for row in pairs.itertuples():
        a, b = feats[row.unique_id_l], feats[row.unique_id_r]
        for comp in PACTUM_COMPARISONS:
            splink_level = getattr(row, f"gamma_{comp.name}")
            if splink_level != comp.level_of(a, b):
                disagreements.append((comp.name, row.unique_id_l, row.unique_id_r))
    assert disagreements == []


def test_online_scorer_weighs_each_level_as_splink_does():
    """The search's scorer and the batch linkage give every comparison of a pair the same match
    weight, including levels that training never reached (two records of one person with
    different sexes) and the adjustment of a name's weight by how common the name is in the data
    (given the same frequencies: here those of the sample itself, as Splink counts them)."""
    from collections import Counter

    from pactum.identity.comparisons import TF_COLUMNS
    from pactum.identity.links import Scorer

    recs = Generator(seed=21).records(1200)
    df = L.prepare(r.as_row(False) for r in recs)
    settings = {k: v for k, v in default_model().items() if k != "pactum"}
    settings["retain_intermediate_calculation_columns"] = True
    settings["retain_matching_columns"] = True
    pairs = Linker(duckdb_api(threads=1).register(df), settings,
                   log_level=logging.WARNING).inference.predict().as_pandas_dataframe()
    feats = {r["unique_id"]: _clean(r) for r in df.to_dict("records")}
    counts = {col: Counter(f[col] for f in feats.values() if f[col] is not None) for col in TF_COLUMNS}
    scorer = Scorer(default_model())
    levels_seen, adjusted = set(), 0
    for row in pairs.itertuples():
        left = feats[row.unique_id_l]
        freq = {col: counts[col][left[col]] / sum(counts[col].values()) for col in TF_COLUMNS if left[col]}
        explanation = scorer.score(left, feats[row.unique_id_r], freq).explanation
        for comp in PACTUM_COMPARISONS:
            splink_weight = getattr(row, f"mw_{comp.name}") + (row.mw_tf_adj_names if comp.name == "names" else 0.0)
            assert abs(explanation[comp.name]["weight"] - splink_weight) < 1e-3, (comp.name, row)
            levels_seen.add((comp.name, explanation[comp.name]["level"]))
        adjusted += "term_frequency_adjustment" in explanation["names"]
    assert ("sex", "different") in levels_seen
    assert adjusted > 500

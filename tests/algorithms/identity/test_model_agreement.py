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

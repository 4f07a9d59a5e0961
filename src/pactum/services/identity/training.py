"""Supervised estimation of the model from labelled records (generated data or verified links)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pactum.identity import links as link_rules
from pactum.identity.generator import LabelledRecord
from pactum.services.identity import linkage

#: Random pairs drawn to estimate u from labelled records.
U_SAMPLE_PAIRS = 5_000_000


def model_from_labelled(records: Sequence[LabelledRecord], db_api: Any, *, label: str) -> dict[str, Any]:
    """m from the label column, u from random pairs of different persons
    (:func:`u_from_non_matches`) and, for the comparisons that depend on the name, among
    namesakes (:func:`linkage.u_among_namesakes`), prior from the labelled pair count."""
    df = linkage.prepare(r.as_row(False) for r in records)
    df["person_id"] = [r.person_id for r in records]
    linker = linkage.new_linker(db_api.register(df), linkage.pactum_settings())
    linker.training.estimate_m_from_label_column("person_id")
    n = len(df)
    true_pairs = float(sum(c * (c - 1) // 2 for c in df.person_id.value_counts()))
    # a level no labelled pair reaches keeps the m Splink predicts with, written out
    model: dict[str, Any] = link_rules.with_untrained_m(linker.misc.save_model_to_json())
    model = u_from_non_matches(df, db_api, model)
    model = linkage.u_among_namesakes(model, db_api, df)
    model["probability_two_random_records_match"] = max(true_pairs, 1.0) / max(n * (n - 1) / 2, 1.0)
    model["pactum"] = {"name": linkage.MODEL_NAME, "design_version": linkage.DESIGN_VERSION,
                       "trained_on": f"{label}, {n} records, labels", "trained_records": n}
    return model


def u_from_non_matches(df: pd.DataFrame, db_api: Any, model: dict[str, Any], *,
                       max_pairs: int = U_SAMPLE_PAIRS, seed: int = 1) -> dict[str, Any]:
    """``model`` with each level's u estimated from random pairs of records of *different*
    persons (``df.person_id``), the pairs of one person left out.

    u is the probability of a level for two records of different persons. Splink's random
    sampling counts every sampled pair, so the few true pairs among them (about one in 57,000 at
    100,000 records) make up most of the pairs that agree on a document number or on a rare full
    date: the u of such a level was the count of a handful of true pairs, and moved five-fold
    from one training to the next (the document level's weight 16.3 bits in one shipped model,
    14.1 in the next). With the labels the pairs of one person are left out. Counts are smoothed
    by the Jeffreys prior (:func:`linkage.set_u`).

    The pairs are all the pairs within random buckets of records, ``n² / (2 * max_pairs)``
    buckets, scored with the model's own comparisons (the SQL the predictions use)."""
    n = len(df)
    buckets = max(1, round(n * n / (2 * max_pairs)))
    frame = df.copy()
    frame["u_bucket"] = np.random.default_rng(seed).integers(0, buckets, size=n)
    counts = linkage.level_counts(model, db_api, frame, "l.u_bucket = r.u_bucket",
                                  where="person_id_l <> person_id_r", retain=["person_id"])
    out = copy.deepcopy(model)
    for comp in out["comparisons"]:
        linkage.set_u(comp, counts[comp["output_column_name"]])
    return out

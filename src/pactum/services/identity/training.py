"""Supervised estimation of the model from labelled records (generated data or verified links)."""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from splink import Linker

from pactum.identity import links as link_rules
from pactum.identity.generator import LabelledRecord
from pactum.services.identity import linkage

#: Random pairs drawn to estimate u from labelled records.
U_SAMPLE_PAIRS = 5_000_000


def model_from_labelled(records: Sequence[LabelledRecord], db_api: Any, *, label: str) -> dict[str, Any]:
    """m from the label column, u from random pairs of different persons
    (:func:`u_from_non_matches`), prior from the labelled pair count."""
    df = linkage.prepare(r.as_row(False) for r in records)
    df["person_id"] = [r.person_id for r in records]
    linker = Linker(db_api.register(df), linkage.pactum_settings(), log_level=logging.WARNING)
    linker.training.estimate_m_from_label_column("person_id")
    n = len(df)
    true_pairs = float(sum(c * (c - 1) // 2 for c in df.person_id.value_counts()))
    # a level no labelled pair reaches keeps the m Splink predicts with, written out
    model: dict[str, Any] = link_rules.with_untrained_m(linker.misc.save_model_to_json())
    model = u_from_non_matches(df, db_api, model)
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
    by adding one half to each level (the Jeffreys prior), so that a level no sampled pair of
    different persons falls into (two different persons with one document number) has a u
    below what the sample could see, not 0.

    The pairs are all the pairs within random buckets of records, ``n² / (2 * max_pairs)``
    buckets, scored with the model's own comparisons (the SQL the predictions use)."""
    n = len(df)
    buckets = max(1, round(n * n / (2 * max_pairs)))
    frame = df.copy()
    frame["u_bucket"] = np.random.default_rng(seed).integers(0, buckets, size=n)
    settings = copy.deepcopy(model)
    settings.pop("pactum", None)
    settings.pop("linker_uid", None)  # a linker of its own: its cached tables are of this frame
    settings["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": "l.u_bucket = r.u_bucket", "sql_dialect": settings.get("sql_dialect", "duckdb")}]
    settings["retain_intermediate_calculation_columns"] = False
    settings["retain_matching_columns"] = True  # with them Splink keeps the comparison levels (gamma_*)
    settings["additional_columns_to_retain"] = ["person_id"]
    linker = Linker(db_api.register(frame, dataset_display_name="identity_u_sample"), settings,
                    log_level=logging.WARNING)
    pairs = linker.inference.predict()
    out = copy.deepcopy(model)
    for comp in out["comparisons"]:
        gamma = f"{settings.get('comparison_vector_value_column_prefix', 'gamma_')}{comp['output_column_name']}"
        counts = linker.misc.query_sql(
            f"SELECT {gamma} AS g, count(*) AS n FROM {pairs.physical_name} "
            f"WHERE person_id_l <> person_id_r AND {gamma} <> -1 GROUP BY {gamma}", output_type="pandas")
        by_gamma = dict(zip(counts.g.astype(int), counts.n.astype(int), strict=True))
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        total = sum(by_gamma.values()) + 0.5 * len(levels)
        for i, level in enumerate(levels):  # levels from the best down: gamma len-1 .. 0
            level["u_probability"] = (by_gamma.get(len(levels) - 1 - i, 0) + 0.5) / total
    return out

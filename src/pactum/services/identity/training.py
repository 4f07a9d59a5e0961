"""Supervised estimation of the model from labelled records (generated data or verified links)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from splink import Linker

from pactum.identity.generator import LabelledRecord
from pactum.services.identity import linkage


def model_from_labelled(records: Sequence[LabelledRecord], db_api: Any, *, label: str) -> dict[str, Any]:
    """u from random sampling, m from the label column, prior from the labelled pair count."""
    df = linkage.prepare(r.as_row(False) for r in records)
    df["person_id"] = [r.person_id for r in records]
    linker = Linker(db_api.register(df), linkage.pactum_settings(), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_m_from_label_column("person_id")
    n = len(df)
    true_pairs = float(sum(c * (c - 1) // 2 for c in df.person_id.value_counts()))
    model: dict[str, Any] = linker.misc.save_model_to_json()
    model["probability_two_random_records_match"] = max(true_pairs, 1.0) / max(n * (n - 1) / 2, 1.0)
    model["pactum"] = {"name": linkage.MODEL_NAME, "design_version": linkage.DESIGN_VERSION,
                       "trained_on": f"{label}, {n} records, labels", "trained_records": n}
    return model

"""Multiple-identity links (Reg. (EU) 2019/817 and 2019/818, Arts 29-33) and candidate scoring.

Colours:

* **white** (Art 33): same biometrics and same or similar identity; or same or similar identity
  and the same travel document where one side has no biometrics;
* **yellow** (Art 30): created automatically when the linked data are not the same or similar
  and need manual verification (a biometric match with a different identity, or a similar
  identity without a shared biometric or document); pending until verified;
* **green** (Art 31): verified as different persons legitimately sharing similar data;
* **red** (Art 32): verified as the same person under an unjustified different identity, or a
  document misused.

The verifying authority is the authority whose record triggered the link (Art 29). A yellow link
becomes white, green or red by the officer's decision; the decision is a label for the model
(white and red: same person; green: different persons).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from pactum.identity.comparisons import PACTUM_COMPARISONS, Comparison


@functools.cache
def _shipped_model_text() -> str:
    return resources.files("pactum").joinpath("data/identity/default_model.json").read_text(encoding="utf-8")


def shipped_model() -> dict[str, Any]:
    """The model shipped with the release (trained on labelled generated data, seed 1), a fresh
    copy: the online search scores with it until the store has a trained model of its own, and
    training on an input starts from its u among namesakes."""
    model: dict[str, Any] = json.loads(_shipped_model_text())
    return model


WHITE, YELLOW, GREEN, RED = "white", "yellow", "green", "red"
COLOURS = (WHITE, YELLOW, GREEN, RED)
DECISIONS = (WHITE, GREEN, RED)

#: Above this match probability two identities are "the same or similar" (model design choice,
#: documented in docs/identity.md; not a legal number).
SIMILAR_IDENTITY = 0.95
#: Above this probability a candidate is worth a link and a verification.
CANDIDATE = 0.5
#: Cosine similarity above which two biometric templates are the same person.
BIOMETRIC_MATCH = 0.85


@dataclass(frozen=True)
class Scored:
    match_probability: float
    match_weight: float
    explanation: dict[str, dict[str, Any]]


def untrained_m(gamma: int, levels: int) -> float:
    """The m probability Splink gives a level that training never reached (a level no labelled
    true pair fell into: two records of one person with different sexes, in generated data): 0.95
    for the best level, the other 0.05 shared equally by the rest (Splink's
    ``_default_m_values``; ``tests/unit/identity/test_untrained_m.py`` holds the two equal).
    Batch linkage predicts with it, so the online scorer and the model page must use it too."""
    exact = 0.95
    return exact if gamma == levels - 1 else (1 - exact) / (levels - 1)


def with_untrained_m(model: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``model`` in which every non-null level without an m probability has the one
    Splink predicts with (:func:`untrained_m`), so that the artefact says what is used."""
    import copy

    out = copy.deepcopy(dict(model))
    for comp in out.get("comparisons", []):
        levels = [lv for lv in comp.get("comparison_levels", []) if not lv.get("is_null_level")]
        for i, lev in enumerate(levels):
            if lev.get("m_probability") is None:
                lev["m_probability"] = untrained_m(len(levels) - 1 - i, len(levels))
    return out


def _weights(model: Mapping[str, Any]) -> dict[str, list[tuple[str, float | None]]]:
    out: dict[str, list[tuple[str, float | None]]] = {}
    model = with_untrained_m(model)
    for comp in model.get("comparisons", []):
        levels: list[tuple[str, float | None]] = []
        for lev in comp.get("comparison_levels", []):
            m, u = lev.get("m_probability"), lev.get("u_probability")
            if lev.get("is_null_level"):
                levels.append(("null", 0.0))
            elif m is not None and u:
                levels.append((lev.get("label_for_charts") or "", math.log2(m / u) if m > 0 else -20.0))
            else:
                levels.append((lev.get("label_for_charts") or "", None))
        out[comp.get("output_column_name", "")] = levels
    return out


def prior_for(model: Mapping[str, Any], records: int | None) -> float:
    """The model's prior (``probability_two_random_records_match``) for data of ``records`` records.

    A person has about the same number of records whatever the size of the data, so the true
    pairs grow with the number of records while all pairs grow with its square: the probability
    that two random records match falls as 1/(n - 1). A model trained on ``n`` records (recorded
    as ``pactum.trained_records``) applied to ``N`` records therefore needs its prior scaled by
    (n - 1)/(N - 1); without that, a model trained on 100,000 records gives every pair of a
    1,000,000-record input ten times the odds it has, and namesakes are linked. Models without the
    record count (trained on the data they link) keep their prior."""
    lam = float(model.get("probability_two_random_records_match", 1e-4))
    trained = (model.get("pactum") or {}).get("trained_records")
    if not trained or not records or records < 2 or int(trained) < 2:
        return lam
    return min(lam * (int(trained) - 1) / (records - 1), 0.5)


def for_records(model: Mapping[str, Any], records: int | None) -> dict[str, Any]:
    """A copy of ``model`` whose prior is :func:`prior_for` ``records`` records."""
    out = dict(model)
    out["probability_two_random_records_match"] = prior_for(model, records)
    return out


class Scorer:
    """Scores pairs of feature rows with a trained model's match weights (Fellegi–Sunter)."""

    def __init__(self, model: Mapping[str, Any], comparisons: Sequence[Comparison] = PACTUM_COMPARISONS,
                 records: int | None = None):
        """``records``: size of the store the candidates come from (the prior is scaled to it,
        :func:`prior_for`); ``None`` keeps the model's own prior."""
        self.comparisons = comparisons
        self.weights = _weights(model)
        lam = prior_for(model, records)
        self.prior = math.log2(lam / (1 - lam))
        #: per term-frequency column, the u of the exact-match level on it (log2)
        self.tf_log2_u: dict[str, float] = {}
        saved = {c.get("output_column_name"): c.get("comparison_levels", []) for c in model.get("comparisons", [])}
        for comp in comparisons:
            levels_saved = saved.get(comp.name) or []
            for i, level in enumerate(comp.levels):
                u = levels_saved[i].get("u_probability") if level.exact_on and i < len(levels_saved) else None
                if level.exact_on and u:
                    self.tf_log2_u[level.exact_on] = math.log2(float(u))
        # per comparison, its levels with their weights resolved once (the online search scores a
        # few hundred candidates per query with the same scorer)
        self._plan: list[tuple[str, list[tuple[Any, str, float, str | None]]]] = []
        for comp in comparisons:
            levels = self.weights.get(comp.name)
            resolved = []
            for i, level in enumerate(comp.levels):
                w = levels[i][1] if levels and i < len(levels) else None
                w = 0.0 if w is None else w
                tf_col = level.tf_column if level.tf_column in self.tf_log2_u else None
                resolved.append((level.predicate, level.label, w, tf_col))
            self._plan.append((comp.name, resolved))

    def tf_adjustment(self, column: str, frequency: float) -> float:
        """Bits added to a level's weight when the value both records share on ``column`` is
        held by ``frequency`` of the records: log2(u of the exact level) - log2(frequency), as
        Splink's batch linkage adjusts it. Negative for a name more common than the average
        agreement (Mohammed Ahmed), positive for a rare one."""
        return self.tf_log2_u[column] - math.log2(frequency)

    def score(self, left: Mapping[str, Any], right: Mapping[str, Any],
              frequencies: Mapping[str, float] | None = None) -> Scored:
        """Fellegi–Sunter score of two feature rows. ``frequencies``: for a term-frequency column
        (:data:`comparisons.TF_COLUMNS`), the share of records holding ``left``'s value; a level
        on that column is then adjusted (:meth:`tf_adjustment`) and its explanation says by how
        much. Without it the level keeps its average weight."""
        total = self.prior
        explanation: dict[str, dict[str, Any]] = {}
        for name, levels in self._plan:
            for predicate, label, w, tf_col in levels:
                if predicate(left, right):
                    entry: dict[str, Any] = {"level": label}
                    freq = frequencies.get(tf_col) if (frequencies and tf_col is not None) else None
                    if tf_col is not None and freq:
                        adj = self.tf_adjustment(tf_col, freq)
                        w = w + adj
                        entry["term_frequency_adjustment"] = round(adj, 3)
                    entry["weight"] = round(w, 3)
                    explanation[name] = entry
                    total += w
                    break
        prob = 1.0 / (1.0 + 2.0 ** (-total))
        return Scored(prob, total, explanation)


def link_colour(match_probability: float | None, biometric_score: float | None,
                same_document: bool = False) -> str | None:
    """The colour of an automatically created link, or ``None`` when no link is warranted."""
    bio_same = biometric_score is not None and biometric_score >= BIOMETRIC_MATCH
    similar = match_probability is not None and match_probability >= SIMILAR_IDENTITY
    if bio_same:
        return WHITE if similar else YELLOW
    if biometric_score is None and similar and same_document:
        return WHITE
    if match_probability is not None and match_probability >= CANDIDATE:
        return YELLOW
    return None


def label_of(colour: str) -> int | None:
    """Decision -> training label: 1 same person (white, red), 0 different (green)."""
    return {WHITE: 1, RED: 1, GREEN: 0}.get(colour)

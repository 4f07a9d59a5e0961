"""Accuracy of a clustering against the truth: pairwise precision, recall and F1, and B-cubed.

Pairwise scores count pairs of records: a predicted pair is correct when both records belong to
the same person. They are computed from the contingency table of (predicted cluster, true
person), without enumerating pairs, so a million records take seconds. B-cubed scores average,
over records, the share of a record's predicted cluster that is truly its person (precision) and
the share of its person that is in its predicted cluster (recall) (Bagga & Baldwin, 1998).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    records: int

    def as_dict(self) -> dict[str, float | int]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def evaluate_clusters(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Score ``predicted`` (record id -> cluster id) against ``truth`` (record id -> person id).

    Records missing from ``predicted`` count as singletons. A clustering with no predicted pairs
    has precision 1 (it claims nothing false) and recall 0.
    """
    ids = list(truth)
    pred = {r: predicted.get(r, f"__singleton__{r}") for r in ids}
    cells = Counter((pred[r], truth[r]) for r in ids)
    pred_sizes = Counter(pred[r] for r in ids)
    true_sizes = Counter(truth[r] for r in ids)
    correct = sum(_pairs(n) for n in cells.values())
    predicted_pairs = sum(_pairs(n) for n in pred_sizes.values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    p = correct / predicted_pairs if predicted_pairs else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    n = len(ids)
    if n == 0:
        bp = br = 1.0
    else:
        bp = sum(c * c / pred_sizes[pc] for (pc, _), c in cells.items()) / n
        br = sum(c * c / true_sizes[tc] for (_, tc), c in cells.items()) / n
    return Scores(p, r, _f1(p, r), bp, br, _f1(bp, br), true_pairs, predicted_pairs, correct, n)


def evaluate_pairs(predicted_pairs: set[tuple[str, str]], truth: Mapping[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of a set of record pairs (order inside a pair does not matter)."""
    true_sizes = Counter(truth.values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    norm = {(a, b) if a < b else (b, a) for a, b in predicted_pairs if a != b}
    correct = sum(1 for a, b in norm if truth.get(a) is not None and truth.get(a) == truth.get(b))
    p = correct / len(norm) if norm else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    return p, r, _f1(p, r)


def share_of_pairs_one_person(person_ids: Iterable[str]) -> float:
    """The share of all pairs of records that are one person (the true value of a linkage
    model's prior), from each record's true person."""
    per_person = Counter(person_ids)
    n = sum(per_person.values())
    if n < 2:
        return 0.0
    return sum(k * (k - 1) / 2 for k in per_person.values()) / (n * (n - 1) / 2)

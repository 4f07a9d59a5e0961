"""Pairwise and B-cubed scores on clusterings small enough to count by hand."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactum.identity.metrics import evaluate_clusters, evaluate_pairs

TRUTH = {"a": "P1", "b": "P1", "c": "P1", "d": "P2", "e": "P3"}


def test_perfect_clustering():
    s = evaluate_clusters({"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}, TRUTH)
    assert (s.pairwise_precision, s.pairwise_recall, s.pairwise_f1) == (1.0, 1.0, 1.0)
    assert s.bcubed_f1 == 1.0


def test_hand_counted_merge_and_split():
    # predicted {a,b} {c,d} {e}: pairs ab (right), cd (wrong); true pairs ab ac bc
    s = evaluate_clusters({"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}, TRUTH)
    assert s.predicted_pairs == 2 and s.correct_pairs == 1 and s.true_pairs == 3
    assert s.pairwise_precision == pytest.approx(0.5)
    assert s.pairwise_recall == pytest.approx(1 / 3)
    # B-cubed precision per record: a 1, b 1, c 1/2, d 1/2, e 1 -> 4/5
    assert s.bcubed_precision == pytest.approx(0.8)
    # B-cubed recall: a 2/3, b 2/3, c 1/3, d 1, e 1 -> (2/3+2/3+1/3+1+1)/5
    assert s.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 2) / 5)


def test_all_singletons_claim_nothing():
    s = evaluate_clusters({}, TRUTH)
    assert s.pairwise_precision == 1.0 and s.pairwise_recall == 0.0 and s.pairwise_f1 == 0.0


def _brute(pred, truth):
    ids = sorted(truth)
    pp = {(a, b) for a, b in itertools.combinations(ids, 2) if pred[a] == pred[b]}
    tp = {(a, b) for a, b in itertools.combinations(ids, 2) if truth[a] == truth[b]}
    return len(pp & tp), len(pp), len(tp)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=25))
def test_pair_counts_equal_brute_force(assignments):
    truth = {f"r{i}": f"P{t}" for i, (t, _) in enumerate(assignments)}
    pred = {f"r{i}": f"C{p}" for i, (_, p) in enumerate(assignments)}
    s = evaluate_clusters(pred, truth)
    assert (s.correct_pairs, s.predicted_pairs, s.true_pairs) == _brute(pred, truth)


def test_evaluate_pairs_ignores_order_and_self_pairs():
    p, r, _f1 = evaluate_pairs({("b", "a"), ("a", "b"), ("c", "c"), ("d", "e")}, TRUTH)
    assert p == pytest.approx(0.5) and r == pytest.approx(1 / 3)



def test_share_of_pairs_that_are_one_person():
    from pactum.identity.metrics import share_of_pairs_one_person

    # three records, two of one person: one pair in three
    assert share_of_pairs_one_person(["p1", "p1", "p2"]) == 1 / 3
    assert share_of_pairs_one_person(["p1", "p2", "p3"]) == 0.0
    assert share_of_pairs_one_person(["p1"]) == 0.0

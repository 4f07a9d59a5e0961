"""Clustering scored pairs without chaining different people together through a namesake."""

from __future__ import annotations

from pactum.identity.clustering import cluster_pairs


def test_a_namesake_does_not_chain_two_people_together():
    # a1, a2: Mohammed Ahmed born 1990-03-04 (one person); b1, b2: Mohammed Ahmed born 1990-11-20
    # (another); x: Mohammed Ahmed, 1990-01-01 placeholder, scores high with everyone.
    pairs = [("a1", "a2", 0.999), ("b1", "b2", 0.999),
             ("a1", "x", 0.97), ("a2", "x", 0.96), ("b1", "x", 0.97), ("b2", "x", 0.96),
             ("a1", "b1", 0.01)]
    ids = ["a1", "a2", "b1", "b2", "x"]
    chained = cluster_pairs(ids, pairs, threshold=0.95, merge_threshold=0.0)  # connected components
    assert len(set(chained.values())) == 1
    clusters = cluster_pairs(ids, pairs, threshold=0.95, merge_threshold=0.5)
    assert clusters["a1"] == clusters["a2"] != clusters["b1"] == clusters["b2"]
    # x joins one of the two people (the better-scored side), never both
    assert clusters["x"] in (clusters["a1"], clusters["b1"])


def test_person_with_several_records_stays_together():
    ids = ["r1", "r2", "r3", "r4"]
    pairs = [("r1", "r2", 0.99), ("r2", "r3", 0.98), ("r1", "r3", 0.97), ("r3", "r4", 0.96), ("r2", "r4", 0.9),
             ("r1", "r4", 0.6)]
    clusters = cluster_pairs(ids, pairs, threshold=0.95, merge_threshold=0.5)
    assert len(set(clusters.values())) == 1
    assert set(clusters.values()) == {"r1"}  # the cluster is named by its smallest record id


def test_every_record_gets_a_cluster_and_weak_pairs_do_not_merge():
    ids = ["a", "b", "c"]
    clusters = cluster_pairs(ids, [("a", "b", 0.7), ("a", "zz-unknown", 0.99)], threshold=0.95)
    assert clusters == {"a": "a", "b": "b", "c": "c"}


def test_result_does_not_depend_on_pair_order():
    ids = [f"r{i}" for i in range(6)]
    pairs = [("r0", "r1", 0.99), ("r1", "r2", 0.97), ("r3", "r4", 0.99), ("r2", "r3", 0.97), ("r4", "r5", 0.96), ("r3", "r5", 0.9),
             ("r0", "r2", 0.96)]
    first = cluster_pairs(ids, pairs, threshold=0.95, merge_threshold=0.5)
    assert first == cluster_pairs(ids, list(reversed(pairs)), threshold=0.95, merge_threshold=0.5)
    assert first["r0"] == first["r1"] == first["r2"]
    assert first["r3"] == first["r4"] == first["r5"]
    assert first["r0"] != first["r3"]

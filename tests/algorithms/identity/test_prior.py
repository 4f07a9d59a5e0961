"""The prior estimated on the store (``linkage.estimate_prior``, used by ``pactum identity
train``): the share of pairs that are one person follows the store's own duplication, not the
training data's. A registry of mostly first registrations gets a prior near its own, where
scaling the shipped model's prior to its size overstated it about tenfold."""

from __future__ import annotations

import pytest

from pactum.identity import links as link_rules
from pactum.identity.generator import Generator
from pactum.identity.metrics import share_of_pairs_one_person
from pactum.services.identity import default_model, linkage
from pactum.store.engines.identity_linkage import duckdb_api


def _true_prior(records) -> float:
    return share_of_pairs_one_person(r.person_id for r in records)


@pytest.fixture(scope="module")
def records():
    return Generator(seed=61).records(6_000)


def _estimate(records) -> tuple[float, float]:
    frame = linkage.prepare(r.as_row(False) for r in records)
    model = default_model()
    return (linkage.estimate_prior(link_rules.for_records(model, len(frame)), duckdb_api(), frame),
            link_rules.prior_for(model, len(frame)))


def test_on_data_like_the_training_data_the_estimate_is_the_true_share(records):
    estimated, scaled = _estimate(records)
    truth = _true_prior(records)
    assert abs(estimated - truth) < 0.15 * truth
    assert abs(scaled - truth) < 0.3 * truth  # here the scaled prior is right too


def test_a_registry_of_mostly_first_registrations_gets_its_own_lower_prior(records):
    seen: set[str] = set()
    firsts, seconds = [], []
    for r in records:
        (seconds if r.person_id in seen else firsts).append(r)
        seen.add(r.person_id)
    store = firsts + seconds[: len(seconds) // 10]  # one person in ten or so registered twice
    estimated, scaled = _estimate(store)
    truth = _true_prior(store)
    assert scaled > 4 * truth  # the training data's duplication, assumed
    assert abs(estimated - truth) < 0.35 * truth


def test_a_store_of_distinct_persons_keeps_the_floor_of_one_pair(records):
    seen: set[str] = set()
    firsts = [r for r in records if not (r.person_id in seen or seen.add(r.person_id))]
    estimated, _ = _estimate(firsts)
    n = len(firsts)
    assert estimated == pytest.approx(linkage.PRIOR_FLOOR_PAIRS / (n * (n - 1) / 2))

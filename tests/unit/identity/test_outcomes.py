"""Officers' decisions on yellow links by the probability the model gave them: what an analyst
reads to see whether the model is well calibrated on the store's own records."""

from __future__ import annotations

import pytest

from pactum.identity.outcomes import (
    BAND_EDGES,
    BIOGRAPHIC,
    BIOMETRIC_DIFFERENT,
    BIOMETRIC_MATCHED,
    Decided,
    band_of,
    summarise,
)


def _row(rows, evidence, low=None):
    return next(r for r in rows if r.evidence == evidence and r.low == low)


@pytest.mark.parametrize(("p", "band"), [(0.5, (0.5, 0.7)), (0.6999, (0.5, 0.7)), (0.7, (0.7, 0.8)),
                                         (0.949, (0.9, 0.95)), (0.95, (0.95, 0.99)), (1.0, (0.99, 1.0)),
                                         (0.3, None)])
def test_each_probability_falls_in_one_band(p, band):
    assert band_of(p) == band


def test_white_and_red_count_as_one_person_green_as_two_per_band():
    rows = summarise([
        Decided(0.62, None, "white"), Decided(0.58, None, "green"), Decided(0.66, None, "green"),
        Decided(0.55, None, "red"),
        Decided(0.91, None, "white"), Decided(0.93, None, "white"),
    ])
    low = _row(rows, BIOGRAPHIC, 0.5)
    assert (low.verified, low.same_person, low.red, low.different_persons) == (4, 2, 1, 2)
    assert low.share_same_person == 0.5
    assert low.mean_match_probability == pytest.approx((0.62 + 0.58 + 0.66 + 0.55) / 4, abs=1e-4)
    high = _row(rows, BIOGRAPHIC, 0.9)
    assert (high.verified, high.share_same_person) == (2, 1.0)
    # every band is listed, empty ones included, so the table reads the same every day
    assert [r.low for r in rows if r.evidence == BIOGRAPHIC] == list(BAND_EDGES[:-1])
    empty = _row(rows, BIOGRAPHIC, 0.7)
    assert (empty.verified, empty.share_same_person, empty.mean_match_probability) == (0, None, None)


def test_links_decided_on_biometrics_are_counted_apart_from_the_models_bands():
    rows = summarise([
        Decided(0.12, 0.93, "white"),   # fingerprints match, a different identity: one person
        Decided(0.40, 0.91, "red"),     # ... under an unjustified identity
        Decided(0.97, 0.20, "green"),   # a close identity whose templates differ: two persons
        Decided(0.80, None, "white"),
    ])
    matched = _row(rows, BIOMETRIC_MATCHED)
    assert (matched.verified, matched.same_person, matched.red, matched.low) == (2, 2, 1, None)
    differ = _row(rows, BIOMETRIC_DIFFERENT)
    assert (differ.verified, differ.different_persons) == (1, 1)
    assert sum(r.verified for r in rows if r.evidence == BIOGRAPHIC) == 1


def test_a_pending_yellow_link_is_not_a_decision():
    rows = summarise([Decided(0.6, None, "yellow"), Decided(0.6, None, "green")])
    assert sum(r.verified for r in rows) == 1 and _row(rows, BIOGRAPHIC, 0.5).different_persons == 1

"""Verified links refine m in proportion to their number (``linkage.shrink_m``)."""

from __future__ import annotations

import pytest

from pactum.services.identity.linkage import M_PRIOR_PAIRS, shrink_m


def _model(*ms: float | None) -> dict:
    levels = [{"is_null_level": True}] + [{"m_probability": m, "label_for_charts": f"l{i}"} for i, m in enumerate(ms)]
    return {"comparisons": [{"output_column_name": "names", "comparison_levels": levels}]}


def _ms(model: dict) -> list[float | None]:
    return [lv.get("m_probability") for lv in model["comparisons"][0]["comparison_levels"][1:]]


def test_as_many_links_as_the_prior_weigh_half():
    out = shrink_m(_model(0.4, 0.6), _model(0.8, 0.2), n_labels=M_PRIOR_PAIRS)
    assert _ms(out) == pytest.approx([0.6, 0.4])


def test_few_links_move_m_a_little_and_many_links_almost_all_the_way():
    few = _ms(shrink_m(_model(0.4, 0.6), _model(0.8, 0.2), n_labels=20))
    many = _ms(shrink_m(_model(0.4, 0.6), _model(0.8, 0.2), n_labels=20_000))
    assert few[0] == pytest.approx(0.8 - 0.4 * 20 / 220)
    assert many[0] == pytest.approx(0.4, abs=0.01)


def test_each_comparison_sums_to_one_and_untrained_levels_stay_untrained():
    # Splink leaves a level the labels never reached at the base model's m, so the label model's m
    # may not sum to 1; the result does, and a level without m keeps none
    out = shrink_m(_model(0.5, 0.45, None), _model(0.6, 0.3, None), n_labels=100)
    ms = _ms(out)
    assert ms[2] is None
    assert sum(m for m in ms if m is not None) == pytest.approx(1.0)

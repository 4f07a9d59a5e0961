"""A level that training never reached has no m in the saved model, and Splink predicts with its
own default m for it. The online scorer and the model page must use the same number, or a pair
of records with different sexes scores differently in batch linkage and in the search."""

from __future__ import annotations

import math

from splink.internals.comparison_level import _default_m_values

from pactum.identity.links import Scorer, untrained_m, with_untrained_m
from pactum.services.identity import default_model
from pactum.services.identity.linkage import match_weights


def test_untrained_m_is_splinks_default():
    for n in range(2, 13):
        assert [untrained_m(g, n) for g in range(n)] == _default_m_values(n)


def _sex_different(model: dict) -> dict:
    comp = next(c for c in model["comparisons"] if c["output_column_name"] == "sex")
    return comp["comparison_levels"][-1]


def test_filled_where_missing_and_kept_where_trained():
    model = default_model()
    stripped = with_untrained_m(model)
    del _sex_different(stripped)["m_probability"]
    filled = with_untrained_m(stripped)
    # sex has two non-null levels: the untrained "different" gets 0.05, as Splink predicts with
    assert abs(_sex_different(filled)["m_probability"] - 0.05) < 1e-12
    assert [c["comparison_levels"] for c in filled["comparisons"] if c["output_column_name"] != "sex"] == \
        [c["comparison_levels"] for c in stripped["comparisons"] if c["output_column_name"] != "sex"]


def test_scorer_and_model_page_use_splinks_m_for_a_level_labels_never_reached():
    model = with_untrained_m(default_model())
    del _sex_different(model)["m_probability"]  # as Splink saves a level labels never reached
    a = {"sex": "M", "names_key": "mr bdmhmdhsn", "dob_year": 2007}
    b = {"sex": "F", "names_key": "mr bdmhmdhsn", "dob_year": 2007}
    explanation = Scorer(model).score(a, b).explanation["sex"]
    assert explanation["level"] == "different"
    assert explanation["weight"] == round(math.log2(0.05 / _sex_different(model)["u_probability"]), 3)
    shown = next(c for c in match_weights(model) if c["comparison"] == "sex")["levels"][-1]
    assert shown["weight"] is not None and round(shown["weight"], 3) == explanation["weight"]


def test_the_shipped_model_weighs_different_sexes_against_a_match():
    # two namesakes of different sexes: sexes disagree in about 1.7% of one person's record pairs
    # (the generator's sex_wrong, after an official linkage), in about 5% of namesakes' pairs
    a = {"sex": "M", "names_key": "mr bdmhmdhsn", "dob_year": 2007}
    b = {"sex": "F", "names_key": "mr bdmhmdhsn", "dob_year": 2007}
    same = dict(b, sex="M")
    scorer = Scorer(default_model())
    explanation = scorer.score(a, b).explanation["sex"]
    assert explanation["level"] == "different" and explanation["weight"] < -1.5
    assert scorer.score(a, b).match_probability < scorer.score(a, same).match_probability

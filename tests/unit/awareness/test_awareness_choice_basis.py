"""Why a route's model was chosen, in words that match the backtest's table. The route page used to
say of every route "lowest MASE among seasonal naive, the baseline, and the models whose 80%
intervals cover 75–85% of actuals", also of the Western African Route, whose chosen ensemble
covered 88.4%: no model but the baseline was calibrated there, and the lowest MASE overall was taken."""

from __future__ import annotations

from pactum.awareness.metrics import choice_basis, choose_model

# the shipped Western African Route's backtest at horizon 3 (MASE, 80% coverage)
WESTERN_AFRICAN = {"seasonal_naive": (4.780, 0.859), "ets": (4.139, 0.896), "arima": (3.900, 0.859),
                   "theta": (3.966, 0.862), "ensemble": (3.848, 0.884)}
# the shipped Eastern Mediterranean Route's: ets at 278 of 327 (85.02%), just outside the band
EASTERN_MED = {"seasonal_naive": (0.678, 0.810), "ets": (0.147, 278 / 327), "arima": (0.206, 0.853),
               "theta": (0.173, 0.823), "ensemble": (0.165, 0.844)}


def test_no_calibrated_model_but_the_baseline_says_the_lowest_mase_overall_and_its_coverage():
    chosen = choose_model(WESTERN_AFRICAN)
    assert chosen == "ensemble"
    said = choice_basis(WESTERN_AFRICAN, chosen)
    assert said.startswith("ensemble: no model but seasonal_naive had 80% intervals covering 75–85% of actuals "
                           "(ets 89.6%, arima 85.9%, theta 86.2%, ensemble 88.4%)")
    assert "the lowest MASE overall was taken; its intervals covered 88.4% of actuals, wider than the nominal 80%" in said


def test_a_calibrated_choice_names_the_models_in_the_band_and_those_just_outside_it():
    chosen = choose_model(EASTERN_MED)
    assert chosen == "ensemble"  # ets is more accurate, but 85.02% is outside 75–85%
    assert choice_basis(EASTERN_MED, chosen) == (
        "ensemble: the lowest MASE among seasonal_naive (the baseline) and the models whose 80% intervals "
        "covered 75–85% of actuals (theta, ensemble; outside it: ets 85.02%, arima 85.30%)")


def test_the_baseline_kept_says_none_beat_it():
    scores = {"seasonal_naive": (0.044, 1.0), "ets": (0.3, 0.8), "theta": (0.574, 0.9)}
    assert choose_model(scores) == "seasonal_naive"
    assert choice_basis(scores, "seasonal_naive") == (
        "seasonal_naive, the baseline: none of the models whose 80% intervals covered 75–85% of actuals "
        "(ets; outside it: theta 90.00%) had a lower MASE")
    lone = {"seasonal_naive": (0.5, 0.7), "ets": (0.9, 0.95)}
    assert choose_model(lone) == "seasonal_naive"
    assert choice_basis(lone, "seasonal_naive") == (
        "seasonal_naive, the baseline: no other model's 80% intervals covered 75–85% of actuals (ets 95.0%), "
        "and none had a lower MASE")

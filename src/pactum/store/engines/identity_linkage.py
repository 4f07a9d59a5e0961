"""Linkage engines for identity resolution: DuckDB on one machine, Spark beyond it.

Both return a Splink database API; the linkage model (``pactum.services.identity.linkage``) is
the same on either. DuckDB is bounded to the memory and threads given, so that a batch job
stays within its budget on a shared machine. Spark uses a local session unless a cluster URL is
given (``spark://host:7077``, ``yarn``, ...). pyspark is an optional dependency (extra
``spark``); asking for the Spark engine without it is a readable error, not an import failure.
"""

from __future__ import annotations

import os
import sys
from typing import Any

ENGINES = ("duckdb", "spark")


def duckdb_api(memory_limit: str = "6GB", threads: int | None = None, temp_dir: str | None = None) -> Any:
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    if temp_dir:
        con.execute(f"SET temp_directory = '{temp_dir}'")
    con.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(connection=con)


def spark_api(master: str | None = None, app_name: str = "pactum-identity") -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("the Spark engine needs pyspark: install pactum with the 'spark' extra") from exc
    from splink import SparkAPI
    from splink.backends.spark import similarity_jar_location

    # Python workers run this interpreter (the pactum environment: rapidfuzz for Jaro-Winkler)
    # unless the deployment says otherwise
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name).master(master or os.environ.get("PACTUM_SPARK_MASTER", "local[2]"))
    builder = builder.config("spark.sql.shuffle.partitions", "8").config("spark.default.parallelism", "8")
    # Splink's string similarity functions (Jaro-Winkler etc.) are Scala UDFs shipped in its jar
    builder = builder.config("spark.jars", similarity_jar_location())
    spark = builder.getOrCreate()
    spark.sparkContext.setCheckpointDir(os.environ.get("PACTUM_SPARK_CHECKPOINTS", "/tmp/pactum-spark-checkpoints"))
    _register_jaro_winkler(spark)
    return SparkAPI(spark_session=spark)


#: Name of the Jaro-Winkler function the identity model's SQL calls on Spark (see
#: ``pactum.services.identity.batch.model_for_engine``).
SPARK_JARO_WINKLER = "pactum_jaro_winkler"


def _register_jaro_winkler(spark: Any) -> None:
    """Jaro-Winkler on Spark computed by rapidfuzz, as DuckDB's ``jaro_winkler_similarity`` (which
    uses the same algorithm) and the online scorer compute it. Splink's Scala UDF differs on some
    strings (0.795 against 0.812 for "ahmed rani" / "ahmad aisha"), which put pairs on the other
    side of a level's threshold: at 100,000 records, 16 clusters and 132 scored pairs differed
    between the engines."""
    import warnings

    import pandas as pd
    from pyspark.sql.functions import PandasUDFType, pandas_udf

    from pactum.identity.comparisons import jw

    def jaro_winkler(left, right):  # type: ignore[no-untyped-def]  # pandas Series in and out
        return pd.Series([None if a is None or b is None else jw(a, b) for a, b in zip(left, right, strict=True)],
                         dtype="float64")

    with warnings.catch_warnings():  # the explicit UDF type (this module's annotations are strings)
        warnings.simplefilter("ignore", UserWarning)
        udf = pandas_udf(jaro_winkler, "double", PandasUDFType.SCALAR)
    spark.udf.register(SPARK_JARO_WINKLER, udf)


def linkage_api(engine: str, **options: Any) -> Any:
    if engine == "duckdb":
        return duckdb_api(**{k: v for k, v in options.items() if k in ("memory_limit", "threads", "temp_dir")})
    if engine == "spark":
        return spark_api(options.get("master"))
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")

"""Linkage engines for identity resolution: DuckDB on one machine, Spark beyond it.

Both return a Splink database API; the linkage model (``pactum.services.identity.linkage``) is
the same on either. DuckDB is bounded to the memory and threads given, so that a batch job
stays within its budget on a shared machine. Spark uses a local session unless a cluster URL is
given (``spark://host:7077``, ``yarn``, ...). pyspark is an optional dependency (extra
``spark``); asking for the Spark engine without it is a readable error, not an import failure.
"""

from __future__ import annotations

import os
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

    builder = SparkSession.builder.appName(app_name).master(master or os.environ.get("PACTUM_SPARK_MASTER", "local[2]"))
    builder = builder.config("spark.sql.shuffle.partitions", "8").config("spark.default.parallelism", "8")
    # Splink's string similarity functions (Jaro-Winkler etc.) are Scala UDFs shipped in its jar
    builder = builder.config("spark.jars", similarity_jar_location())
    spark = builder.getOrCreate()
    spark.sparkContext.setCheckpointDir(os.environ.get("PACTUM_SPARK_CHECKPOINTS", "/tmp/pactum-spark-checkpoints"))
    return SparkAPI(spark_session=spark)


def linkage_api(engine: str, **options: Any) -> Any:
    if engine == "duckdb":
        return duckdb_api(**{k: v for k, v in options.items() if k in ("memory_limit", "threads", "temp_dir")})
    if engine == "spark":
        return spark_api(options.get("master"))
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")

"""The awareness aggregation on a small local Spark session gives the same rows as DuckDB
(``make test-spark``: installs the optional pyspark extra and runs the tests marked ``spark``)."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.services.awareness import analytics

pytestmark = pytest.mark.spark

# occurred_at in UTC; the last column the time zone of the place (None: the state's capital's)
ENCOUNTERS = [
    ("i1", "EL", "2026-09-03 08:00:00", "Eastern Mediterranean Route", "irregular_crossing", None),
    ("i2", "EL", "2026-09-20 08:00:00", "Eastern Mediterranean Route", "sar_disembarkation", None),
    ("i3", "IT", "2026-10-02 08:00:00", "Central Mediterranean Route", "sar_disembarkation", None),
    ("i4", "IT", "2026-10-09 08:00:00", "Central Mediterranean Route", "sar_disembarkation", None),
    ("i2", "DE", "2026-11-02 08:00:00", "Western Balkan Route", "in_territory_application", None),
    # 00:30 on 1 November in Athens: a November arrival; 22:00 on 31 October in Guadeloupe: October's
    ("i3", "EL", "2026-10-31 22:30:00", None, "irregular_crossing", None),
    ("i1", "FR", "2026-11-01 02:00:00", None, "irregular_crossing", "America/Guadeloupe"),
]
IDENTITIES = [("i1", "SYR", "2010-05-01"), ("i2", "AFG", "1990"), ("i3", "GIN", None), ("i4", "BGD", "2009-12")]


def _duckdb_rows(minor_age: int) -> list[tuple]:
    import duckdb

    db = duckdb.connect()
    db.execute("CREATE TABLE encounters (identity_record_id VARCHAR, member_state VARCHAR, occurred_at TIMESTAMP,"
               " route VARCHAR, kind VARCHAR, time_zone VARCHAR)")
    db.execute("CREATE TABLE identity_records (id VARCHAR, nationality VARCHAR, date_of_birth VARCHAR)")
    db.executemany("INSERT INTO encounters VALUES (?, ?, ?, ?, ?, ?)", ENCOUNTERS)
    db.executemany("INSERT INTO identity_records VALUES (?, ?, ?)", IDENTITIES)
    return sorted(tuple(r) for r in db.execute(analytics.monthly_encounters_sql("duckdb", minor_age_years=minor_age)).fetchall())


def test_spark_runs_the_same_aggregation_as_duckdb():
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import to_timestamp

    minor_age = analytics.minor_age(date(2026, 11, 28))
    # the month expression reads occurred_at as UTC: the session keeps UTC (docs/awareness.md)
    spark = (SparkSession.builder.master("local[2]").appName("pactum-awareness-test")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    try:
        enc = spark.createDataFrame(ENCOUNTERS, "identity_record_id string, member_state string, occurred_at string,"
                                                " route string, kind string, time_zone string")
        enc.withColumn("occurred_at", to_timestamp("occurred_at")).createOrReplaceTempView("encounters")
        spark.createDataFrame(IDENTITIES, "id string, nationality string, date_of_birth string") \
            .createOrReplaceTempView("identity_records")
        rows = spark.sql(analytics.monthly_encounters_sql("spark", minor_age_years=minor_age)).collect()
        got = sorted((r.month, r.route, r.member_state, r.kind, r.border_type, r.nationality, int(r.encounters),
                      int(r.minors)) for r in rows)
    finally:
        spark.stop()
    assert got == _duckdb_rows(minor_age)
    assert ("2026-10", "Central Mediterranean Route", "IT", "sar_disembarkation", "Sea", "BGD", 1, 1) in got
    assert ("2026-11", "Route not recorded", "EL", "irregular_crossing", "Land", "GIN", 1, 0) in got
    assert ("2026-10", "Route not recorded", "FR", "irregular_crossing", "Land", "SYR", 1, 1) in got

"""The Spark engine runs the same model as DuckDB and gives the same clusters (``make test-spark``)."""

from __future__ import annotations

import pytest

from pactum.identity.generator import Generator
from pactum.services.identity import default_model
from pactum.services.identity import linkage as L
from pactum.store.engines.identity_linkage import duckdb_api, spark_api

pytestmark = pytest.mark.spark


def test_spark_and_duckdb_give_the_same_clusters():
    recs = Generator(seed=51).records(2000)
    df = L.prepare(r.as_row(False) for r in recs)
    model = default_model()
    duck = L.link_frame(df, duckdb_api(threads=1), model=model, with_pairs=True)
    spark = L.link_frame(df, spark_api("local[2]"), model=model, with_pairs=True)

    def partition(clusters):
        groups: dict[str, set[str]] = {}
        for rid, cid in zip(clusters.record_id, clusters.cluster_id, strict=True):
            groups.setdefault(str(cid), set()).add(str(rid))
        return sorted(sorted(g) for g in groups.values())

    assert partition(duck.clusters) == partition(spark.clusters)
    dp = {(a, b): p for a, b, p in duck.pairs.itertuples(index=False)}
    sp = {(a, b): p for a, b, p in spark.pairs.itertuples(index=False)}
    assert dp.keys() == sp.keys()
    assert max(abs(dp[k] - sp[k]) for k in dp) < 1e-6

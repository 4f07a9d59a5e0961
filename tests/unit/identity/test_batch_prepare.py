"""Batch linkage at scale: normalising each distinct value once gives exactly the row-by-row
frame, and splitting oversized blocks bounds the candidate pairs of common names."""

from __future__ import annotations

import itertools

import pandas as pd

from pactum.identity.generator import HARSH, INPUT_COLUMNS, Generator
from pactum.services.identity import batch, default_model
from pactum.services.identity import linkage as L
from pactum.store.engines.identity_linkage import duckdb_api


def _raw(rows):
    return pd.DataFrame([{c: r.get(c, "") for c in INPUT_COLUMNS} for r in rows], columns=list(INPUT_COLUMNS))


def test_distinct_value_normalisation_gives_the_row_by_row_frame():
    rows = [r.as_row(False) for r in Generator(seed=21).records(3000)]
    rows += [r.as_row(False) for r in Generator(seed=22, noise=HARSH).records(1500)]
    rows += [  # empty fields, original scripts, padding, partial and unknown dates
        {"record_id": "x1", "given_names": " محمد ", "surname": "عبد الرحمن", "date_of_birth": "1990"},
        {"record_id": "x2", "given_names": "", "surname": "", "date_of_birth": "XXXX", "sex": "m"},
        {"record_id": "x3", "given_names": "Дмитрий", "document_number": " ab-12 o45 ", "nationality": "xxx"},
    ]
    raw = _raw(rows)
    pd.testing.assert_frame_equal(batch.prepare_frame(raw), L.prepare(raw.to_dict("records")))


def _namesakes(n_people: int) -> list[dict[str, str]]:
    """n different men called Mohammed Ahmed born in 1990, each recorded twice with the same
    full date of birth (none a 1 January placeholder)."""
    rows = []
    for i in range(n_people):
        dob = f"1990-{1 + i % 12:02d}-{2 + i % 27:02d}"
        for k, d in enumerate((dob, dob)):
            rows.append({"record_id": f"p{i}-{k}", "given_names": "Mohammed", "surname": "Ahmed",
                         "date_of_birth": d, "nationality": "SYR", "sex": "M"})
    return rows


def test_oversized_blocks_are_split_and_pairs_stay_bounded():
    df = batch.prepare_frame(_raw(_namesakes(150)))  # 300 records, one name, one birth year
    rules = ["l.names_key = r.names_key AND abs(l.dob_year - r.dob_year) <= 2", 'l."dob_full" = r."dob_full"']
    unbounded = batch.plan_blocking(df, rules, max_block=0)
    assert unbounded.rules == rules and unbounded.report[0]["pairs"] == 300 * 299 // 2
    plan = batch.plan_blocking(df, rules, max_block=40)
    first = plan.report[0]
    assert first["action"] == "oversized blocks split"
    assert first["refined_on"][:2] == ["dob_year", "dob_ym"]
    assert first["largest_block_after"] <= 40
    assert first["pairs"] < unbounded.report[0]["pairs"] / 5
    # the split rule keeps the other condition and compares only records of one block
    assert plan.rules[0] == "l.block_0 = r.block_0 AND (ABS(l.dob_year - r.dob_year) <= 2)"
    block = plan.columns["block_0"]
    for a, b in itertools.combinations(range(len(df)), 2):
        if block[a] == block[b]:
            assert df.names_key[a] == df.names_key[b]
            assert df.dob_ym[a] == df.dob_ym[b] or (pd.isna(df.dob_ym[a]) and pd.isna(df.dob_ym[b]))
    # the small blocks of the second rule are run as they were
    assert plan.rules[1] == rules[1] and plan.report[1]["action"] == "unchanged"


def test_split_blocks_still_compare_the_records_of_one_person():
    """Among 150 namesakes born the same year, each man's two records are still compared and
    scored alike when the name block is split, while far fewer pairs are compared."""
    df = batch.prepare_frame(_raw(_namesakes(150)))
    model = dict(default_model())
    model["blocking_rules_to_generate_predictions"] = [model["blocking_rules_to_generate_predictions"][0]]
    assert model["blocking_rules_to_generate_predictions"][0]["blocking_rule"].startswith("l.names_key")
    scored = {}
    for max_block in (0, 40):
        plan = batch.plan_blocking(df, list(model["blocking_rules_to_generate_predictions"]), max_block=max_block)
        frame, run = batch.apply_plan(df, model, plan)
        assert (run is model) == (max_block == 0)
        res = L.link_frame(frame, duckdb_api(threads=1), model=run, with_pairs=True)
        assert sorted(res.clusters.record_id) == sorted(df.record_id)
        scored[max_block] = ({(a, b): p for a, b, p in res.pairs.itertuples(index=False)}, plan.report[0]["pairs"])
    (full, n_full), (split, n_split) = scored[0], scored[40]
    same_person = {k: p for k, p in full.items() if k[0].split("-")[0] == k[1].split("-")[0]}
    assert len(same_person) == 150
    assert all(split.get(k) == p for k, p in same_person.items())
    assert n_split < n_full / 5


def test_only_the_columns_the_model_reads_go_to_the_engine():
    df = batch.prepare_frame(_raw(_namesakes(3)))
    model = default_model()
    plan = batch.plan_blocking(df, list(model["blocking_rules_to_generate_predictions"]), max_block=2)
    frame, run = batch.apply_plan(df, model, plan)
    kept = batch.columns_the_model_reads(frame, run)
    assert {"unique_id", "record_id", "names_key", "name_words", "dob_full", "document", "sex"} <= set(kept)
    assert "block_0" in kept  # the split rule's block column
    assert not {"given_names", "surname", "recorded_on", "member_state"} & set(kept)  # raw text is not compared

"""Batch linkage with Splink: the Pactum model and the plain reference configuration.

The comparison design is declared in the pure package (``pactum.identity.comparisons``); this
adapter expresses the same levels as Splink comparison levels, so that one serialisable model
runs on DuckDB (default) and on Spark (``pactum.store.engines.identity_linkage``). Training is
unsupervised (u by random sampling, m by expectation maximisation on two blocking passes) and,
where verified links exist, m is re-estimated from those labels.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.exceptions import EMTrainingException

from pactum.identity import comparisons as design
from pactum.identity import links as link_rules
from pactum.identity.clustering import cluster_pairs
from pactum.identity.features import FEATURE_COLUMNS, features
from pactum.identity.generator import INPUT_COLUMNS

log = logging.getLogger(__name__)

MODEL_NAME = "pactum-identity"
#: Version of the comparison design (:data:`pactum.identity.comparisons.DESIGN_VERSION`).
DESIGN_VERSION = design.DESIGN_VERSION

#: Match probability above which two records are put in one cluster (chosen on generator seeds 1-2).
DEFAULT_CLUSTER_THRESHOLD = design.DEFAULT_CLUSTER_THRESHOLD

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


def prepare(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Input rows -> a frame with ``unique_id``, the input columns and the feature columns."""
    out = []
    for row in rows:
        rec = {k: ("" if row.get(k) is None else str(row.get(k))) for k in INPUT_COLUMNS}
        rec.update(features(row))
        rec["unique_id"] = rec["record_id"]
        out.append(rec)
    # sex and nationality are both input and feature columns: the normalised value is kept
    columns = list(dict.fromkeys(["unique_id", *INPUT_COLUMNS, *FEATURE_COLUMNS]))
    df = pd.DataFrame(out, columns=columns)
    df["dob_year"] = df["dob_year"].astype("Int64")
    return df


# --- the Pactum comparisons as Splink levels --------------------------------------------------


def _imprecise() -> cll.CustomLevel:
    return cll.CustomLevel("(dob_full_l IS NULL OR dob_full_r IS NULL)")


def _both_partial() -> cll.CustomLevel:
    return cll.CustomLevel("(dob_full_l IS NULL AND dob_full_r IS NULL)")


def _jw_j_as_i_sql(sql_dialect: Any, left: str, right: str, threshold: float) -> str:
    """``left`` of the left record and ``right`` of the right one alike at ``threshold``, j read as i."""
    fn = sql_dialect.jaro_winkler_function_name
    return f"{fn}(replace({left}_l, 'j', 'i'), replace({right}_r, 'j', 'i')) >= {design.jw_at_least(threshold)}"


class _JaroWinklerJAsI(ComparisonLevelCreator):
    """Jaro-Winkler with j read as i (``pactum.identity.comparisons._jw_j_as_i``), written with
    the engine's own Jaro-Winkler function (DuckDB ``jaro_winkler_similarity``, Spark UDF)."""

    def __init__(self, col: str, threshold: float, label: str):
        self.col, self.threshold, self.label = col, threshold, label

    def create_sql(self, sql_dialect: Any) -> str:
        return _jw_j_as_i_sql(sql_dialect, self.col, self.col, self.threshold)

    def create_label_for_charts(self) -> str:
        return self.label


def _jw_j_as_i(col: str, threshold: float, label: str) -> ComparisonLevelCreator:
    return _JaroWinklerJAsI(col, threshold, label)


class _VerySimilarSpelling(_JaroWinklerJAsI):
    """The whole names alike and each part alike, given with given and surname with surname or
    swapped (``pactum.identity.comparisons._very_similar_spelling``)."""

    def __init__(self) -> None:
        super().__init__("names_folded", design.NAME_FUZZY_HIGH, "very similar spelling")

    def create_sql(self, sql_dialect: Any) -> str:
        return f"({super().create_sql(sql_dialect)} AND {_parts_alike_sql(sql_dialect)})"


def _parts_alike_sql(sql_dialect: Any) -> str:
    def alike(left: str, right: str) -> str:
        return _jw_j_as_i_sql(sql_dialect, left, right, design.NAME_PART_FUZZY)

    return (f"(({alike('given_folded', 'given_folded')} AND {alike('surname_folded', 'surname_folded')})"
            f" OR ({alike('given_folded', 'surname_folded')} AND {alike('surname_folded', 'given_folded')}))")


class _AlikeInParts(ComparisonLevelCreator):
    """A level's own condition and each part of the names alike (``_parts_alike``)."""

    def __init__(self, own_sql: Any, label: str):
        self.own_sql, self.label = own_sql, label

    def create_sql(self, sql_dialect: Any) -> str:
        return f"({self.own_sql(sql_dialect)} AND {_parts_alike_sql(sql_dialect)})"

    def create_label_for_charts(self) -> str:
        return self.label


def pactum_comparisons() -> list[cl.CustomComparison]:
    names = cl.CustomComparison(
        output_column_name="names",
        comparison_description=design.NAMES.description,
        comparison_levels=[
            cll.NullLevel("names_key"),
            cll.ExactMatchLevel("names_folded").configure(
                tf_adjustment_column="names_key", label_for_charts="same spelling"),
            cll.ExactMatchLevel("names_key", term_frequency_adjustments=True).configure(
                label_for_charts="same name, other transliteration"),
            cll.CustomLevel(
                "(names_key_local_l = names_key_r OR names_key_l = names_key_local_r"
                " OR names_key_local_l = names_key_local_r)",
                label_for_charts="same name as the recording authority writes it"),
            _VerySimilarSpelling(),
            _AlikeInParts(lambda d: f"{d.jaro_winkler_function_name}(names_key_l, names_key_r) >= "
                                    f"{design.jw_at_least(design.NAME_KEY_FUZZY)}", "similar consonant keys"),
            _AlikeInParts(lambda d: _jw_j_as_i_sql(d, "names_folded", "names_folded", design.NAME_FUZZY_LOW),
                          "somewhat similar"),
            cll.CustomLevel(
                "(given_key_l = given_key_r AND (surname_key_l = father_key_r OR father_key_l = surname_key_r))",
                label_for_charts="same given name, surname is the other's father's name"),
            cll.ExactMatchLevel("given_key", term_frequency_adjustments=True).configure(
                label_for_charts="same given name, other surname"),
            cll.ExactMatchLevel("surname_key", term_frequency_adjustments=True).configure(
                label_for_charts="same surname, other given name"),
            cll.ArrayIntersectLevel("name_words", 1).configure(label_for_charts="shares a name"),
            cll.ElseLevel(),
        ],
    )
    father = cl.CustomComparison(
        output_column_name="father_name",
        comparison_description=design.FATHER.description,
        comparison_levels=[
            cll.NullLevel("father_key"),
            cll.CustomLevel(
                "(father_key_l = father_key_r AND father_key_l = surname_key_l AND father_key_r = surname_key_r)",
                label_for_charts="same name, which is also both records' surname"),
            cll.ExactMatchLevel("father_key").configure(label_for_charts="same name"),
            cll.JaroWinklerLevel("father_folded", design.jw_at_least(design.FATHER_FUZZY)).configure(label_for_charts="similar"),
            cll.ElseLevel(),
        ],
    )
    dob = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_description=design.DOB.description,
        comparison_levels=[
            cll.NullLevel("dob_year"),
            cll.ExactMatchLevel("dob_full").configure(label_for_charts="same full date"),
            cll.CustomLevel(
                "(dob_md_l IS NOT NULL AND dob_year_l = dob_year_r AND dob_md_l = dob_dm_r)",
                label_for_charts="day and month swapped"),
            cll.ExactMatchLevel("dob_ym").configure(label_for_charts="same year and month"),
            cll.And(_both_partial(), cll.CustomLevel("dob_year_l = dob_year_r")).configure(
                label_for_charts="same year, both dates partial"),
            cll.And(_imprecise(), cll.CustomLevel("dob_year_l = dob_year_r")).configure(
                label_for_charts="same year, one date partial"),
            cll.And(_both_partial(), cll.CustomLevel("abs(dob_year_l - dob_year_r) <= 1")
                    ).configure(label_for_charts="year within 1, both dates partial"),
            cll.And(_both_partial(), cll.CustomLevel(f"abs(dob_year_l - dob_year_r) <= {design.DOB_NEAR_YEARS}")
                    ).configure(label_for_charts="year within 2, both dates partial"),
            cll.And(_imprecise(), cll.CustomLevel(f"abs(dob_year_l - dob_year_r) <= {design.DOB_NEAR_YEARS}")
                    ).configure(label_for_charts="year within 2, one date partial"),
            cll.CustomLevel("(dob_md_l IS NOT NULL AND dob_md_l = dob_md_r)",
                            label_for_charts="same day and month, other year"),
            cll.CustomLevel("(dob_full_l IS NOT NULL AND dob_full_r IS NOT NULL AND levenshtein(dob_full_l, dob_full_r) <= 1)",
                            label_for_charts="same year and day, month one digit off"),
            cll.CustomLevel("dob_year_l = dob_year_r", label_for_charts="same year, different full dates"),
            cll.ElseLevel(),
        ],
    )
    sex = cl.CustomComparison(output_column_name="sex", comparison_description=design.SEX.description,
                              comparison_levels=[cll.NullLevel("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()])
    origin = cl.CustomComparison(
        output_column_name="origin", comparison_description=design.ORIGIN.description,
        comparison_levels=[
            cll.And(cll.NullLevel("nationality"), cll.NullLevel("place_folded")).configure(
                is_null_level=True, label_for_charts="null"),
            cll.Or(cll.ExactMatchLevel("place_key"),
                   cll.JaroWinklerLevel("place_folded", design.jw_at_least(design.PLACE_FUZZY))).configure(
                label_for_charts="same place of birth"),
            cll.CustomLevel("(place_folded_l IS NOT NULL AND place_folded_r IS NOT NULL)",
                            label_for_charts="different places of birth"),
            cll.ExactMatchLevel("nationality").configure(label_for_charts="same nationality"),
            cll.ElseLevel(),
        ])
    document = cl.CustomComparison(
        output_column_name="document", comparison_description=design.DOCUMENT.description,
        comparison_levels=[cll.NullLevel("document"), cll.ExactMatchLevel("document"),
                           cll.LevenshteinLevel("document", 1), cll.ElseLevel()])
    return [names, father, dob, sex, origin, document]


def pactum_blocking_rules() -> list[Any]:
    """Candidate pairs: same name in any order and a close (or unknown) birth year, or a shared
    strong field."""
    return [
        "l.names_key = r.names_key AND abs(l.dob_year - r.dob_year) <= 2",
        "l.names_key = r.names_key AND (l.dob_year IS NULL OR r.dob_year IS NULL)",
        # the same name once one record's letters are read as its authority writes them
        "l.names_key_local = r.names_key AND "
        "(abs(l.dob_year - r.dob_year) <= 2 OR l.dob_year IS NULL OR r.dob_year IS NULL)",
        "l.names_key = r.names_key_local AND "
        "(abs(l.dob_year - r.dob_year) <= 2 OR l.dob_year IS NULL OR r.dob_year IS NULL)",
        "l.names_key_local = r.names_key_local AND "
        "(abs(l.dob_year - r.dob_year) <= 2 OR l.dob_year IS NULL OR r.dob_year IS NULL)",
        block_on("names_key", "father_key"),
        block_on("names_key", "place_folded"),
        block_on("given_key", "dob_year"),
        block_on("surname_key", "dob_year"),
        block_on("given_first_key", "father_key"),
        block_on("dob_full"),
        block_on("document"),
    ]


def pactum_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=list[Any](pactum_comparisons()),
        blocking_rules_to_generate_predictions=pactum_blocking_rules(),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


# --- the plain reference configuration --------------------------------------------------------


def plain_settings() -> SettingsCreator:
    """A plain Splink configuration: Jaro-Winkler on raw names, exact date of birth, no domain
    normalisation. It is the baseline the evaluation reports beside the Pactum model."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_names", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]),
            cl.ExactMatch("date_of_birth"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("place_of_birth"),
            cl.ExactMatch("document_number"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname", "given_names"),
            block_on("date_of_birth", "surname"),
            block_on("date_of_birth", "given_names"),
            block_on("document_number"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    plain = df[["unique_id", *INPUT_COLUMNS]].copy()
    for c in INPUT_COLUMNS:
        plain[c] = plain[c].where(plain[c] != "", None)
    return plain


# --- training, prediction, clustering ---------------------------------------------------------


@dataclass
class LinkResult:
    clusters: pd.DataFrame  # record_id, cluster_id
    pairs: pd.DataFrame | None  # record_id_l, record_id_r, match_probability
    model_json: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


def u_sample_pairs(n_records: int) -> float:
    """Random pairs sampled to estimate u: 20 per record, between 100,000 and 5 million."""
    return float(min(5e6, max(1e5, n_records * 20)))


def new_linker(table: Any, settings: Any) -> Linker:
    """A Splink linker on ``table``, an input just registered with its database API.

    Splink keeps the tables it derives from a linker's input, the term-frequency tables among
    them, on the database API under fixed names, and a later linker of that API uses them
    whatever its own input: linking a second input through one API weighed its names by the
    first input's frequencies (3,000 generated records: match probabilities up to 0.55 apart
    from a fresh API's, 24 pairs more), and ``identity link --em`` on more than
    :data:`~pactum.services.identity.batch.TRAIN_SAMPLE` records weighed them by the training
    sample's. The API's derived tables are therefore dropped first."""
    linker = Linker(table, settings, log_level=logging.WARNING)
    linker.table_management.invalidate_cache()
    return linker


def level_counts(settings: Mapping[str, Any], db_api: Any, frame: pd.DataFrame, blocking_rule: str, *,
                 where: str = "TRUE", retain: Sequence[str] = ()) -> dict[str, dict[int, int]]:
    """Per comparison (output column name): the number of pairs at each level (gamma) among the
    pairs ``blocking_rule`` makes of ``frame`` and ``where`` keeps, scored by ``settings``' own
    comparisons (the SQL the predictions use, in the engine of ``db_api``). Null levels are not
    counted."""
    cfg = copy.deepcopy(dict(settings))
    cfg.pop("pactum", None)
    cfg.pop("linker_uid", None)  # a linker of its own: its cached tables are of this frame
    cfg["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": blocking_rule, "sql_dialect": cfg.get("sql_dialect", "duckdb")}]
    cfg["retain_intermediate_calculation_columns"] = False
    cfg["retain_matching_columns"] = True  # with them Splink keeps the comparison levels (gamma_*)
    cfg["additional_columns_to_retain"] = list(retain)
    linker = new_linker(db_api.register(frame), cfg)
    pairs = linker.inference.predict()
    prefix = cfg.get("comparison_vector_value_column_prefix", "gamma_")
    out: dict[str, dict[int, int]] = {}
    for comp in cfg["comparisons"]:
        gamma = f"{prefix}{comp['output_column_name']}"
        counts = linker.misc.query_sql(
            f"SELECT {gamma} AS g, count(*) AS n FROM {pairs.physical_name} "
            f"WHERE ({where}) AND {gamma} <> -1 GROUP BY {gamma}", output_type="pandas")
        out[comp["output_column_name"]] = dict(zip(counts.g.astype(int), counts.n.astype(int), strict=True))
    return out


def set_u(comp: dict[str, Any], by_gamma: Mapping[int, int], prior: Sequence[float] | None = None,
          prior_pairs: float = 0.0) -> None:
    """Set the u of each non-null level of ``comp`` from pair counts by gamma, smoothed: with
    ``prior`` (u per level, from the best level down) worth ``prior_pairs`` pairs, else by adding
    one half to each level's count (the Jeffreys prior), so that a level no pair fell into has a
    u below what the pairs could see, not 0."""
    levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
    if prior is None:
        prior, prior_pairs = [1.0 / len(levels)] * len(levels), 0.5 * len(levels)
    total = sum(by_gamma.values()) + prior_pairs
    for i, level in enumerate(levels):  # levels from the best down: gamma len-1 .. 0
        level["u_probability"] = (by_gamma.get(len(levels) - 1 - i, 0) + prior_pairs * prior[i]) / total


#: Two records of one names key whose full dates of birth are more than two years apart: two
#: persons, with or without labels (:data:`pactum.identity.comparisons.U_AMONG_NAMESAKES`).
NAMESAKES_RULE = ("l.names_key = r.names_key AND l.dob_full IS NOT NULL AND r.dob_full IS NOT NULL "
                  "AND abs(l.dob_year - r.dob_year) > 2")
#: Records of which namesakes are paired (a random sample of a larger input): the pairs grow with
#: the square of the records (755,000 at 100,000 generated records, 3.1 million at 200,000).
NAMESAKE_SAMPLE = 200_000
#: Namesake pairs the prior u (the shipped model's) counts as, when training on an input.
NAMESAKE_PRIOR_PAIRS = 1_000


def u_among_namesakes(model: Mapping[str, Any], db_api: Any, frame: pd.DataFrame, *,
                      prior: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``model`` with the u of each comparison of :data:`design.U_AMONG_NAMESAKES` re-estimated
    from the pairs of namesakes in ``frame`` (:data:`NAMESAKES_RULE`), smoothed towards the u of
    ``prior`` (worth :data:`NAMESAKE_PRIOR_PAIRS` pairs; a few hundred records have few
    namesakes), or by the Jeffreys prior without one."""
    sample = frame if len(frame) <= NAMESAKE_SAMPLE else frame.sample(n=NAMESAKE_SAMPLE, random_state=1)
    counts = level_counts(model, db_api, sample, NAMESAKES_RULE)
    out = copy.deepcopy(dict(model))
    priors = {c["output_column_name"]: c for c in (prior or {}).get("comparisons", [])}
    for comp in out["comparisons"]:
        name = comp["output_column_name"]
        if name not in design.U_AMONG_NAMESAKES:
            continue
        base = priors.get(name)
        prior_u = None if base is None else [
            float(lv["u_probability"]) for lv in base["comparison_levels"] if not lv.get("is_null_level")]
        set_u(comp, counts.get(name, {}), prior_u, NAMESAKE_PRIOR_PAIRS if prior_u else 0.0)
    return out


#: Pairs below this match weight are left out of :func:`estimate_prior`: at any prior worth
#: considering their chance of being one person is nil, and a large store has millions of them.
PRIOR_MIN_MATCH_WEIGHT = -25.0
#: Pairs of one person the estimated prior assumes at the least (a store of distinct persons
#: would otherwise get a prior of 0, and no evidence could ever link two of its records).
PRIOR_FLOOR_PAIRS = 1.0


def estimate_prior(model: Mapping[str, Any], db_api: Any, frame: pd.DataFrame, *, table: Any = None,
                   iterations: int = 50) -> float:
    """The probability that two records of ``frame`` are one person, estimated on ``frame`` by
    expectation maximisation of the prior alone, m and u held at ``model``'s.

    :func:`pactum.identity.links.prior_for` scales a model's prior to a store's size on the
    assumption that the store holds as many records per person as the training data. A registry
    of mostly first registrations holds far fewer: there the scaled prior overstates the odds of
    every pair, and namesakes are linked. Here each blocked pair's Bayes factor is its match
    weight less the prior it was scored with; the prior is then the expected number of pairs of
    one person over all pairs, iterated to a fixed point (pairs the blocking never proposes count
    as two persons). On generated data (docs/performance.md, "Prior estimated on the store") it
    comes within 5% of the true share, where the scaled prior was 19 times too high for a store
    with few duplicates. At least :data:`PRIOR_FLOOR_PAIRS` pairs are assumed. ``table``: ``frame``
    as already registered with ``db_api``, if it is."""
    n = len(frame)
    total = n * (n - 1) / 2
    if total < 1:
        return float(model.get("probability_two_random_records_match", 1e-4))
    settings = {k: v for k, v in link_rules.for_records(model, n).items() if k != "pactum"}
    start = float(settings["probability_two_random_records_match"])
    linker = new_linker(db_api.register(frame) if table is None else table, settings)
    weights = linker.inference.predict(threshold_match_weight=PRIOR_MIN_MATCH_WEIGHT).as_pandas_dataframe()
    bayes = weights["match_weight"].to_numpy(dtype=float) - math.log2(start / (1 - start))
    lam = start
    floor = PRIOR_FLOOR_PAIRS / total
    for _ in range(iterations):
        odds = np.exp2(np.clip(bayes + math.log2(lam / (1 - lam)), -1000, 1000))
        new = max(float((odds / (1 + odds)).sum()) / total, floor)
        done = abs(new - lam) <= 1e-4 * lam
        lam = new
        if done:
            break
    return min(lam, 0.5)


class TooFewRecordsForEM(ValueError):
    """Every expectation-maximisation pass failed on these records (see :func:`train`)."""


def _m_underflow(exc: ValueError) -> bool:
    """Splink's refusal of an m below 1e-300: exactly 0, or a subnormal number such as 5.5e-312
    (seen on 400 generated records), which float64 cannot hold accurately either."""
    return re.match(r"m_probability value \S+ is below the minimum allowed value", str(exc)) is not None


def _no_pairs(exc: EMTrainingException) -> bool:
    """Splink's refusal of an EM pass whose blocking rule yields no pair of records."""
    return "resulted in no record pairs" in str(exc)


def _em_pass(linker: Linker, table: Any, rule: Any, label: str, progress: Progress, *,
             skip_without_pairs: bool = True, **options: Any) -> tuple[Linker, bool]:
    """One EM pass; ``(linker, True)`` when it ran. On few records EM can drive the m of a level
    to 0 (or below 1e-300), which Splink refuses in the middle of the pass, leaving the linker's settings
    half-changed (the blocked comparisons removed). The pass is then skipped: the linker is
    rebuilt from the model as it was before the pass, and ``(rebuilt, False)`` returned. So is a
    pass whose rule blocks no pair at all (a handful of records), unless ``skip_without_pairs``
    is false (Splink's ``EMTrainingException`` is then raised)."""
    progress(label)
    before = linker.misc.save_model_to_json()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(rule, **options)
    except ValueError as exc:
        if not _m_underflow(exc):
            raise
        progress(f"{label}: skipped (an m probability fell to 0 on too few pairs)")
        return Linker(table, before, log_level=logging.WARNING), False
    except EMTrainingException as exc:
        if not (skip_without_pairs and _no_pairs(exc)):
            raise
        progress(f"{label}: skipped (its blocking rule gives no pair of records)")
        return Linker(table, before, log_level=logging.WARNING), False
    return linker, True


#: Recall assumed of the deterministic rules the prior of EM training starts from.
PRIOR_RULES_RECALL = 0.6


def _estimate_match_prior(linker: Linker, rules: list[Any], n_records: int) -> None:
    """The prior EM starts from: the pairs the deterministic ``rules`` find, over their recall.

    Kept within ``[PRIOR_FLOOR_PAIRS / pairs, 0.5]`` as :func:`estimate_prior` keeps its
    estimate. On few records the rules can find no pair (the prior 0, whose match weight, log2 0,
    failed EM with "math domain error") or more pairs than their recall allows (Splink refuses
    the estimate); on any real input they find some pairs and the prior is Splink's."""
    total = n_records * (n_records - 1) / 2
    try:
        linker.training.estimate_probability_two_random_records_match(rules, recall=PRIOR_RULES_RECALL)
    except ValueError as exc:  # more observed pairs than the recall allows: a tiny input of duplicates
        if "more observed matches" not in str(exc):
            raise
        linker._settings_obj._probability_two_random_records_match = 0.5
    prior = float(linker._settings_obj._probability_two_random_records_match)
    floor = min(PRIOR_FLOOR_PAIRS / max(total, 1.0), 0.5)
    linker._settings_obj._probability_two_random_records_match = min(max(prior, floor), 0.5)


def train(linker: Linker, table: Any, config: str, frame: pd.DataFrame, db_api: Any, progress: Progress = _noop,
          labels: Any = None) -> tuple[Linker, list[str]]:
    """Unsupervised training (u by random sampling and, for the Pactum model, among namesakes;
    m by EM), then m from labels when given: ``labels``, the verified pairs as a table registered
    with ``db_api`` (not a pandas frame). ``frame`` is the input ``table`` was registered from.

    Returns the trained linker (a new one if an EM pass had to be undone) and the labels of the
    EM passes that were skipped; :class:`TooFewRecordsForEM` if every pass was."""
    n_records = len(frame)
    progress("estimate u (random sampling)")
    linker.training.estimate_u_using_random_sampling(max_pairs=u_sample_pairs(n_records), seed=1)
    if config == "pactum":
        progress("estimate u among namesakes")
        linker = new_linker(table, u_among_namesakes(linker.misc.save_model_to_json(), db_api, frame,
                                                     prior=link_rules.shipped_model()))
    progress("estimate match prior")
    if config == "pactum":
        _estimate_match_prior(linker, [block_on("names_key", "dob_full"), block_on("document")], n_records)
        passes = [(block_on("dob_full"), "EM pass 1 (blocked on date of birth)"),
                  (block_on("names_key"), "EM pass 2 (blocked on name keys)")]
        options: dict[str, Any] = {"estimate_without_term_frequencies": True}
    else:
        _estimate_match_prior(linker, [block_on("surname", "given_names", "date_of_birth"),
                                       block_on("document_number")], n_records)
        # date of birth and nationality, not date of birth alone: placeholder dates (1 January)
        # make blocks of hundreds of records per year, and EM over those took most of the run
        passes = [(block_on("date_of_birth", "nationality"), "EM pass 1 (blocked on date of birth and nationality)"),
                  (block_on("surname", "given_names"), "EM pass 2 (blocked on names)")]
        options = {}
    skipped: list[str] = []
    for rule, label in passes:
        first_plain = config != "pactum" and label == passes[0][1]
        try:
            linker, ran = _em_pass(linker, table, rule, label, progress, skip_without_pairs=not first_plain,
                                   **options)
        except EMTrainingException:
            if not first_plain:
                raise
            # data without nationality (the FEBRL reference sets): block on date of birth alone
            linker, ran = _em_pass(linker, table, block_on("date_of_birth"), "EM pass 1 (blocked on date of birth)",
                                   progress)
        if not ran:
            skipped.append(label)
    if len(skipped) == len(passes):
        raise TooFewRecordsForEM(
            f"expectation maximisation failed on all {len(passes)} passes over {n_records} records "
            "(an m probability fell to 0, or no pair to train on); train with verified links or with the "
            "shipped model's m instead")
    if labels is not None:
        progress("estimate m from verified links")
        linker.training.estimate_m_from_pairwise_labels(labels)
    return linker, skipped


def link_frame(
    df: pd.DataFrame,
    db_api: Any,
    *,
    config: str = "pactum",
    threshold: float = DEFAULT_CLUSTER_THRESHOLD,
    with_pairs: bool = False,
    model: dict[str, Any] | None = None,
    labels: pd.DataFrame | None = None,
    progress: Progress = _noop,
) -> LinkResult:
    """Train (unless ``model`` is given), predict and cluster one prepared frame."""
    import time

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    skipped: list[str] = []
    frame = df if config == "pactum" else _plain_frame(df)
    progress("register input")
    # unnamed: Splink gives each table a name of its own, so that a second link in one Spark
    # session (whose catalogue keeps the tables of the first) does not collide with the first
    table = db_api.register(frame)
    if model is not None:
        check_model(model)
        # a model trained on another number of records: its prior scaled to this input
        settings_dict = {k: v for k, v in link_rules.for_records(model, len(df)).items() if k != "pactum"}
        linker = new_linker(table, settings_dict)
    else:
        settings = pactum_settings() if config == "pactum" else plain_settings()
        linker = new_linker(table, settings)
        lab = None
        if labels is not None and len(labels):
            lab = db_api.register(labels)
        linker, skipped = train(linker, table, config, frame, db_api, progress, lab)
    timings["train_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    progress("predict pairs")
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
    timings["predict_s"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    progress("cluster")
    p = None
    if config == "pactum":
        # average-linkage merging (pactum.identity.clustering): no chains through namesakes
        p = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
        ids = [str(x) for x in df["unique_id"]]
        assigned = cluster_pairs(
            ids, zip(p["unique_id_l"].astype(str), p["unique_id_r"].astype(str), p["match_probability"], strict=True),
            threshold=threshold, merge_threshold=design.CLUSTER_MERGE_AVERAGE)
        clusters = pd.DataFrame({"record_id": ids, "cluster_id": [assigned[i] for i in ids]})
    else:
        # the plain configuration: Splink's connected components at the threshold
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
        clusters = clustered.as_pandas_dataframe()[["unique_id", "cluster_id"]].rename(
            columns={"unique_id": "record_id"})
    timings["cluster_s"] = time.perf_counter() - t2
    pairs = None
    if with_pairs:
        if p is None:
            p = predictions.as_pandas_dataframe()
        pairs = p[["unique_id_l", "unique_id_r", "match_probability"]].rename(
            columns={"unique_id_l": "record_id_l", "unique_id_r": "record_id_r"})
    model_json = link_rules.with_untrained_m(linker.misc.save_model_to_json())
    if config == "pactum":
        # the saved prior is the one used here: for this input's number of records
        model_json["pactum"] = {"name": MODEL_NAME, "design_version": DESIGN_VERSION, "trained_records": len(df)}
        if skipped:
            model_json["pactum"]["em_passes_skipped"] = skipped
    timings["total_s"] = time.perf_counter() - t0
    return LinkResult(clusters, pairs, model_json, timings)


def refit(df: pd.DataFrame, db_api: Any, base: Mapping[str, Any], *, labels: pd.DataFrame | None = None,
          progress: Progress = _noop) -> dict[str, Any]:
    """``base`` re-fitted to these records without expectation maximisation: u by random sampling
    on them (their own frequencies of names and dates) and, for the comparisons that depend on
    the name, among their namesakes (smoothed towards the base's); m from verified links where
    there are some and otherwise the base model's; the prior estimated on them
    (:func:`estimate_prior`: the store's own share of pairs of one person).

    m says how the records of one person differ (spelling conventions, estimated dates), which
    carries over from one registry to another. EM on unlabelled records re-estimates it from the
    records' own clusters; with random-pair u it confused namesakes with persons (pairwise F1 0.70
    against 0.89 for the labelled model on the first releases' data), with the namesakes' u it
    comes close (0.957 against 0.958, design 2026.11.10: docs/performance.md)."""
    check_model(base)
    settings_dict = {k: v for k, v in link_rules.for_records(base, len(df)).items() if k != "pactum"}
    progress("register records")
    table = db_api.register(df)
    linker = new_linker(table, settings_dict)
    progress("estimate u (random sampling)")
    linker.training.estimate_u_using_random_sampling(max_pairs=u_sample_pairs(len(df)), seed=1)
    progress("estimate u among namesakes")
    model = u_among_namesakes(linker.misc.save_model_to_json(), db_api, df, prior=base)
    if labels is not None and len(labels):
        progress("estimate m from verified links")
        linker = new_linker(table, model)
        linker.training.estimate_m_from_pairwise_labels(db_api.register(labels))
        model = shrink_m(linker.misc.save_model_to_json(), model, len(labels))
    progress("estimate the prior on the records")
    model["probability_two_random_records_match"] = estimate_prior(model, db_api, df, table=table)
    model["pactum"] = {"name": MODEL_NAME, "design_version": DESIGN_VERSION, "trained_records": len(df)}
    return model


#: Verified links count as much as this many pairs of the model they refine (see :func:`shrink_m`).
M_PRIOR_PAIRS = 200


def shrink_m(from_labels: dict[str, Any], base: Mapping[str, Any], n_labels: int) -> dict[str, Any]:
    """m of ``from_labels`` (estimated from ``n_labels`` verified links) shrunk towards ``base``:
    ``w * m_labels + (1 - w) * m_base`` with ``w = n / (n + M_PRIOR_PAIRS)``, then each comparison's
    m made to sum to 1 again. Forty links give forty observations per comparison, too few to set an
    m of 0.01 (a level two links in a hundred fall into) on their own; thousands of links outweigh
    the base model."""
    w = n_labels / (n_labels + M_PRIOR_PAIRS)
    out = copy.deepcopy(from_labels)
    for comp, base_comp in zip(out["comparisons"], base["comparisons"], strict=True):
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        base_levels = [lv for lv in base_comp["comparison_levels"] if not lv.get("is_null_level")]
        for lv, blv in zip(levels, base_levels, strict=True):
            m, mb = lv.get("m_probability"), blv.get("m_probability")
            if m is not None and mb is not None:
                lv["m_probability"] = w * float(m) + (1 - w) * float(mb)
        total = sum(float(lv["m_probability"]) for lv in levels if lv.get("m_probability") is not None)
        if total > 0:
            for lv in levels:
                if lv.get("m_probability") is not None:
                    lv["m_probability"] = float(lv["m_probability"]) / total
    return out


def check_model(model: Mapping[str, Any]) -> None:
    meta = model.get("pactum") or {}
    if meta.get("design_version") != DESIGN_VERSION:
        raise ValueError(
            f"model design version {meta.get('design_version')!r} does not match this release ({DESIGN_VERSION})")


#: What each comparison is, from the design: Splink saves "CustomComparison" for every custom one.
_DESCRIPTIONS = {c.name: c.description for c in design.PACTUM_COMPARISONS}
_DESIGN_LEVELS = {c.name: c.levels for c in design.PACTUM_COMPARISONS}


def match_weights(model: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per comparison and level: label, m, u and match weight (log2 m/u), for display."""
    import math

    out = []
    for comp in link_rules.with_untrained_m(model).get("comparisons", []):
        name = comp.get("output_column_name")
        saved = comp.get("comparison_levels", [])
        # the design's own words for each level ("same", "different"), as the link page and the
        # search's explanations say them, where the saved model has the design's levels; Splink's
        # ("Exact match on sex", "All other comparisons") for a model of an earlier design
        design_levels = _DESIGN_LEVELS.get(name)
        ours = design_levels if design_levels is not None and len(design_levels) == len(saved) else None
        levels = []
        for i, lev in enumerate(saved):
            if lev.get("is_null_level"):
                continue
            m, u = lev.get("m_probability"), lev.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            label = ours[i].label if ours is not None else (lev.get("label_for_charts") or lev.get("sql_condition"))
            levels.append({"label": label, "m": m, "u": u, "weight": weight})
        out.append({"comparison": name, "description": _DESCRIPTIONS.get(name, comp.get("comparison_description")),
                    "levels": levels})
    return out


def dumps_model(model: Mapping[str, Any]) -> str:
    return json.dumps(model, sort_keys=True)


def rows_to_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    return prepare(rows)

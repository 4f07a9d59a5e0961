"""Batch linkage and evaluation of CSV files (``pactum identity link`` / ``evaluate``).

No database of the platform is involved: the input file is read, linked on the chosen engine
and written out. Input validation reports the first bad line as one readable message.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pactum.common.errors import ValidationProblem
from pactum.identity.generator import INPUT_COLUMNS, Generator, noise_profile
from pactum.identity.metrics import evaluate_clusters
from pactum.identity.normalise import parse_birth_date
from pactum.services.identity import linkage
from pactum.store.engines.identity_linkage import ENGINES, linkage_api

Progress = Callable[[str], None]


def read_input(path: Path, *, label_column: str | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read and validate an input CSV; returns the prepared frame and, if asked, the labels."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except FileNotFoundError as exc:
        raise ValidationProblem.one("input", f"{path}: no such file") from exc
    rows: list[dict[str, str]] = []
    labels: dict[str, str] = {}
    seen: set[str] = set()
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if "record_id" not in header:
            raise ValidationProblem.one("input", f"{path}: the header has no record_id column")
        unknown = [c for c in header if c not in INPUT_COLUMNS and c != label_column]
        if unknown:
            raise ValidationProblem.one("input", f"{path}: unknown column(s) {', '.join(unknown)}")
        if label_column and label_column not in header:
            raise ValidationProblem.one("input", f"{path}: no label column {label_column}")
        for line, row in enumerate(reader, start=2):
            rid = (row.get("record_id") or "").strip()
            if not rid:
                raise ValidationProblem.one("record_id", f"{path} line {line}: record_id is empty")
            if rid in seen:
                raise ValidationProblem.one("record_id", f"{path} line {line}: record_id {rid} appears twice")
            seen.add(rid)
            dob = (row.get("date_of_birth") or "").strip()
            if dob and parse_birth_date(dob).year is None and dob.upper() not in ("XXXX", "0000"):
                raise ValidationProblem.one(
                    "date_of_birth", f"{path} line {line}: date_of_birth '{dob}' is not YYYY, YYYY-MM or YYYY-MM-DD")
            rows.append({c: (row.get(c) or "") for c in INPUT_COLUMNS})
            if label_column:
                labels[rid] = row.get(label_column) or ""
    return linkage.prepare(rows), labels


def link_file(input_path: Path, out: Path, *, pairs: Path | None = None, engine: str = "duckdb",
              model_path: Path | None = None, save_model: Path | None = None,
              threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD, progress: Progress = lambda _s: None,
              engine_options: dict[str, Any] | None = None) -> dict[str, Any]:
    if engine not in ENGINES:
        raise ValidationProblem.one("engine", f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if not 0.0 < threshold < 1.0:
        raise ValidationProblem.one("threshold", "must be between 0 and 1")
    model = None
    if model_path is not None:
        try:
            model = json.loads(model_path.read_text(encoding="utf-8"))
            linkage.check_model(model)
        except (OSError, json.JSONDecodeError, ValueError) as exc:
            raise ValidationProblem.one("model", f"{model_path}: {exc}") from exc
    t0 = time.perf_counter()
    progress("read and normalise input")
    df, _ = read_input(input_path)
    t_read = time.perf_counter() - t0
    api = linkage_api(engine, **(engine_options or {}))
    res = linkage.link_frame(df, api, model=model, threshold=threshold, with_pairs=pairs is not None,
                             progress=progress)
    progress("write output")
    res.clusters.sort_values("record_id").to_csv(out, index=False, columns=["record_id", "cluster_id"])
    if pairs is not None and res.pairs is not None:
        res.pairs.to_csv(pairs, index=False, float_format="%.6f")
    if save_model is not None:
        save_model.write_text(json.dumps(res.model_json, indent=1, sort_keys=True), encoding="utf-8")
    return {"records": len(df), "clusters": int(res.clusters.cluster_id.nunique()), "engine": engine,
            "timings_s": {"read_normalise_s": round(t_read, 3), **{k: round(v, 3) for k, v in res.timings.items()}},
            "out": str(out), "pairs": str(pairs) if pairs else None}


def _noise(profile: str, scale: float = 1.0) -> Any:
    try:
        return noise_profile(profile, scale)
    except ValueError as exc:
        raise ValidationProblem.one("profile", str(exc)) from exc


def generate_file(out: Path, *, records: int, seed: int, noise_scale: float = 1.0,
                  profile: str = "realistic") -> dict[str, Any]:
    if records < 1:
        raise ValidationProblem.one("records", "must be at least 1")
    gen = Generator(seed=seed, noise=_noise(profile, noise_scale))
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*INPUT_COLUMNS, "person_id"])
        writer.writeheader()
        n = 0
        for rec in gen.iter_records(records):
            writer.writerow(rec.as_row(True))
            n += 1
    return {"records": n, "seed": seed, "profile": profile, "out": str(out)}


def evaluate_frame(df: pd.DataFrame, truth: dict[str, str], *, engine: str = "duckdb",
                   threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD, model: dict[str, Any] | None = None,
                   progress: Progress = lambda _s: None) -> dict[str, Any]:
    """Pairwise and B-cubed scores of the Pactum model and of the plain Splink configuration, on
    the same data in the same run (and of a given pre-trained model, if any)."""
    runs: list[tuple[str, dict[str, Any]]] = []
    if model is not None:
        runs.append(("pactum_model", {"model": model}))
    runs += [("pactum_em", {}), ("plain_splink", {"config": "plain"})]
    results = {}
    for name, kw in runs:
        progress(f"{name}: link")
        res = linkage.link_frame(df, linkage_api(engine), threshold=threshold, progress=progress, **kw)
        pred = dict(zip(res.clusters.record_id, res.clusters.cluster_id, strict=True))
        results[name] = {"scores": evaluate_clusters(pred, truth).as_dict(),
                         "timings_s": {k: round(v, 3) for k, v in res.timings.items()}}
    return {"records": len(df), "threshold": threshold, "engine": engine, "results": results}


def evaluate_file(path: Path, *, label_column: str = "person_id", engine: str = "duckdb",
                  threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD, model_path: Path | None = None,
                  progress: Progress = lambda _s: None) -> dict[str, Any]:
    df, labels = read_input(path, label_column=label_column)
    model = json.loads(model_path.read_text(encoding="utf-8")) if model_path else None
    return evaluate_frame(df, labels, engine=engine, threshold=threshold, model=model, progress=progress)


def evaluate_generated(*, records: int, tune_seed: int, report_seed: int, engine: str = "duckdb",
                       threshold: float = linkage.DEFAULT_CLUSTER_THRESHOLD, profile: str = "realistic",
                       progress: Progress = lambda _s: None) -> dict[str, Any]:
    """Tune (labelled m-estimation) on one seed, report on another, with the plain baseline."""
    from pactum.services.identity.training import model_from_labelled

    if tune_seed == report_seed:
        raise ValidationProblem.one("report_seed", "report on another seed than the one tuned on")
    noise = _noise(profile)
    progress("train on the tuning seed")
    tune = Generator(seed=tune_seed, noise=noise).records(records)
    model = model_from_labelled(tune, linkage_api(engine), label=f"generator seed {tune_seed}")
    progress("generate the report seed")
    rep = Generator(seed=report_seed, noise=noise).records(records)
    df = linkage.prepare(r.as_row(False) for r in rep)
    out = evaluate_frame(df, {r.record_id: r.person_id for r in rep}, engine=engine, threshold=threshold,
                         model=model, progress=progress)
    out.update(tune_seed=tune_seed, report_seed=report_seed, profile=profile)
    return out
